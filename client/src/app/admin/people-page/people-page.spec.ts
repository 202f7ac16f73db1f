import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { PeopleAudit, Person, PersonWithLink } from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { PeoplePage } from './people-page';

const ACTIVE: Person = {
  id: '11111111-2222-4333-8444-000000000001',
  name: 'Casey Coder',
  email: 'casey@clinic.example',
  role: 'coder',
  status: 'active',
  lastLoginAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  linkExpiresAt: null,
};
const INVITED: Person = {
  ...ACTIVE,
  id: '11111111-2222-4333-8444-000000000002',
  name: 'Ivy Invited',
  email: 'ivy@clinic.example',
  status: 'invited',
  linkExpiresAt: '2026-01-04T00:00:00.000Z',
};
const AUDIT: PeopleAudit = {
  chain: { events: 1, ok: true, brokenAt: null, reason: null, head: 'ab'.repeat(32) },
  events: [
    {
      seq: 1,
      type: 'person.added',
      actorId: null,
      actorName: 'Alex Admin',
      subjectId: INVITED.id,
      subjectName: INVITED.name,
      payload: { role: 'coder' },
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  ],
};

describe(PeoplePage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([{ path: 'admin/people', component: PeoplePage }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });
  afterEach(() => http.verify());

  /** Dialogs render in the overlay container, outside the page. */
  const all = (id: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const one = (id: string) => all(id)[0] ?? null;
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  async function answerLoad(people: Person[] = [ACTIVE, INVITED]): Promise<void> {
    http
      .expectOne((r) => r.url === '/api/users' && r.params.get('include') === 'inactive')
      .flush({
        items: people,
      });
    http.expectOne((r) => r.url === '/api/audit/people').flush(AUDIT);
    await settle();
  }

  async function open(): Promise<void> {
    await harness.navigateByUrl('/admin/people', PeoplePage);
    await answerLoad();
  }

  function type(id: string, value: string): void {
    const input = one(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('lists everyone with role, status, last sign-in and the verified history', async () => {
    await open();
    const rows = all('person-row');
    expect(rows.map((r) => r.getAttribute('data-email'))).toEqual([ACTIVE.email, INVITED.email]);
    expect(all('person-status').map((s) => s.textContent?.trim())).toEqual(['Active', 'Invited']);
    expect(rows[0]!.textContent).toContain('Never');
    expect(rows[1]!.textContent).toContain('Link works until');
    expect(all('person-reset').map((b) => b.textContent?.trim())).toEqual([
      'Reset password',
      'New link',
    ]);
    expect(one('people-chain')?.getAttribute('data-ok')).toBe('true');
    expect(text('people-event')).toContain('Alex Admin added Ivy Invited as coder');
  });

  it('adds a person and shows their link once, with a copy button', async () => {
    await open();
    one('add-person')!.click();
    await settle();
    type('person-name', 'New Person');
    type('person-email', 'New@Clinic.example');
    one('add-person-submit')!.click();
    const request = http.expectOne((r) => r.method === 'POST' && r.url === '/api/users');
    expect(request.request.body).toEqual({
      name: 'New Person',
      email: 'new@clinic.example',
      role: 'coder',
    });
    const added: PersonWithLink = {
      person: { ...INVITED, name: 'New Person', email: 'new@clinic.example' },
      link: { token: 'tok', path: '/set-password/tok', expiresAt: '2026-01-04T00:00:00.000Z' },
    };
    request.flush(added);
    await settle();
    expect((one('password-link') as HTMLInputElement).value).toBe(
      `${location.origin}/set-password/tok`,
    );
    expect(document.body.textContent).toContain('Shown once.');
    expect(one('copy-link')).not.toBeNull();
    one('link-done')!.click();
    await settle();
    await answerLoad();
    expect(text('people-notice')).toBe('New Person was added as coder.');
    expect(one('password-link')).toBeNull();
  });

  it('shows a taken email on the email field and keeps the dialog open', async () => {
    await open();
    one('add-person')!.click();
    await settle();
    type('person-name', 'Copy');
    type('person-email', 'casey@clinic.example');
    one('add-person-submit')!.click();
    http
      .expectOne((r) => r.method === 'POST' && r.url === '/api/users')
      .flush(
        {
          code: 'conflict',
          message: 'Someone already has this email address',
          details: {
            issues: [{ path: 'email', message: 'Someone already has this email address' }],
          },
        },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(text('person-email-error')).toBe('Someone already has this email address');
    expect(one('add-person-submit')).not.toBeNull();
  });

  it('deactivates only after confirmation', async () => {
    await open();
    one('person-deactivate')!.click();
    await settle();
    expect(document.body.textContent).toContain('Deactivate Casey Coder?');
    one('confirm-action')!.click();
    await settle();
    const request = http.expectOne(`/api/users/${ACTIVE.id}`);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ active: false });
    request.flush({ ...ACTIVE, status: 'deactivated' });
    await settle();
    await answerLoad([{ ...ACTIVE, status: 'deactivated' }, INVITED]);
    expect(text('people-notice')).toBe('Casey Coder was deactivated.');
    expect(one('person-reactivate')).not.toBeNull();
  });

  it('resets a password after confirmation and shows the new link', async () => {
    await open();
    one('person-reset')!.click();
    await settle();
    expect(document.body.textContent).toContain("Reset Casey Coder's password?");
    one('confirm-action')!.click();
    await settle();
    const request = http.expectOne(`/api/users/${ACTIVE.id}/password-link`);
    expect(request.request.method).toBe('POST');
    request.flush({
      person: { ...ACTIVE, status: 'invited' },
      link: { token: 'new', path: '/set-password/new', expiresAt: '2026-01-04T00:00:00.000Z' },
    });
    await settle();
    expect((one('password-link') as HTMLInputElement).value).toContain('/set-password/new');
    one('link-done')!.click();
    await settle();
    await answerLoad();
  });
});

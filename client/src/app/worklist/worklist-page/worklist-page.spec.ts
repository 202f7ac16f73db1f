import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { toWorklistRow, type EncounterSummary } from '@countersign/shared';
import {
  CODER,
  REVIEWER,
  makeId,
  makeSummary,
  sessionUser,
} from '../../../testing/encounter-fixtures';
import { FakeLiveSocket } from '../../../testing/fake-live-socket';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { LIVE_SOCKET_FACTORY } from '../../core/realtime/live-socket';
import { WorklistPage } from './worklist-page';
import { defaultQueue, inQueue, upsertRows } from './worklist-queues';

@Component({ template: 'encounter' })
class EncounterStub {}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 2, 9, minute)).toISOString();

function row(
  name: string,
  status: EncounterSummary['status'],
  minute: number,
  coder = CODER,
): EncounterSummary {
  return {
    ...makeSummary({
      status,
      coder,
      reviewer: status === 'draft' ? null : REVIEWER,
      updatedAt: at(minute),
    }),
    id: makeId('ffffffff'),
    patient: { mrn: `MRN-${minute}`, name, dateOfBirth: '1970-01-01' },
  };
}

describe(WorklistPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let socket: FakeLiveSocket;
  let rows: EncounterSummary[];

  async function start(
    role: 'coder' | 'reviewer' | 'supervisor',
    url = '/worklist',
  ): Promise<void> {
    socket = new FakeLiveSocket().answer('worklist:watch', () => ({ ok: true, data: null }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'worklist', component: WorklistPage },
            { path: 'encounters/:id', component: EncounterStub },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: LIVE_SOCKET_FACTORY, useValue: () => socket.asSocket() },
        {
          provide: AuthService,
          useValue: { user: signal(sessionUser(role)), sessionEnded: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    const request = http.expectOne((r) => r.url === '/api/encounters');
    expect(request.request.params.get('limit')).toBe('200');
    request.flush({ items: rows });
    await settle();
  }

  beforeEach(() => {
    rows = [
      row('Ada Draft', 'draft', 50),
      row('Bo Draft of someone else', 'draft', 49, REVIEWER),
      row('Cy Submitted', 'submitted', 48),
      row('Di In review', 'in_review', 47),
      row('Ed Changes', 'changes_requested', 46),
      row('Fa Approved', 'approved', 45),
      row('Gu Signed', 'signed_off', 44),
    ];
  });

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  }

  const page = () => harness.routeNativeElement!;
  const names = () =>
    [...page().querySelectorAll('[data-testid="worklist-row"] .patient')].map((a) =>
      a.textContent.trim(),
    );
  const count = (queue: string) =>
    page()
      .querySelector(`[data-testid="queue-${queue}"] [data-testid="queue-count"]`)!
      .textContent.trim();

  it('opens on the queue of the role, with a count on every queue', async () => {
    await start('coder');
    expect(names()).toEqual(['Ada Draft']);
    expect(
      page().querySelector('[data-testid="queue-drafts"]')!.getAttribute('aria-selected'),
    ).toBe('true');
    expect(['drafts', 'review', 'changes', 'signoff', 'all'].map(count)).toEqual([
      '1',
      '2',
      '1',
      '1',
      '7',
    ]);
  });

  it('starts a reviewer on the charts awaiting review, newest change first', async () => {
    await start('reviewer');
    expect(names()).toEqual(['Cy Submitted', 'Di In review']);
  });

  it('switches queue through the URL', async () => {
    await start('supervisor');
    expect(names()).toEqual(['Fa Approved']);
    (page().querySelector('[data-testid="queue-changes"]') as HTMLButtonElement).click();
    await settle();
    expect(TestBed.inject(Router).url).toBe('/worklist?queue=changes');
    expect(names()).toEqual(['Ed Changes']);
  });

  it('moves a chart between queues live when it changes, without asking the server again', async () => {
    await start('reviewer');
    expect(socket.sentOf('worklist:watch')).toEqual([{}]);
    const draft = rows[0]!;
    socket.push('worklist:rows', {
      rows: [
        toWorklistRow({
          ...draft,
          status: 'submitted',
          updatedAt: at(59),
          version: draft.version + 1,
        }),
      ],
    });
    await settle();
    expect(names()).toEqual(['Ada Draft', 'Cy Submitted', 'Di In review']);
    expect(count('review')).toBe('3');
    expect(count('all')).toBe('7');
    expect(page().querySelector('[data-testid="worklist-row"]')!.classList).toContain('row--fresh');
    http.expectNone((r) => r.url === '/api/encounters');
  });

  it('adds a chart created elsewhere and reads the list again after a reconnect', async () => {
    await start('coder', '/worklist?queue=all');
    socket.push('worklist:rows', { rows: [toWorklistRow(row('New Chart', 'draft', 58))] });
    await settle();
    expect(names()[0]).toBe('New Chart');
    expect(count('all')).toBe('8');

    socket.dropConnection();
    socket.reconnect();
    await settle();
    expect(socket.sentOf('worklist:watch')).toHaveLength(2);
    http.expectOne((r) => r.url === '/api/encounters').flush({ items: rows });
    await settle();
    expect(count('all')).toBe('7');
  });

  it('says when a queue is empty and offers everything', async () => {
    rows = rows.filter((r) => r.status !== 'approved');
    await start('supervisor');
    expect(page().querySelector('[data-testid="worklist-empty"]')!.textContent).toContain(
      'Nothing is waiting for sign-off.',
    );
  });

  it('opens an encounter when its row is clicked', async () => {
    await start('coder');
    (page().querySelector('[data-testid="worklist-row"]') as HTMLElement).click();
    await settle();
    expect(TestBed.inject(Router).url).toBe(`/encounters/${rows[0]!.id}`);
  });
});

describe('worklist queues', () => {
  it('puts only the signed-in coder’s drafts in My drafts', () => {
    expect(inQueue('drafts', row('a', 'draft', 1), CODER.id)).toBe(true);
    expect(inQueue('drafts', row('a', 'draft', 1, REVIEWER), CODER.id)).toBe(false);
    expect(inQueue('drafts', row('a', 'submitted', 1), CODER.id)).toBe(false);
  });

  it('picks a starting queue per role', () => {
    expect([
      defaultQueue('coder'),
      defaultQueue('reviewer'),
      defaultQueue('supervisor'),
      defaultQueue('admin'),
    ]).toEqual(['drafts', 'review', 'signoff', 'all']);
  });

  it('replaces a changed row and keeps the newest change first', () => {
    const a = row('a', 'draft', 1);
    const b = row('b', 'draft', 2);
    const changed = { ...a, updatedAt: at(3), version: a.version + 1 };
    expect(upsertRows([b, a], [changed]).map((r) => r.patient.name)).toEqual(['a', 'b']);
  });

  it('keeps the row it shows when a late batch brings an older version', () => {
    const a = { ...row('a', 'submitted', 5), version: 4 };
    const late = { ...a, status: 'draft' as const, updatedAt: at(6), version: 3 };
    expect(upsertRows([a], [late])).toEqual([a]);
  });
});

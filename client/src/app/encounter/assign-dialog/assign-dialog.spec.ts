import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { AssignmentResponse, TeamMember } from '@countersign/shared';
import { CODER, ENCOUNTER_ID, REVIEWER, SUPERVISOR } from '../../../testing/encounter-fixtures';
import { settle } from '../../../testing/settle';
import { AssignDialog, type AssignDialogData } from './assign-dialog';

const OTHER_ID = '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c';
const TEAM: TeamMember[] = [
  { ...CODER, email: 'c@x.example', role: 'coder' },
  { ...REVIEWER, email: 'r@x.example', role: 'reviewer' },
  { ...SUPERVISOR, email: 's@x.example', role: 'supervisor' },
  // Deactivated: kept for names on history, never offered for new work.
  {
    id: '5b2d3c4e-6f70-4a81-9b2c-3d4e5f607182',
    name: 'Dee Gone',
    email: 'd@x.example',
    role: 'coder',
    active: false,
  },
];

describe(AssignDialog.name, () => {
  let fixture: ComponentFixture<AssignDialog>;
  let http: HttpTestingController;
  let close: jest.Mock;

  async function open(data: AssignDialogData): Promise<void> {
    jest.useFakeTimers();
    close = jest.fn();
    TestBed.configureTestingModule({
      imports: [AssignDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AssignDialog);
    await settle(fixture);
    http.expectOne('/api/users').flush({ items: TEAM });
    await settle(fixture);
  }

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  const root = () => fixture.nativeElement as HTMLElement;
  const one = <T extends HTMLElement>(id: string) =>
    root().querySelector(`[data-testid="${id}"]`) as T;
  const options = (id: string) =>
    [...one<HTMLSelectElement>(id).options].map((o) => o.textContent?.trim());

  function choose(id: string, label: string): void {
    const select = one<HTMLSelectElement>(id);
    const option = [...select.options].find((o) => o.textContent?.trim() === label);
    if (!option) throw new Error(`No option ${label} in ${id}`);
    select.value = option.value;
    select.dispatchEvent(new Event('change'));
  }

  it('offers the team’s active coders and reviewers, each in their own picker, with round-robin', async () => {
    await open({ encounterIds: [ENCOUNTER_ID], coder: null, reviewer: REVIEWER });
    expect(options('assign-coder')).toEqual(['Keep unassigned', 'Unassigned', 'Casey Coder']);
    expect(options('assign-reviewer')).toEqual([
      'Keep Riley Reviewer',
      'Auto (round-robin)',
      'Unassigned',
      'Riley Reviewer',
    ]);
  });

  it('assigns many charts at once, sending only what was changed, and closes with the answer', async () => {
    await open({ encounterIds: [ENCOUNTER_ID, OTHER_ID] });
    expect(root().querySelector('h2')?.textContent).toContain('Assign 2 charts');
    choose('assign-coder', 'Casey Coder');
    choose('assign-reviewer', 'Auto (round-robin)');
    one<HTMLButtonElement>('confirm-assign').click();
    await settle(fixture);
    const request = http.expectOne('/api/assignments');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      encounterIds: [ENCOUNTER_ID, OTHER_ID],
      coderId: CODER.id,
      reviewerId: 'auto',
    });
    const answer: AssignmentResponse = {
      assigned: 2,
      failed: 0,
      results: [ENCOUNTER_ID, OTHER_ID].map((encounterId, i) => ({
        encounterId,
        ok: true as const,
        seq: 3 + i,
        coder: CODER,
        reviewer: REVIEWER,
      })),
    };
    request.flush(answer);
    await settle(fixture);
    expect(close).toHaveBeenCalledWith(answer);
  });

  it('unassigns with "Unassigned"', async () => {
    await open({ encounterIds: [ENCOUNTER_ID], coder: CODER, reviewer: null });
    choose('assign-coder', 'Unassigned');
    one<HTMLButtonElement>('confirm-assign').click();
    await settle(fixture);
    expect(http.expectOne('/api/assignments').request.body).toEqual({
      encounterIds: [ENCOUNTER_ID],
      coderId: null,
    });
  });

  it('asks for a choice instead of sending nothing', async () => {
    await open({ encounterIds: [ENCOUNTER_ID] });
    one<HTMLButtonElement>('confirm-assign').click();
    await settle(fixture);
    http.expectNone('/api/assignments');
    expect(one('assign-error').textContent).toContain('Choose a coder or a reviewer');
    expect(close).not.toHaveBeenCalled();
  });

  it('stays open and lists the charts that were not assigned, in the server’s words', async () => {
    await open({ encounterIds: [ENCOUNTER_ID, OTHER_ID] });
    choose('assign-reviewer', 'Riley Reviewer');
    one<HTMLButtonElement>('confirm-assign').click();
    await settle(fixture);
    http.expectOne('/api/assignments').flush({
      assigned: 1,
      failed: 1,
      results: [
        { encounterId: ENCOUNTER_ID, ok: true, seq: 4, coder: CODER, reviewer: REVIEWER },
        {
          encounterId: OTHER_ID,
          ok: false,
          error: {
            code: 'forbidden',
            message: 'Riley Reviewer coded this chart, so another reviewer must review it',
          },
        },
      ],
    } satisfies AssignmentResponse);
    await settle(fixture);
    expect(close).not.toHaveBeenCalled();
    const failed = one('assign-failed').textContent ?? '';
    expect(failed).toContain('1 of 2 assigned');
    expect(failed).toContain('Riley Reviewer coded this chart, so another reviewer must review it');
  });

  it('shows a refused request (wrong role, other organization) and changes nothing', async () => {
    await open({ encounterIds: [ENCOUNTER_ID] });
    choose('assign-coder', 'Casey Coder');
    one<HTMLButtonElement>('confirm-assign').click();
    await settle(fixture);
    http
      .expectOne('/api/assignments')
      .flush(
        { code: 'validation_failed', message: 'The coder is not a member of your organization' },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);
    expect(one('assign-error').textContent).toContain('not a member of your organization');
    expect(close).not.toHaveBeenCalled();
  });
});

import { TestBed } from '@angular/core/testing';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  SUPERVISOR,
  makeEncounter,
  makeLine,
  event,
  statusChanged,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { WorkflowBar, nextStep } from './workflow-bar';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe(WorkflowBar.name, () => {
  let room: RoomHarness;

  it('lets the coder submit, and follows the chart to Submitted when the event arrives', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'draft', reviewer: null, version: 4 }),
      'coder',
    );
    expect(room.text(room.one('next-step'))).toBe('Coding: waiting for you to submit.');
    room.socket.answer('encounter:transition', () => ({
      ok: true,
      data: { seq: 5, duplicate: false },
    }));
    room.one<HTMLButtonElement>('transition-submit').click();
    await room.settle();
    expect(room.socket.sentOf('encounter:transition')).toEqual([
      { encounterId: ENCOUNTER_ID, baseVersion: 4, opId: UUID, transition: 'submit', reason: '' },
    ]);
    room.socket.push('encounter:event', statusChanged(5, 'draft', 'submitted', CODER));
    await room.settle();
    expect(room.text(room.one('encounter-status'))).toBe('Submitted');
    expect(room.one('transition-submit')).toBeNull();
  });

  it('offers sign-off to a supervisor who wrote nothing on the chart', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'approved', codedBy: [CODER.id] }),
      'supervisor',
    );
    expect(room.one('transition-sign-off')).not.toBeNull();
  });

  it('offers no sign-off to a supervisor who wrote lines on the chart', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'approved', codedBy: [CODER.id, SUPERVISOR.id] }),
      'supervisor',
    );
    expect(room.one('transition-sign-off')).toBeNull();
    expect(room.one('transition-reopen')).not.toBeNull();
  });

  it('offers no approval to a reviewer who wrote lines on the chart, even when assigned to review it', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'in_review', codedBy: [CODER.id, REVIEWER.id] }),
      'reviewer',
    );
    expect(room.one('transition-approve')).toBeNull();
    expect(room.one('transition-request-changes')).toBeNull();
  });

  it('shows an approval gate in the server’s words', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'in_review', version: 9, lines: [makeLine()] }),
      'reviewer',
    );
    room.socket.answer('encounter:transition', () => ({
      ok: false,
      error: {
        code: 'invalid_state',
        message: 'The chart cannot be approved yet: 1 suggestion is not answered',
        details: { blockers: ['1 suggestion is not answered'] },
      },
    }));
    room.one<HTMLButtonElement>('transition-approve').click();
    await room.settle();
    expect(room.text(room.one('workflow-error'))).toContain(
      'The chart cannot be approved yet: 1 suggestion is not answered',
    );
  });

  it('asks the reason to request changes and sends it', async () => {
    room = await RoomHarness.open(makeEncounter({ status: 'in_review', version: 9 }), 'reviewer');
    room.one<HTMLButtonElement>('transition-request-changes').click();
    await room.settle();
    const reason = document.querySelector<HTMLTextAreaElement>('[data-testid="reason"]')!;
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
    await room.settle();
    expect(document.body.textContent).toContain('Give a reason');
    room.type(reason, 'Add laterality to 20610');
    room.socket.answer('encounter:transition', () => ({
      ok: true,
      data: { seq: 10, duplicate: false },
    }));
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
    await room.settle();
    await room.settle();
    expect(room.socket.sentOf('encounter:transition')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 9,
        opId: UUID,
        transition: 'request-changes',
        reason: 'Add laterality to 20610',
      },
    ]);
  });

  it('counts the review’s progress', async () => {
    room = await RoomHarness.open(
      makeEncounter({
        status: 'in_review',
        lines: [
          makeLine({ review: { state: 'accepted', category: null, comment: null, by: REVIEWER } }),
          makeLine(),
          makeLine(),
        ],
      }),
      'supervisor',
    );
    expect(room.text(room.root.querySelector('.progress'))).toBe('1 accepted 2 pending');
  });
});

describe('claiming and assigning from the chart', () => {
  let room: RoomHarness;
  const unassigned = () =>
    makeEncounter({ status: 'draft', coder: null, reviewer: null, codedBy: [], version: 2 });

  it('lets a coder claim an unassigned draft in one click, and follows the claim', async () => {
    room = await RoomHarness.open(unassigned(), 'coder');
    expect(room.text(room.one('next-step'))).toBe('Unassigned: waiting for a coder to claim it.');
    expect(room.one('assign-chart')).toBeNull();
    room.one<HTMLButtonElement>('claim-chart').click();
    await room.settle();
    const request = room.http.expectOne(`/api/encounters/${ENCOUNTER_ID}/claim`);
    expect(request.request.method).toBe('POST');
    request.flush(makeEncounter({ status: 'draft', reviewer: null, version: 3 }));
    room.socket.push(
      'encounter:event',
      event(3, 'assignment.changed', { how: 'claimed', coder: CODER }, CODER),
    );
    await room.settle();
    expect(room.one('claim-chart')).toBeNull();
    expect(room.text(room.one('next-step'))).toBe('Coding: waiting for you to submit.');
  });

  it('tells the coder who lost a race who has the chart', async () => {
    room = await RoomHarness.open(unassigned(), 'coder');
    room.one<HTMLButtonElement>('claim-chart').click();
    await room.settle();
    room.http
      .expectOne(`/api/encounters/${ENCOUNTER_ID}/claim`)
      .flush(
        { code: 'forbidden', message: 'Cam Coder has already claimed this chart' },
        { status: 403, statusText: 'Forbidden' },
      );
    await room.settle();
    expect(room.text(room.one('workflow-error'))).toContain(
      'Cam Coder has already claimed this chart',
    );
  });

  it('offers the supervisor Assign, not Claim, and a reviewer neither', async () => {
    room = await RoomHarness.open(unassigned(), 'supervisor');
    expect(room.one('assign-chart')).not.toBeNull();
    expect(room.one('claim-chart')).toBeNull();
    TestBed.resetTestingModule();
    room = await RoomHarness.open(unassigned(), 'reviewer');
    expect(room.one('assign-chart')).toBeNull();
    expect(room.one('claim-chart')).toBeNull();
  });

  it('opens the assign dialog on the chart with its people', async () => {
    room = await RoomHarness.open(makeEncounter({ status: 'in_review' }), 'supervisor');
    room.one<HTMLButtonElement>('assign-chart').click();
    await room.settle();
    const dialog = document.querySelector('cs-assign-dialog');
    expect(dialog?.textContent).toContain('Assign the chart');
    expect(dialog?.textContent).toContain('Keep Casey Coder');
    expect(dialog?.textContent).toContain('Keep Riley Reviewer');
    room.http.match('/api/users').forEach((r) => r.flush({ items: [] }));
  });
});

describe(nextStep.name, () => {
  it('says who acts next', () => {
    expect(nextStep(makeEncounter({ status: 'submitted', reviewer: null }), null)).toBe(
      'Submitted: no reviewer yet; any reviewer can start the review.',
    );
    expect(nextStep(makeEncounter({ status: 'submitted' }), null)).toBe(
      'Submitted: waiting for Riley Reviewer to start the review.',
    );
    expect(nextStep(makeEncounter({ status: 'draft', coder: null }), null)).toBe(
      'Unassigned: waiting for a coder to claim it.',
    );
    expect(nextStep(makeEncounter({ status: 'in_review' }), REVIEWER.id)).toBe(
      'You are reviewing the lines.',
    );
    expect(nextStep(makeEncounter({ status: 'changes_requested' }), null)).toBe(
      'Changes requested: waiting for Casey Coder to resubmit.',
    );
    expect(nextStep(makeEncounter({ status: 'approved' }), null)).toBe(
      'Approved: waiting for a supervisor to sign off.',
    );
  });
});

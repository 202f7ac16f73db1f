import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  SUPERVISOR,
  makeEncounter,
  makeLine,
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

describe(nextStep.name, () => {
  it('says who acts next', () => {
    expect(nextStep(makeEncounter({ status: 'submitted' }), null)).toBe(
      'Submitted: waiting for a reviewer to start the review.',
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

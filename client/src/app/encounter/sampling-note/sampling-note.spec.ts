import type { Encounter, RecordedSamplingDecision } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  event,
  makeEncounter,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { SamplingNote } from './sampling-note';

// No real time passes (fake clock), but building the room the first time takes seconds of CPU
// on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

const DECISION_URL = `/api/encounters/${ENCOUNTER_ID}/sampling`;

function decision(overrides: Partial<RecordedSamplingDecision>): RecordedSamplingDecision {
  return {
    encounterId: ENCOUNTER_ID,
    seq: 5,
    review: true,
    reasons: ['Coder at 100% review: 12 of 30 reviewed charts so far'],
    level: 'full',
    explanation: '100% review: 12 of 30 reviewed charts so far',
    sampleRate: 1,
    draw: 0.4321,
    decidedAt: '2026-03-02T10:00:00.000Z',
    ...overrides,
  };
}

describe(SamplingNote.name, () => {
  let room: RoomHarness;
  let draft: Encounter;
  const asked = () => room.http.match((r) => r.url === DECISION_URL);

  beforeEach(() => {
    jest.useFakeTimers();
    draft = makeEncounter({ status: 'draft', version: 4, lines: [makeLine({ code: '99213' })] });
  });
  afterEach(() => jest.useRealTimers());

  it('asks nothing for a draft, then says the review was skipped once the submit skips it', async () => {
    room = await RoomHarness.open(draft, 'coder');
    await room.settle();
    expect(asked()).toEqual([]);
    expect(room.one('sampling-note')).toBeNull();

    room.socket.push(
      'encounter:event',
      event(
        5,
        'review.skipped',
        {
          from: 'draft',
          to: 'approved',
          reasons: ['Not sampled (25% sample)'],
          level: 'sampled',
          explanation: '25% sample: 97% line accuracy over the last 30 charts',
        },
        CODER,
      ),
    );
    await room.settle();
    const [request, ...more] = asked();
    expect(more).toEqual([]);
    request!.flush(
      decision({
        review: false,
        reasons: ['Not sampled (25% sample)'],
        level: 'sampled',
        explanation: '25% sample: 97% line accuracy over the last 30 charts',
        sampleRate: 0.25,
      }),
    );
    await room.settle();
    expect(room.text(room.one('sampling-note'))).toBe(
      'Review skipped: not sampled (25% sample) Coder’s level: 25% sample: 97% line accuracy over the last 30 charts. Sent straight to sign-off.',
    );
  });

  it('lists every reason a chart in review was pulled in', async () => {
    room = await RoomHarness.open({ ...draft, status: 'in_review' }, 'reviewer');
    await room.settle();
    asked()[0]!.flush(
      decision({
        reasons: [
          'Coder at 100% review: 12 of 30 reviewed charts so far',
          'Modifier 25 on line 1 (99213)',
        ],
      }),
    );
    await room.settle();
    const note = room.one('sampling-note');
    expect(room.text(note)).toContain('Reviewed because of 2 reasons');
    expect(room.all('sampling-reason').map((li) => room.text(li))).toEqual([
      'Coder at 100% review: 12 of 30 reviewed charts so far',
      'Modifier 25 on line 1 (99213)',
    ]);
  });

  it('shows nothing for a chart submitted before sampling existed', async () => {
    room = await RoomHarness.open({ ...draft, status: 'submitted' }, 'coder');
    await room.settle();
    asked()[0]!.flush(
      { code: 'not_found', message: 'A sampling decision for this chart was not found' },
      { status: 404, statusText: 'Not Found' },
    );
    await room.settle();
    expect(room.one('sampling-note')).toBeNull();
  });
});

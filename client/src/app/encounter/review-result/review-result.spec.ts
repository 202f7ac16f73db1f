import type { ChartQualityResult, Encounter } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  makeEncounter,
  makeLine,
  statusChanged,
} from '../../../testing/encounter-fixtures';
import { TEAM_FIGURES, figures } from '../../../testing/quality-fixtures';
import { RoomHarness } from '../../../testing/room-harness';

// Building the room the first time takes seconds of CPU on a busy two-core machine.
jest.setTimeout(20_000);

const RESULT_URL = `/api/quality/encounters/${ENCOUNTER_ID}/result`;

function makeResult(): ChartQualityResult {
  return {
    encounterId: ENCOUNTER_ID,
    coder: CODER,
    reviewer: REVIEWER,
    approvedAt: '2026-11-24T15:00:00.000Z',
    figures: figures({
      coderLines: 2,
      acceptedUnchanged: 1,
      corrected: 1,
      missedLines: 1,
      chartsReviewed: 1,
      chartsClean: 0,
      reviewedCents: 20000,
      absImpactCents: 3000,
      netImpactCents: 3000,
    }),
    lines: [
      {
        lineId: 'l1',
        outcome: 'accepted',
        category: null,
        family: 'surgery',
        coderLine: '20610-RT x1',
        finalLine: '20610-RT x1',
        coderCents: 10000,
        finalCents: 10000,
      },
      {
        lineId: 'l2',
        outcome: 'corrected',
        category: 'missing-modifier',
        family: 'em',
        coderLine: '99214 x1',
        finalLine: '99214-25 x1',
        coderCents: 7000,
        finalCents: 7000,
      },
      {
        lineId: 'l3',
        outcome: 'missed',
        category: 'missed-code',
        family: 'hcpcs',
        coderLine: null,
        finalLine: 'J3301 x4',
        coderCents: 0,
        finalCents: 3000,
      },
    ],
    coderTotals: TEAM_FIGURES,
  };
}

describe('the review result card in the room', () => {
  let room: RoomHarness;
  let encounter: Encounter;
  const asked = () => room.http.match((r) => r.url === RESULT_URL);

  beforeEach(() => {
    jest.useFakeTimers();
    encounter = makeEncounter({ status: 'in_review', version: 7, lines: [makeLine()] });
  });
  afterEach(() => jest.useRealTimers());

  it('appears when the reviewer approves, without a reload, with the figures and each line', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    room.ignoreLookups();
    expect(asked()).toEqual([]);
    expect(room.one('review-result')).toBeNull();

    room.socket.push('encounter:event', statusChanged(8, 'in_review', 'approved', REVIEWER));
    await room.settle();
    const [request, ...more] = asked();
    expect(more).toEqual([]);
    request!.flush(makeResult());
    await room.settle();

    const card = room.one('review-result');
    expect(room.text(card)).toContain('Approved by Riley Reviewer');
    expect(room.text(room.one('tile-line', card))).toContain('33%');
    expect(room.text(room.one('tile-line', card))).toContain('1 of 3 lines');
    expect(room.text(room.one('tile-chart', card))).toContain('0 of 1 chart');
    const lines = room.all('review-result-line', card).map((l) => room.text(l));
    expect(lines[0]).toContain('Accepted');
    expect(lines[1]).toContain('99214 x1 → 99214-25 x1');
    expect(lines[1]).toContain('Missing modifier');
    expect(lines[2]).toContain('J3301 x4 added by the reviewer');
    expect(lines[2]).toContain('$30.00');
    expect(room.text(room.one('review-result-standing', card))).toContain(
      'Where this leaves you (last 12 weeks): line accuracy 97% (291 of 300 lines), chart accuracy 93% (28 of 30 charts)',
    );
    expect(room.one('review-result-mine', card).getAttribute('href')).toBe('/quality/me');
  });

  it('asks when an approved chart is opened, and again at sign-off', async () => {
    room = await RoomHarness.open({ ...encounter, status: 'approved' }, 'supervisor');
    room.ignoreLookups();
    asked()[0]!.flush(makeResult());
    await room.settle();
    expect(room.text(room.one('review-result'))).toContain('Where this leaves Casey Coder');

    room.socket.push('encounter:event', statusChanged(8, 'approved', 'signed_off', CODER));
    await room.settle();
    const again = asked();
    expect(again).toHaveLength(1);
    again[0]!.flush(makeResult());
    await room.settle();
    expect(room.one('review-result')).not.toBeNull();
  });

  it('goes away when an approved chart is sent back', async () => {
    room = await RoomHarness.open({ ...encounter, status: 'approved' }, 'coder');
    room.ignoreLookups();
    asked()[0]!.flush(makeResult());
    await room.settle();
    expect(room.one('review-result')).not.toBeNull();
    room.socket.push(
      'encounter:event',
      statusChanged(8, 'approved', 'changes_requested', REVIEWER, 'One more look'),
    );
    await room.settle();
    expect(asked()).toEqual([]);
    expect(room.one('review-result')).toBeNull();
  });

  it('shows nothing while the server has no result (404)', async () => {
    room = await RoomHarness.open({ ...encounter, status: 'approved' }, 'coder');
    room.ignoreLookups();
    asked()[0]!.flush(
      { code: 'not_found', message: 'No review result yet' },
      { status: 404, statusText: 'Not Found' },
    );
    await room.settle();
    expect(room.one('review-result')).toBeNull();
  });
});

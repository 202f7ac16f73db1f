import type { DoubleCoding } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  SUPERVISOR,
  makeEncounter,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { DoubleCodingNote } from './double-coding-note';

// Building the room the first time takes seconds of CPU on a busy two-core machine.
jest.setTimeout(20_000);

const JORDAN = { id: '22222222-2222-4222-8222-22222222222a', name: 'Jordan Coder' };
const DC_ID = '55555555-5555-4555-8555-555555555555';
const CHART_ID = '66666666-6666-4666-8666-666666666666';

function doubleCoding(overrides: Partial<DoubleCoding> = {}): DoubleCoding {
  return {
    id: DC_ID,
    encounterId: CHART_ID,
    chartLabel: 'Gregory Halvorsen, 2025-10-14',
    status: 'coding',
    requestedVia: 'supervisor',
    requestedBy: SUPERVISOR,
    requestedAt: '2026-11-30T10:00:00.000Z',
    copies: [
      { slot: 1, encounterId: ENCOUNTER_ID, coder: CODER, submittedAt: null },
      {
        slot: 2,
        encounterId: '77777777-7777-4777-8777-777777777777',
        coder: JORDAN,
        submittedAt: null,
      },
    ],
    submittedCount: null,
    bothSubmittedAt: null,
    reconciledBy: null,
    reconciledAt: null,
    cancelReason: null,
    ...overrides,
  };
}

describe(DoubleCodingNote.name, () => {
  let room: RoomHarness;
  const lists = () => room.http.match((r) => r.url === '/api/double-codings');

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('a blind copy says so; while coding, no link', async () => {
    room = await RoomHarness.open(
      makeEncounter({ purpose: 'blind', status: 'draft', lines: [] }),
      'coder',
    );
    await room.settle();
    expect(room.text(room.one('blind-banner'))).toBe(
      "Blind copy — you code this chart on your own; the other coder's work is hidden until you both submit.",
    );
    const [request] = lists();
    request!.flush([doubleCoding({ copies: [doubleCoding().copies[0]!] })]);
    await room.settle();
    expect(room.one('blind-reconciliation-link')).toBeNull();
  });

  it('a submitted blind copy links to the reconciliation once both are in', async () => {
    room = await RoomHarness.open(
      makeEncounter({ purpose: 'blind', status: 'submitted', lines: [makeLine()] }),
      'coder',
    );
    await room.settle();
    lists()[0]!.flush([doubleCoding({ status: 'reconciling', submittedCount: 2 })]);
    await room.settle();
    expect(room.one('blind-reconciliation-link').getAttribute('href')).toBe(
      `/double-codings/${DC_ID}/reconciliation`,
    );
  });

  it('a coder on a claim sees nothing and asks nothing', async () => {
    room = await RoomHarness.open(makeEncounter({ status: 'draft', lines: [] }), 'coder');
    await room.settle();
    expect(lists()).toEqual([]);
    expect(room.one('send-to-two-coders')).toBeNull();
    expect(room.one('blind-banner')).toBeNull();
  });

  it('a supervisor sends an uncoded draft to two different coders, then sees it waiting', async () => {
    room = await RoomHarness.open(makeEncounter({ status: 'draft', lines: [] }), 'supervisor');
    await room.settle();
    lists()[0]!.flush([]);
    await room.settle();
    room.one('send-to-two-coders').click();
    await room.settle();
    room.http.match('/api/users').forEach((r) =>
      r.flush({
        items: [
          { ...CODER, email: 'c@x', role: 'coder' },
          { ...JORDAN, email: 'j@x', role: 'coder' },
        ],
      }),
    );
    await room.settle();
    const first = document.querySelector<HTMLSelectElement>('[data-testid="send-first"]')!;
    const second = document.querySelector<HTMLSelectElement>('[data-testid="send-second"]')!;
    const confirm = document.querySelector<HTMLButtonElement>('[data-testid="confirm-send"]')!;
    room.select(first, CODER.id);
    room.select(second, CODER.id);
    confirm.click();
    await room.settle();
    expect(document.querySelector('[data-testid="send-error"]')?.textContent).toContain(
      'Choose two different coders',
    );
    room.select(second, JORDAN.id);
    confirm.click();
    await room.settle();
    const [post] = room.http.match(
      (r) => r.url === `/api/encounters/${ENCOUNTER_ID}/double-coding`,
    );
    expect(post!.request.body).toEqual({ coderIds: [CODER.id, JORDAN.id] });
    post!.flush(doubleCoding({ encounterId: ENCOUNTER_ID, submittedCount: 0 }));
    await room.settle();
    expect(room.text(room.one('double-coding-note'))).toBe(
      'Sent to two coders (Casey Coder and Jordan Coder): 0 of 2 submitted. The chart waits for their codings.',
    );
    expect(room.one('send-to-two-coders')).toBeNull();
  });

  it('no send on a chart that already has lines', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'draft', lines: [makeLine()] }),
      'supervisor',
    );
    await room.settle();
    lists()[0]?.flush([]);
    await room.settle();
    expect(room.one('send-to-two-coders')).toBeNull();
  });
});

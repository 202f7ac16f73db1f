import { commandHash, eventHash, findChainBreak, type StoredChainEvent } from './event-chain.js';

const ENCOUNTER = '00000000-0000-4000-8000-000000000001';
/** The hash of `chain(1)`'s event as the serialisation before this spec made it. */
const PINNED_FIRST_HASH = '91d104a4f5336877748693adc78e32fb888d0882cc15d13bdb9f37007e6aa87a';

function chain(n: number): StoredChainEvent[] {
  const events: StoredChainEvent[] = [];
  let previous: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const event = {
      encounterId: ENCOUNTER,
      seq,
      type: 'line.added',
      actorId: '00000000-0000-4000-8000-000000000002',
      actorName: 'Casey Coder',
      payload: { line: { code: `9921${seq}`, modifiers: [], units: 1 }, index: seq - 1 },
      createdAt: new Date(Date.UTC(2026, 2, 2, 10, 0, seq)),
    };
    const hash = eventHash(event, previous);
    events.push({ ...event, hash });
    previous = hash;
  }
  return events;
}

describe(eventHash.name, () => {
  const [first] = chain(1);

  it('does not depend on the order of the payload’s keys (jsonb reorders them)', () => {
    const reordered = {
      ...first!,
      payload: { index: 0, line: { units: 1, modifiers: [], code: '99211' } },
    };
    expect(eventHash(reordered, null)).toBe(first!.hash);
  });

  it.each([
    ['seq', { seq: 2 }],
    ['type', { type: 'line.updated' }],
    ['actor', { actorId: '00000000-0000-4000-8000-000000000003' }],
    ['actor name', { actorName: 'Someone Else' }],
    ['payload', { payload: { line: { code: '99215', modifiers: [], units: 1 }, index: 0 } }],
    ['time', { createdAt: new Date(Date.UTC(2026, 2, 2, 10, 0, 1, 1)) }],
  ])('changes when the %s changes', (_what, change) => {
    expect(eventHash({ ...first!, ...change }, null)).not.toBe(first!.hash);
  });

  it('is the hash stored chains were made with (pinned), and a payload hashes as its JSON round trip does', () => {
    // Pinned: every stored chain was hashed with this serialisation; a change breaks them all.
    expect(first!.hash).toBe(PINNED_FIRST_HASH);
    const typed = {
      line: {
        code: '99213',
        at: new Date(Date.UTC(2026, 2, 2)),
        skipped: undefined,
        units: -0,
        ratio: Number.NaN,
        list: [1, undefined, 'é\u{1F600}', { b: null, a: [] }],
      },
    };
    const roundTripped = JSON.parse(JSON.stringify(typed)) as unknown;
    expect(eventHash({ ...first!, payload: typed }, null)).toBe(
      eventHash({ ...first!, payload: roundTripped }, null),
    );
    expect(commandHash(typed)).toBe(commandHash(roundTripped));
  });

  it('chains to the previous hash', () => {
    expect(eventHash(first!, 'ab'.repeat(32))).not.toBe(first!.hash);
  });
});

describe(findChainBreak.name, () => {
  it('accepts an intact chain at the chart’s version', () => {
    expect(findChainBreak(chain(5), 5)).toBeNull();
    expect(findChainBreak([], 0)).toBeNull();
  });

  it('names the first event whose content changed, even with its own hash recomputed', () => {
    const events = chain(5);
    const tampered = { ...events[2]!, payload: { line: { code: '99215' }, index: 2 } };
    events[2] = { ...tampered, hash: eventHash(tampered, events[1]!.hash) };
    // The rewritten event itself now verifies; the next one no longer chains to it.
    expect(findChainBreak(events, 5)).toEqual({
      seq: 4,
      reason: 'event 4 (line.added) does not match its hash',
    });
  });

  it('names a changed event whose hash was left alone', () => {
    const events = chain(5);
    events[1] = { ...events[1]!, actorName: 'Mallory' };
    expect(findChainBreak(events, 5)).toEqual({
      seq: 2,
      reason: 'event 2 (line.added) does not match its hash',
    });
  });

  it('notices a removed event in the middle and at the end, and one beyond the version', () => {
    const events = chain(5);
    expect(findChainBreak([...events.slice(0, 2), ...events.slice(3)], 5)).toEqual({
      seq: 3,
      reason: 'event 3 is missing (found 4 next)',
    });
    expect(findChainBreak(events.slice(0, 4), 5)).toEqual({
      seq: 5,
      reason: 'event 5 is missing (the chart is at version 5)',
    });
    expect(findChainBreak(events, 4)).toEqual({
      seq: 5,
      reason: "event 5 is beyond the chart's version 4",
    });
  });
});

describe(commandHash.name, () => {
  it('is the same for the same command whatever its key order, and differs for another command', () => {
    expect(commandHash({ lineId: 'a', patch: { units: 2, code: 'x' } })).toBe(
      commandHash({ patch: { code: 'x', units: 2 }, lineId: 'a' }),
    );
    expect(commandHash({ lineId: 'a', patch: { units: 2 } })).not.toBe(
      commandHash({ lineId: 'a', patch: { units: 3 } }),
    );
  });
});

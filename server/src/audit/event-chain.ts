import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';

/**
 * The tamper-evident chain of an encounter's events. Each event's `hash` is sha256 over a
 * canonical serialisation (keys sorted, see fast-json-stable-stringify) of what the event says
 * and the previous event's hash, so changing, removing or reordering one event breaks every
 * hash after it. The first event of an encounter chains to `null`.
 *
 * `createdAt` is hashed at millisecond precision (what JavaScript's Date carries); the writer
 * stores it truncated to milliseconds so the stored value and the hashed one are the same.
 * The payload is hashed as it reads back from jsonb (a JSON round trip), never as typed: the
 * canonical serialisation gives a value and its JSON round trip the same text (it calls
 * `toJSON`, drops undefined members, writes non-finite numbers as null), so it is serialised
 * once, without the round trip, which was half of the hashing's work on every edit.
 */
export interface ChainedEventFields {
  encounterId: string;
  seq: number;
  type: string;
  actorId: string | null;
  actorName: string;
  payload: unknown;
  createdAt: Date;
}

/** Format tag hashed with every event, so a future change of the serialisation cannot collide. */
const CHAIN_FORMAT = 'countersign.event.v1';

export function eventHash(event: ChainedEventFields, previousHash: string | null): string {
  const canonical = stableStringify({
    format: CHAIN_FORMAT,
    encounterId: event.encounterId,
    seq: event.seq,
    type: event.type,
    actorId: event.actorId,
    actorName: event.actorName,
    payload: event.payload ?? null,
    createdAt: event.createdAt.toISOString(),
    previousHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** sha256 of a command's payload, stored with its opId: a retry must send the same command. */
export function commandHash(command: unknown): string {
  return createHash('sha256')
    .update(stableStringify(command ?? null), 'utf8')
    .digest('hex');
}

/** One stored event as the verifier reads it. */
export interface StoredChainEvent extends ChainedEventFields {
  hash: string | null;
}

/** Where a chain breaks: the first event whose stored hash is not the one recomputed. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Walks one encounter's events in seq order and returns the first break, or null when every
 * hash matches, seqs run 1..n without gaps and the last seq is the encounter's version.
 */
export function findChainBreak(
  events: readonly StoredChainEvent[],
  version: number,
): ChainBreak | null {
  return findBreakIn(events, version, eventHash, {
    atLength: 'the chart is at version',
    length: "the chart's version",
  });
}

/** One stored entry of any hash chain: its place, its kind and the hash stored with it. */
export interface ChainLink {
  seq: number;
  type: string;
  hash: string | null;
}

/**
 * The walk every chain shares (a chart's events, an organization's people trail): seqs run
 * 1..n, each stored hash is `hashOf(entry, previous hash)`, and n is the `length` the owner row
 * records (`names` say what that length is, for the messages).
 */
export function findBreakIn<E extends ChainLink>(
  events: readonly E[],
  length: number,
  hashOf: (event: E, previousHash: string | null) => string,
  names: { atLength: string; length: string },
): ChainBreak | null {
  let previous: string | null = null;
  for (const [index, event] of events.entries()) {
    const expectedSeq = index + 1;
    if (event.seq !== expectedSeq)
      return {
        seq: expectedSeq,
        reason: `event ${expectedSeq} is missing (found ${event.seq} next)`,
      };
    if (!event.hash) return { seq: event.seq, reason: `event ${event.seq} has no hash` };
    const expected = hashOf(event, previous);
    if (expected !== event.hash)
      return {
        seq: event.seq,
        reason: `event ${event.seq} (${event.type}) does not match its hash`,
      };
    previous = event.hash;
  }
  if (events.length < length)
    return {
      seq: events.length + 1,
      reason: `event ${events.length + 1} is missing (${names.atLength} ${length})`,
    };
  if (events.length > length)
    return {
      seq: length + 1,
      reason: `event ${length + 1} is beyond ${names.length} ${length}`,
    };
  return null;
}

import { createHash } from 'node:crypto';
import type { PeopleEventType } from '@countersign/shared';
import stableStringify from 'fast-json-stable-stringify';
import { findBreakIn, type ChainBreak } from './event-chain.js';

/**
 * The tamper-evident chain of an organization's people trail: each entry's hash is sha256 over
 * its canonical serialisation and the previous entry's hash, as for a chart's events
 * (event-chain.ts), with its own format tag so the two chains can never collide.
 */
export interface PeopleEventFields {
  organizationId: string;
  seq: number;
  type: PeopleEventType;
  actorId: string | null;
  actorName: string;
  subjectId: string;
  subjectName: string;
  payload: unknown;
  createdAt: Date;
}

const PEOPLE_CHAIN_FORMAT = 'countersign.people-event.v1';

export function peopleEventHash(event: PeopleEventFields, previousHash: string | null): string {
  const canonical = stableStringify({
    format: PEOPLE_CHAIN_FORMAT,
    organizationId: event.organizationId,
    seq: event.seq,
    type: event.type,
    actorId: event.actorId,
    actorName: event.actorName,
    subjectId: event.subjectId,
    subjectName: event.subjectName,
    payload: JSON.parse(JSON.stringify(event.payload ?? null)) as unknown,
    createdAt: event.createdAt.toISOString(),
    previousHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** One stored entry as the verifier reads it. */
export interface StoredPeopleEvent extends PeopleEventFields {
  hash: string | null;
}

/** The first break of an organization's people chain of `length` entries, or null when it holds. */
export function findPeopleChainBreak(
  events: readonly StoredPeopleEvent[],
  length: number,
): ChainBreak | null {
  return findBreakIn(events, length, peopleEventHash, {
    atLength: 'the trail has',
    length: "the trail's length",
  });
}

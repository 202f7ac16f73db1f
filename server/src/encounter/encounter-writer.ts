import { Inject, Injectable } from '@nestjs/common';
import {
  applyEncounterEvent,
  refusal,
  writesLines,
  type Encounter,
  type EncounterAction,
  type EncounterEvent,
  type EncounterEventPayloads,
  type EncounterEventType,
  type SessionUser,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { commandHash, eventHash } from '../audit/event-chain.js';
import { DomainError } from '../errors/domain-error.js';
import { EncounterEventBus } from './encounter-event-bus.js';
import { readEncounter } from './encounter-reader.js';
import { toEncounterEvent } from './encounter.mapper.js';

/** The outcome of a command: the event it appended, or found when the command was a retry. */
export interface CommandOutcome {
  event: EncounterEvent;
  duplicate: boolean;
}

type Written =
  | { event: EncounterEvent; duplicate: true }
  | { event: EncounterEvent; duplicate: false; encounter: Encounter };

export type Change<T extends EncounterEventType = EncounterEventType> = {
  [K in T]: { type: K; payload: EncounterEventPayloads[K] };
}[T];

/** What a command changes, for the staleness check against the version the client saw. */
export type StaleTarget =
  | { kind: 'chart' }
  | { kind: 'line'; lineId: string }
  | { kind: 'suggestion'; suggestionId: string }
  | { kind: 'nothing' };

export interface WriteOptions {
  /** The version the client saw; absent for REST calls without If-Match. */
  baseVersion?: number;
  opId?: string | null;
  /**
   * The command as the client sent it (its opId and baseVersion are left out of the hash): an
   * opId seen before with another command is a `conflict`, the same command a duplicate.
   */
  command?: unknown;
  stale: StaleTarget;
}

/** What a change function gets: the transaction, the chart as it stands and the seq its event takes. */
export interface ChangeContext {
  tx: EntityManager;
  current: Encounter;
  seq: number;
  user: SessionUser;
}

/**
 * Runs one command on one encounter. In one transaction: lock the encounter row (scoped to the
 * caller's organization), answer a retried `opId` with its original event (or `conflict` when
 * the opId came with another command), refuse a stale command with `conflict` and the current
 * state, let the change do its work, then bump the version and append the event with
 * `seq = version` and its hash chained to the previous event's (server/src/audit/event-chain.ts).
 * The row lock keeps the sequence and the chain gapless under concurrent writers. The event is
 * published only after commit.
 */
@Injectable()
export class EncounterWriter {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterEventBus) private readonly bus: EncounterEventBus,
  ) {}

  async run(
    user: SessionUser,
    encounterId: string,
    options: WriteOptions,
    change: (context: ChangeContext) => Promise<Change>,
  ): Promise<CommandOutcome> {
    const outcome = await this.dataSource.transaction(async (tx): Promise<Written> => {
      const locked: Array<{ version: number }> = await tx.query(
        'SELECT version FROM encounters WHERE id = $1 AND organization_id = $2 FOR UPDATE',
        [encounterId, user.organizationId],
      );
      if (locked.length === 0) throw DomainError.notFound('The encounter');
      const opHash =
        options.opId && options.command !== undefined
          ? commandHash(withoutEnvelope(options.command))
          : null;
      if (options.opId) {
        const earlier = await tx.query(
          `SELECT encounter_id, seq, type, actor_id, actor_name, payload, op_id, op_hash, created_at
             FROM encounter_events WHERE encounter_id = $1 AND op_id = $2`,
          [encounterId, options.opId],
        );
        if (earlier.length) {
          if (opHash && earlier[0].op_hash && earlier[0].op_hash !== opHash) {
            throw new DomainError(
              'conflict',
              `Operation ${options.opId} was already used for a different change; send a new opId for a new change`,
            );
          }
          return { event: toEncounterEvent(earlier[0]), duplicate: true };
        }
      }
      const current = await readEncounter(tx, user.organizationId, encounterId);
      if (options.baseVersion !== undefined)
        await assertFresh(tx, current, options.baseVersion, options.stale);
      const seq = current.version + 1;
      const result = await change({ tx, current, seq, user });
      await tx.query(
        `UPDATE encounters SET version = $2, updated_at = now(),
                coded_by = CASE WHEN $3 AND NOT $4::uuid = ANY(coded_by) THEN array_append(coded_by, $4::uuid) ELSE coded_by END
          WHERE id = $1`,
        [encounterId, seq, writesLines(result), user.id],
      );
      const event = await appendEvent(tx, {
        encounterId,
        seq,
        type: result.type,
        user,
        payload: result.payload,
        opId: options.opId ?? null,
        opHash,
      });
      // The event must fold into the state it was made from; a mismatch is a bug, not user error.
      return { event, duplicate: false, encounter: applyEncounterEvent(current, event) };
    });
    if (!outcome.duplicate)
      this.bus.publish({ event: outcome.event, encounter: outcome.encounter });
    return { event: outcome.event, duplicate: outcome.duplicate };
  }

  /** Appends the first event of a new encounter inside the caller's transaction. */
  async appendCreated(
    tx: EntityManager,
    user: SessionUser,
    encounter: Encounter,
  ): Promise<EncounterEvent> {
    return appendEvent(tx, {
      encounterId: encounter.id,
      seq: 1,
      type: 'encounter.created',
      user,
      payload: { encounter },
      opId: null,
      opHash: null,
    });
  }

  /** Publishes a new encounter's first event after its transaction committed. */
  publishCreated(event: EncounterEvent, encounter: Encounter): void {
    this.bus.publish({ event, encounter });
  }
}

/**
 * Appends one event with its chain hash. The previous event's hash and the commit timestamp
 * (truncated to milliseconds, the precision the hash covers) come from one query; the row lock
 * on the encounter keeps anyone else from appending in between.
 */
async function appendEvent(
  tx: EntityManager,
  event: {
    encounterId: string;
    seq: number;
    type: EncounterEventType;
    user: SessionUser;
    payload: unknown;
    opId: string | null;
    opHash: string | null;
  },
): Promise<EncounterEvent> {
  const [head] = (await tx.query(
    `SELECT date_trunc('milliseconds', now()) AS now,
            (SELECT hash FROM encounter_events WHERE encounter_id = $1 AND seq = $2) AS previous`,
    [event.encounterId, event.seq - 1],
  )) as Array<{ now: Date; previous: string | null }>;
  if (event.seq > 1 && !head!.previous)
    throw new Error(`Encounter ${event.encounterId} has no event ${event.seq - 1} to chain to`);
  const payload = JSON.stringify(event.payload);
  const hash = eventHash(
    {
      encounterId: event.encounterId,
      seq: event.seq,
      type: event.type,
      actorId: event.user.id,
      actorName: event.user.name,
      payload: JSON.parse(payload) as unknown,
      createdAt: head!.now,
    },
    head!.previous,
  );
  const rows = await tx.query(
    `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, op_id, op_hash, created_at, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at`,
    [
      event.encounterId,
      event.seq,
      event.type,
      event.user.id,
      event.user.name,
      payload,
      event.opId,
      event.opHash,
      head!.now,
      hash,
    ],
  );
  return toEncounterEvent(rows[0]);
}

/** A command without the envelope a retry may legitimately change. */
function withoutEnvelope(command: unknown): unknown {
  if (typeof command !== 'object' || command === null) return command;
  const { opId: _opId, baseVersion: _baseVersion, ...rest } = command as Record<string, unknown>;
  return rest;
}

/** Throws the policy's refusal (forbidden or invalid_state) when `user` may not do `action` now. */
export function assertAllowed(
  action: EncounterAction,
  user: SessionUser,
  encounter: Encounter,
): void {
  const refused = refusal(action, user, encounter);
  if (refused) throw new DomainError(refused.code, refused.message);
}

async function assertFresh(
  tx: EntityManager,
  current: Encounter,
  baseVersion: number,
  target: StaleTarget,
): Promise<void> {
  if (baseVersion > current.version) {
    throw new DomainError(
      'validation_failed',
      `baseVersion ${baseVersion} is ahead of the chart (version ${current.version})`,
    );
  }
  let changedAt = 0;
  let what = 'the chart';
  switch (target.kind) {
    case 'chart':
      changedAt = current.version;
      break;
    case 'line': {
      const rows: Array<{ last_seq: number }> = await tx.query(
        'SELECT last_seq FROM claim_lines WHERE id = $1 AND encounter_id = $2',
        [target.lineId, current.id],
      );
      if (!rows[0]) throw DomainError.notFound('The claim line');
      changedAt = rows[0].last_seq;
      what = 'this line';
      break;
    }
    case 'suggestion': {
      const rows: Array<{ last_seq: number }> = await tx.query(
        `SELECT greatest(s.last_seq, l.last_seq) AS last_seq FROM suggestions s JOIN claim_lines l ON l.id = s.line_id
          WHERE s.id = $1 AND s.encounter_id = $2`,
        [target.suggestionId, current.id],
      );
      if (!rows[0]) throw DomainError.notFound('The suggestion');
      changedAt = rows[0].last_seq;
      what = 'this suggestion';
      break;
    }
    case 'nothing':
      return;
  }
  if (changedAt > baseVersion) {
    throw new DomainError(
      'conflict',
      `Someone changed ${what} after you last saw it; look again and retry`,
      { encounter: current },
    );
  }
}

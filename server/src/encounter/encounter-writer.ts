import { Inject, Injectable } from '@nestjs/common';
import {
  applyEncounterEvent,
  refusal,
  type Encounter,
  type EncounterAction,
  type EncounterEvent,
  type EncounterEventPayloads,
  type EncounterEventType,
  type SessionUser,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { EncounterEventBus } from './encounter-event-bus.js';
import { readEncounter } from './encounter-reader.js';
import { toEncounterEvent } from './encounter.mapper.js';

/** The outcome of a command: the event it appended, or found when the command was a retry. */
export interface CommandOutcome {
  event: EncounterEvent;
  duplicate: boolean;
}

type Written = { event: EncounterEvent; duplicate: true } | { event: EncounterEvent; duplicate: false; encounter: Encounter };

export type Change<T extends EncounterEventType = EncounterEventType> = { [K in T]: { type: K; payload: EncounterEventPayloads[K] } }[T];

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
 * caller's organization), answer a retried `opId` with its original event, refuse a stale
 * command with `conflict` and the current state, let the change do its work, then bump the
 * version and append the event with `seq = version`. The row lock keeps the sequence gapless
 * under concurrent writers. The event is published only after commit.
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
      if (options.opId) {
        const earlier = await tx.query(
          `SELECT encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at
             FROM encounter_events WHERE encounter_id = $1 AND op_id = $2`,
          [encounterId, options.opId],
        );
        if (earlier.length) return { event: toEncounterEvent(earlier[0]), duplicate: true };
      }
      const current = await readEncounter(tx, user.organizationId, encounterId);
      if (options.baseVersion !== undefined) await assertFresh(tx, current, options.baseVersion, options.stale);
      const seq = current.version + 1;
      const result = await change({ tx, current, seq, user });
      await tx.query('UPDATE encounters SET version = $2, updated_at = now() WHERE id = $1', [encounterId, seq]);
      const rows = await tx.query(
        `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         RETURNING encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at`,
        [encounterId, seq, result.type, user.id, user.name, JSON.stringify(result.payload), options.opId ?? null],
      );
      const event = toEncounterEvent(rows[0]);
      // The event must fold into the state it was made from; a mismatch is a bug, not user error.
      return { event, duplicate: false, encounter: applyEncounterEvent(current, event) };
    });
    if (!outcome.duplicate) this.bus.publish({ event: outcome.event, encounter: outcome.encounter });
    return { event: outcome.event, duplicate: outcome.duplicate };
  }

  /** Appends the first event of a new encounter inside the caller's transaction. */
  async appendCreated(tx: EntityManager, user: SessionUser, encounter: Encounter): Promise<EncounterEvent> {
    const rows = await tx.query(
      `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, created_at)
       VALUES ($1, 1, 'encounter.created', $2, $3, $4, now())
       RETURNING encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at`,
      [encounter.id, user.id, user.name, JSON.stringify({ encounter })],
    );
    return toEncounterEvent(rows[0]);
  }

  /** Publishes a new encounter's first event after its transaction committed. */
  publishCreated(event: EncounterEvent, encounter: Encounter): void {
    this.bus.publish({ event, encounter });
  }
}

/** Throws the policy's refusal (forbidden or invalid_state) when `user` may not do `action` now. */
export function assertAllowed(action: EncounterAction, user: SessionUser, encounter: Encounter): void {
  const refused = refusal(action, user, encounter);
  if (refused) throw new DomainError(refused.code, refused.message);
}

async function assertFresh(tx: EntityManager, current: Encounter, baseVersion: number, target: StaleTarget): Promise<void> {
  if (baseVersion > current.version) {
    throw new DomainError('validation_failed', `baseVersion ${baseVersion} is ahead of the chart (version ${current.version})`);
  }
  let changedAt = 0;
  let what = 'the chart';
  switch (target.kind) {
    case 'chart':
      changedAt = current.version;
      break;
    case 'line': {
      const rows: Array<{ last_seq: number }> = await tx.query('SELECT last_seq FROM claim_lines WHERE id = $1 AND encounter_id = $2', [
        target.lineId,
        current.id,
      ]);
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
    throw new DomainError('conflict', `Someone changed ${what} after you last saw it; look again and retry`, { encounter: current });
  }
}

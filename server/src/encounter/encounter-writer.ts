import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  applyEncounterEvent,
  refusal,
  writesLines,
  type Encounter,
  type EncounterAction,
  type EncounterEvent,
  type EncounterEventPayloads,
  type EncounterEventType,
  type ClaimLine,
  type PolicySubject,
  type IntakeSource,
  type SessionUser,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { commandHash, eventHash } from '../audit/event-chain.js';
import { LivePool, type SqlRunner } from '../database/live-pool.js';
import { DomainError } from '../errors/domain-error.js';
import { EncounterEventBus } from './encounter-event-bus.js';
import { readEncounter, toClaimLine } from './encounter-reader.js';
import { toEncounterEvent } from './encounter.mapper.js';
import { KeptCharts } from './kept-charts.js';
import {
  EncounterRepository,
  type CommandReadRow,
  type LockedHeadRow,
  type SqlWrite,
} from './encounter.repository.js';

/** The outcome of a command: the event it appended, or found when the command was a retry. */
export interface CommandOutcome {
  event: EncounterEvent;
  duplicate: boolean;
}

type Written =
  | { event: EncounterEvent; duplicate: true }
  | { event: EncounterEvent; duplicate: false; encounter: Encounter | null; hash: string };

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
  /**
   * The caller's session check, run first in the command's transaction (on the live pool it
   * leaves with BEGIN and the lock): the user as the database has them now, who then acts.
   */
  session?: SessionCheck;
  /**
   * Set by the line update (`EncounterService.updateLine`), whose change reads only the chart's
   * header and its target line and writes only through `alongside` (`UPDATE ... WHERE`): it may
   * then be made from the chart this instance keeps and written in one statement whose
   * conditions cover exactly what that change reads (see `runOnLine`); another change is not.
   */
  fromKeptChart?: true;
  /**
   * Set only by the double coding itself (requesting, cancelling, reconciling): a chart with an
   * open double coding takes no other command (docs/domain.md section 11.2).
   */
  doubleCoding?: true;
}

/** The options of a line command: its target is a line, or nothing (a new line). */
export type LineWriteOptions = WriteOptions & {
  stale: { kind: 'line'; lineId: string } | { kind: 'nothing' };
};

/** A command's session check; `inStatement` when the check can instead be one condition of a statement. */
export interface SessionCheck {
  (runner: SqlRunner): Promise<SessionUser>;
  inStatement?: {
    sessionId: string;
    idleSeconds: number;
    /** Whether the command is a person's activity: the idle clock restarts when older than `touchAfterSeconds`. */
    touch: boolean;
    touchAfterSeconds: number;
    /** Tells the caller the session was checked (by the statement that wrote the command). */
    checked(): void;
  };
}

/** The last event this instance appended to a chart, for a command made from the kept chart. */
interface ChainHead {
  seq: number;
  hash: string;
}

/** Charts whose chain head is remembered (the least recently written leave first). */
const CHAIN_HEADS_KEPT = 1000;

/** What a change function gets: the transaction, the chart as it stands and the seq its event takes. */
export interface ChangeContext {
  tx: EntityManager;
  current: Encounter;
  seq: number;
  user: SessionUser;
}

/** The encounter row as the lock read it: what the policy and a line command check. */
export interface ChartHead extends PolicySubject {
  id: string;
  organizationId: string;
  version: number;
  diagnoses: string[];
  purpose: Encounter['purpose'];
  lineCount: number;
}

/**
 * A claim line a command targets, with its place in the list and the status of a suggestion on it
 * that still waits for the coder, the reviewer or a supervisor (null when none does).
 */
export type TargetLine = ClaimLine & {
  position: number;
  waitingSuggestion: 'open' | 'disputed' | 'escalated' | null;
};

/** What a change function of a line command gets: the chart's header and the line it targets, not the whole chart. */
export interface LineChangeContext {
  /** The transaction on the live pool: repository functions run their statements on it. */
  tx: SqlRunner;
  head: ChartHead;
  /** The line of a `{kind: 'line'}` target, null when it does not exist (or there is none). */
  line: TargetLine | null;
  seq: number;
  user: SessionUser;
  /** Has `write` run in the statement that appends the event, instead of a statement of its own. */
  alongside: (write: SqlWrite) => void;
}

/**
 * Runs one command on one encounter. In one transaction: lock the encounter row (scoped to the
 * caller's organization), answer a retried `opId` with its original event (or `conflict` when
 * the opId came with another command), refuse a stale command with `conflict` and the current
 * state, let the change do its work, then bump the version and append the event with
 * `seq = version` and its hash chained to the previous event's (server/src/audit/event-chain.ts).
 * The row lock keeps the sequence and the chain gapless under concurrent writers. The event is
 * published only after commit.
 *
 * The lock and everything the checks need (opId, the target's last change, the previous hash,
 * the clock) come from one statement (a second one only when the lock had to wait for another
 * writer, see `lockAndRead`), and the bump and the event from another:
 * `runOnLine` adds only the change's own statements, `run` also reads the whole chart first.
 */
@Injectable()
export class EncounterWriter {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterEventBus) private readonly bus: EncounterEventBus,
    @Inject(EncounterRepository) private readonly repository: EncounterRepository,
    /** The pipelined pool of line commands; without it (the demo seed) they run on the DataSource. */
    @Optional() @Inject(LivePool) private readonly live: LivePool | null = null,
    /** The charts the live room keeps; without them (the demo seed) a refusal reads the chart. */
    @Optional() @Inject(KeptCharts) private readonly kept: KeptCharts | null = null,
  ) {}

  /** Per chart, the last event appended through this instance (after its commit). */
  private readonly chainHeads = new Map<string, ChainHead>();
  /** Charts with a command made from the kept chart in flight: the next ones read under the lock. */
  private readonly fromKeptInFlight = new Set<string>();

  /** A command whose change needs the whole chart (review, workflow, header). */
  run(
    user: SessionUser,
    encounterId: string,
    options: WriteOptions,
    change: (context: ChangeContext) => Promise<Change>,
  ): Promise<CommandOutcome> {
    const onDataSource: Transaction<EntityManager> = (work) =>
      this.dataSource.transaction((tx) => work(tx, (last) => last));
    return this.write(onDataSource, user, encounterId, options, async ({ tx, seq, user }) => {
      const current = await readEncounter(this.repository, tx, user.organizationId, encounterId);
      return { change: await change({ tx, current, seq, user }), before: current };
    });
  }

  /**
   * A command on the lines that needs only the chart's header and its target line: the live
   * edit path. The chart after it is not known here; listeners fold the event themselves.
   */
  async runOnLine(
    user: SessionUser,
    encounterId: string,
    options: LineWriteOptions,
    change: (context: LineChangeContext) => Promise<Change>,
  ): Promise<CommandOutcome> {
    if (options.fromKeptChart && !this.fromKeptInFlight.has(encounterId)) {
      this.fromKeptInFlight.add(encounterId);
      try {
        const outcome = await this.fromKeptChart(user, encounterId, options, change);
        if (outcome) return outcome;
      } finally {
        this.fromKeptInFlight.delete(encounterId);
      }
    }
    return this.readingUnderLock(user, encounterId, options, change);
  }

  /**
   * The line command made from the chart this instance keeps (LiveCharts folds every event it
   * commits into it), at the version of the last event this instance appended, whose hash it
   * knows: the checks run on that chart, the event is hashed, and one statement writes it only
   * where everything the checks read still holds in the database (`appendOnKept`), with
   * BEGIN and COMMIT in the same write: one round trip, three statements, the session checked in
   * the statement. Null (nothing written) when there is no such chart, the change refuses, or a
   * condition failed: the caller then runs the command reading under the lock, which gives the
   * answer (a retry's original event, a conflict, a refusal) as before. Only a command made
   * against the chart's current version takes this path (one made against an older one may be
   * stale, and that the line's last change tells, which is not kept here). One such command per
   * chart is in flight at a time; the others read under the lock, so two made from the same
   * version do not both pay for a failed condition.
   */
  private async fromKeptChart(
    user: SessionUser,
    encounterId: string,
    options: LineWriteOptions,
    change: (context: LineChangeContext) => Promise<Change>,
  ): Promise<CommandOutcome | null> {
    const live = this.live;
    const session = options.session?.inStatement;
    const chain = this.chainHeads.get(encounterId);
    const { stale, baseVersion } = options;
    if (!live || !session || !chain || stale.kind !== 'line' || baseVersion === undefined)
      return null;
    // Made against the chart as it stands: a command made against an older version may be
    // stale, which only the line's last change (not kept here) tells, so it reads under the lock.
    const chart = this.kept?.at(user.organizationId, encounterId, chain.seq);
    if (!chart || baseVersion !== chart.version) return null;
    const position = chart.lines.findIndex((l) => l.id === stale.lineId);
    const kept = chart.lines[position];
    if (!kept) return null;
    const head: ChartHead = {
      id: chart.id,
      organizationId: chart.organizationId,
      version: chart.version,
      status: chart.status,
      coder: chart.coder,
      reviewer: chart.reviewer,
      codedBy: chart.codedBy,
      diagnoses: chart.diagnoses,
      purpose: chart.purpose,
      lineCount: chart.lines.length,
    };
    // The line's own fields, each of which the statement checks (and that no suggestion waits on it).
    const line: TargetLine = {
      id: kept.id,
      code: kept.code,
      modifiers: kept.modifiers,
      units: kept.units,
      pointers: kept.pointers,
      rationale: kept.rationale,
      evidence: kept.evidence,
      origin: kept.origin,
      review: kept.review,
      submitted: kept.submitted,
      position,
      waitingSuggestion: null,
    };
    const seq = chart.version + 1;
    const writes: SqlWrite[] = [];
    /** The change may only hand its writes over: a statement of its own would run unguarded. */
    const noStatements: SqlRunner = {
      query: () => Promise.reject(new Error('A change made from the kept chart runs no statement')),
    };
    let result: Change;
    try {
      result = await change({
        tx: noStatements,
        head,
        line,
        seq,
        user,
        alongside: (write) => writes.push(write),
      });
    } catch {
      return null;
    }
    // What the statement checks is what a line update reads (`EncounterService.updateLine`).
    if (result.type !== 'line.updated') return null;
    const createdAt = new Date();
    const opHash =
      options.opId && options.command !== undefined
        ? commandHash(withoutEnvelope(options.command))
        : null;
    const hash = eventHash(
      {
        encounterId,
        seq,
        type: result.type,
        actorId: user.id,
        actorName: user.name,
        payload: result.payload,
        createdAt,
      },
      chain.hash,
    );
    const row = await live.transaction((tx) =>
      tx.commitAfter(
        this.repository.appendOnKept(
          tx,
          {
            encounterId,
            seq,
            type: result.type,
            actorId: user.id,
            actorName: user.name,
            payload: JSON.stringify(result.payload),
            opId: options.opId ?? null,
            opHash,
            createdAt,
            hash,
          },
          {
            organizationId: user.organizationId,
            version: chart.version,
            previousHash: chain.hash,
            viewer: { id: user.id, role: user.role, name: user.name },
            session,
            head,
            line: { ...line, baseVersion },
          },
          writesLines(result),
          writes,
        ),
      ),
    );
    if (!row) return null;
    session.checked();
    const event = toEncounterEvent(row);
    this.remember(encounterId, { seq, hash });
    this.bus.publish({ event, organizationId: user.organizationId, encounter: null });
    return { event, duplicate: false };
  }

  /** Remembers the chart's newest event appended here (a later one than any remembered). */
  private remember(encounterId: string, head: ChainHead): void {
    const known = this.chainHeads.get(encounterId);
    if (known && known.seq >= head.seq) return;
    this.chainHeads.delete(encounterId);
    this.chainHeads.set(encounterId, head);
    if (this.chainHeads.size > CHAIN_HEADS_KEPT)
      this.chainHeads.delete(this.chainHeads.keys().next().value!);
  }

  /** The line command reading what its checks need under the row lock. */
  private readingUnderLock(
    user: SessionUser,
    encounterId: string,
    options: LineWriteOptions,
    change: (context: LineChangeContext) => Promise<Change>,
  ): Promise<CommandOutcome> {
    const live = this.live;
    const transaction: Transaction<SqlRunner> = live
      ? (work) => live.transaction((tx) => work(tx, (last) => tx.commitAfter(last)))
      : (work) => this.dataSource.transaction((tx) => work(tx, (last) => last));
    return this.write(transaction, user, encounterId, options, async (context) => ({
      change: await change(context),
      before: null,
    }));
  }

  private async write<Tx extends SqlRunner>(
    transaction: Transaction<Tx>,
    user: SessionUser,
    encounterId: string,
    options: WriteOptions,
    change: (context: Omit<LineChangeContext, 'tx'> & { tx: Tx }) => Promise<{
      change: Change;
      before: Encounter | null;
    }>,
  ): Promise<CommandOutcome> {
    const outcome = await transaction(async (tx, commitAfter): Promise<Written> => {
      const stale = options.stale;
      const target = {
        encounterId,
        opId: options.opId ?? null,
        lineId: stale.kind === 'line' ? stale.lineId : null,
        suggestionId: stale.kind === 'suggestion' ? stale.suggestionId : null,
      };
      // Sent together: the session check (when the caller handed it over), then the lock.
      const [actor, locked] = await Promise.all([
        options.session ? options.session(tx) : user,
        this.repository.lockAndRead(tx, user.organizationId, target, user),
      ]);
      if (!locked) throw DomainError.notFound('The encounter');
      const reads =
        locked.reads ??
        (await this.repository.commandReads(tx, { ...target, version: locked.head.version }));
      const opHash =
        options.opId && options.command !== undefined
          ? commandHash(withoutEnvelope(options.command))
          : null;
      if (reads.earlier) {
        if (opHash && reads.earlier.op_hash && reads.earlier.op_hash !== opHash) {
          throw new DomainError(
            'conflict',
            `Operation ${options.opId} was already used for a different change; send a new opId for a new change`,
          );
        }
        const created_at = new Date(reads.earlier.created_at);
        return { event: toEncounterEvent({ ...reads.earlier, created_at }), duplicate: true };
      }
      if (reads.double_coding_open && !options.doubleCoding)
        throw new DomainError(
          'invalid_state',
          'This chart is being double coded: it cannot be changed until the two codings are reconciled or the double coding is cancelled',
        );
      const head = toChartHead(locked.head, reads.line_count);
      if (options.baseVersion !== undefined) {
        const refused = staleness(head, reads, options.baseVersion, stale);
        if (refused instanceof DomainError) throw refused;
        if (refused) {
          // The chart as it stands at the locked version: the one this instance keeps, when
          // it keeps that version (KeptCharts), else read.
          const current =
            this.kept?.at(user.organizationId, encounterId, head.version) ??
            (await readEncounter(this.repository, tx, user.organizationId, encounterId));
          throw new DomainError(
            'conflict',
            `Someone changed ${refused.what} after you last saw it; look again and retry`,
            { encounter: current },
          );
        }
      }
      const seq = head.version + 1;
      // Checked before any write: on the live pool the COMMIT leaves with the append whatever
      // happens, so nothing may fail in JavaScript between the first write and the append's SQL.
      if (seq > 1 && !reads.previous_hash)
        throw new Error(`Encounter ${encounterId} has no event ${seq - 1} to chain to`);
      const line = reads.line
        ? {
            ...toClaimLine(reads.line),
            position: reads.line.position,
            waitingSuggestion: reads.line.waiting_suggestion,
          }
        : null;
      const writes: SqlWrite[] = [];
      const result = await change({
        tx,
        head,
        line,
        seq,
        user: actor,
        alongside: (w) => writes.push(w),
      });
      // The append is the transaction's last statement: its COMMIT travels with it.
      const { event, hash } = await commitAfter(
        this.append(
          tx,
          {
            encounterId,
            seq,
            user: actor,
            change: result.change,
            opId: options.opId ?? null,
            opHash,
          },
          { now: reads.now, previousHash: reads.previous_hash },
          writes,
        ),
      );
      // The event must fold into the state it was made from; a mismatch is a bug, not user error.
      const encounter = result.before && applyEncounterEvent(result.before, event);
      return { event, duplicate: false, encounter, hash };
    });
    if (!outcome.duplicate) {
      this.remember(encounterId, { seq: outcome.event.seq, hash: outcome.hash });
      this.bus.publish({
        event: outcome.event,
        organizationId: user.organizationId,
        encounter: outcome.encounter,
      });
    }
    return { event: outcome.event, duplicate: outcome.duplicate };
  }

  /** Appends the first event of a new encounter inside the caller's transaction. */
  async appendCreated(
    tx: EntityManager,
    user: SessionUser,
    encounter: Encounter,
    now: Date,
    imported?: IntakeSource,
  ): Promise<EncounterEvent> {
    const { event } = await this.append(
      tx,
      {
        encounterId: encounter.id,
        seq: 1,
        user,
        change: {
          type: 'encounter.created',
          payload: imported ? { encounter, imported } : { encounter },
        },
        opId: null,
        opHash: null,
      },
      { now, previousHash: null },
    );
    return event;
  }

  /** Publishes a new encounter's first event after its transaction committed. */
  publishCreated(event: EncounterEvent, encounter: Encounter): void {
    this.bus.publish({ event, organizationId: encounter.organizationId, encounter });
  }

  /**
   * Appends one event with its chain hash, made from the previous event's hash and the
   * transaction's timestamp (truncated to milliseconds, the precision the hash covers); the
   * row lock on the encounter keeps anyone else from appending in between. An event after the
   * first also bumps the encounter's version.
   */
  private async append(
    tx: SqlRunner,
    event: {
      encounterId: string;
      seq: number;
      user: SessionUser;
      change: Change;
      opId: string | null;
      opHash: string | null;
    },
    chain: { now: Date; previousHash: string | null },
    alongside: readonly SqlWrite[] = [],
  ): Promise<{ event: EncounterEvent; hash: string }> {
    if (event.seq > 1 && !chain.previousHash)
      throw new Error(`Encounter ${event.encounterId} has no event ${event.seq - 1} to chain to`);
    const payload = JSON.stringify(event.change.payload);
    const hash = eventHash(
      {
        encounterId: event.encounterId,
        seq: event.seq,
        type: event.change.type,
        actorId: event.user.id,
        actorName: event.user.name,
        payload: event.change.payload,
        createdAt: chain.now,
      },
      chain.previousHash,
    );
    const row = await this.repository.appendEvent(
      tx,
      {
        encounterId: event.encounterId,
        seq: event.seq,
        type: event.change.type,
        actorId: event.user.id,
        actorName: event.user.name,
        payload,
        opId: event.opId,
        opHash: event.opHash,
        createdAt: chain.now,
        hash,
      },
      event.seq > 1 ? { writesLines: writesLines(event.change) } : null,
      alongside,
    );
    return { event: toEncounterEvent(row), hash };
  }
}

/**
 * Runs `work` in a transaction; `commitAfter(last)` commits right behind `last`, the
 * transaction's final statement (on the live pool in the same round trip; on the DataSource
 * when `work` returns).
 */
type Transaction<Tx extends SqlRunner> = <T>(
  work: (tx: Tx, commitAfter: <R>(last: Promise<R>) => Promise<R>) => Promise<T>,
) => Promise<T>;

function toChartHead(row: LockedHeadRow, lineCount: number): ChartHead {
  return {
    id: row.id,
    organizationId: row.organization_id,
    version: row.version,
    status: row.status,
    coder: row.coder_id && row.coder_name ? { id: row.coder_id, name: row.coder_name } : null,
    reviewer:
      row.reviewer_id && row.reviewer_name
        ? { id: row.reviewer_id, name: row.reviewer_name }
        : null,
    codedBy: row.coded_by,
    diagnoses: row.diagnoses,
    purpose: row.purpose,
    lineCount,
  };
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
  encounter: PolicySubject,
): void {
  const refused = refusal(action, user, encounter);
  if (refused) throw new DomainError(refused.code, refused.message);
}

/**
 * Whether a command made against `baseVersion` is too old for its target: a DomainError when
 * the request itself is wrong, `{what}` when someone changed the target since, else null.
 */
function staleness(
  head: ChartHead,
  reads: CommandReadRow,
  baseVersion: number,
  target: StaleTarget,
): DomainError | { what: string } | null {
  if (baseVersion > head.version) {
    return new DomainError(
      'validation_failed',
      `baseVersion ${baseVersion} is ahead of the chart (version ${head.version})`,
    );
  }
  switch (target.kind) {
    case 'chart':
      return head.version > baseVersion ? { what: 'the chart' } : null;
    case 'line':
      if (!reads.line) return DomainError.notFound('The claim line');
      return reads.line.last_seq > baseVersion ? { what: 'this line' } : null;
    case 'suggestion':
      if (reads.suggestion_last_seq === null) return DomainError.notFound('The suggestion');
      return reads.suggestion_last_seq > baseVersion ? { what: 'this suggestion' } : null;
    case 'nothing':
      return null;
  }
}

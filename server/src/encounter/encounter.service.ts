import { Inject, Injectable } from '@nestjs/common';
import {
  PENDING_REVIEW,
  createRefusal,
  remapPointers,
  traineeRefusalMessage,
  type ClaimLine,
  type ClaimLineFields,
  type CreateEncounter,
  type Encounter,
  type EncounterChanges,
  type EncounterEvent,
  type IntakeSource,
  type SessionUser,
  type UpdateEncounter,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import type { SqlRunner } from '../database/live-pool.js';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { toEncounterEvent } from './encounter.mapper.js';
import { assertAssignable, chartVisible } from './chart-visibility.js';
import { readEncounter, toClaimLine } from './encounter-reader.js';
import { EncounterRepository, type EncounterColumns } from './encounter.repository.js';
import {
  EncounterWriter,
  assertAllowed,
  type ChartHead,
  type CommandOutcome,
  type TargetLine,
  type WriteOptions,
} from './encounter-writer.js';

/** Version and operation id a command was made with; REST calls may leave both out. */
export interface CommandMeta {
  baseVersion?: number;
  opId?: string | null;
  /** The command as sent, so a reused opId with another command is told apart from a retry. */
  command?: unknown;
  /** The caller's session check, for a line command to run in its transaction (WriteOptions.session). */
  session?: WriteOptions['session'];
}

const MAX_LINES = 50;

/** A chart just created and its first event, to publish once its transaction commits. */
export interface CreatedChart {
  encounter: Encounter;
  event: EncounterEvent;
}

/**
 * Encounters, their header and their claim lines as the coder writes them. Every change goes
 * through EncounterWriter (one transaction, one event, published after commit) and the
 * role x state policy in shared/src/review/review-policy.ts.
 */
@Injectable()
export class EncounterService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(EncounterRepository) private readonly repository: EncounterRepository,
  ) {}

  /**
   * The encounter as it stands; another organization's encounter, and a chart the visibility
   * rule keeps from `user` (chart-visibility.ts), is not found.
   */
  get(user: SessionUser, encounterId: string): Promise<Encounter> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      if (!(await chartVisible(tx, user, encounterId))) throw DomainError.notFound('The encounter');
      return readEncounter(this.repository, tx, user.organizationId, encounterId);
    });
  }

  /**
   * A chart of the organization, read in one repeatable-read transaction, so the lines,
   * suggestions and threads are those of `version` even while commands commit.
   */
  chart(organizationId: string, encounterId: string): Promise<Encounter> {
    return this.dataSource.transaction('REPEATABLE READ', (tx) =>
      readEncounter(this.repository, tx, organizationId, encounterId),
    );
  }

  /** Events after `afterSeq`, in order, for a client catching up or the history view. */
  async eventsAfter(
    user: SessionUser,
    encounterId: string,
    afterSeq: number,
    limit = 5000,
  ): Promise<EncounterEvent[]> {
    const manager = this.dataSource.manager;
    if (!(await chartVisible(manager, user, encounterId)))
      throw DomainError.notFound('The encounter');
    const rows = await this.repository.eventsAfter(manager, encounterId, afterSeq, limit);
    return rows.map(toEncounterEvent);
  }

  /**
   * Creates a chart; the demo seed may start it further along the workflow. The assignment
   * follows the same rule as `encounter.assign` (createRefusal); the seed's charts are coded by
   * their coder and assigned by a supervisor (`assignedBy`).
   */
  async create(
    user: SessionUser,
    input: CreateEncounter,
    status: Encounter['status'] = 'draft',
    options: { assignedBy?: SessionUser } = {},
  ): Promise<Encounter> {
    const refused = createRefusal(options.assignedBy ?? user, input);
    if (refused) throw new DomainError(refused.code, refused.message);
    await this.assertAssignable(user, input.coderId, input.reviewerId);
    const { encounter, event } = await this.dataSource.transaction(async (tx) => {
      const id = await this.repository.insertEncounter(
        tx,
        user.organizationId,
        input,
        status,
        input.lines.length ? [user.id] : [],
      );
      assertPointersValid(input.lines, input.diagnoses.length);
      for (const [position, fields] of input.lines.entries())
        await this.repository.insertLine(tx, {
          encounterId: id,
          position,
          fields,
          origin: 'coder',
          review: PENDING_REVIEW,
          seq: 1,
        });
      if (status !== 'draft') await this.repository.markSubmitted(tx, id);
      const created = await readEncounter(this.repository, tx, user.organizationId, id);
      const now = await this.repository.clock(tx);
      return {
        encounter: created,
        event: await this.writer.appendCreated(tx, user, created, now),
      };
    });
    this.writer.publishCreated(event, encounter);
    return encounter;
  }

  /**
   * Creates one imported chart inside the caller's transaction (a batch of an import's rows)
   * under the same rule as `create`; null when the organization already has the chart of this
   * source (nothing written). Its `encounter.created` event names the source. The caller
   * publishes what it created after its transaction commits (`publishCreated`).
   */
  async createImported(
    tx: EntityManager,
    user: SessionUser,
    input: CreateEncounter,
    imported: IntakeSource,
  ): Promise<CreatedChart | null> {
    const refused = createRefusal(user, input);
    if (refused) throw new DomainError(refused.code, refused.message);
    const id = await this.repository.insertImportedEncounter(tx, user.organizationId, input, {
      system: imported.sourceSystem,
      id: imported.sourceId,
    });
    if (!id) return null;
    const encounter = await readEncounter(this.repository, tx, user.organizationId, id);
    const now = await this.repository.clock(tx);
    return {
      encounter,
      event: await this.writer.appendCreated(tx, user, encounter, now, imported),
    };
  }

  /** Tells the live rooms and worklists about charts whose transaction has committed. */
  publishCreated(charts: readonly CreatedChart[]): void {
    for (const { event, encounter } of charts) this.writer.publishCreated(event, encounter);
  }

  /** The organization's charts imported from any of `sources`, keyed by `sourceKey`. */
  idsBySource(
    organizationId: string,
    sources: ReadonlyArray<{ system: string; id: string }>,
  ): Promise<Map<string, string>> {
    return this.repository.idsBySource(this.dataSource.manager, organizationId, sources);
  }

  /** Header, note and diagnoses are the coder's; assignment is a supervisor's or an admin's. */
  async update(
    user: SessionUser,
    encounterId: string,
    patch: UpdateEncounter,
    meta: CommandMeta = {},
  ): Promise<CommandOutcome> {
    await this.assertAssignable(user, patch.coderId, patch.reviewerId);
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'chart' } },
      async ({ tx, current, seq }) => {
        const { coderId, reviewerId, ...content } = patch;
        if (Object.values(content).some((v) => v !== undefined))
          assertAllowed('encounter.edit', user, current);
        if (coderId !== undefined || reviewerId !== undefined) {
          assertAllowed('encounter.assign', user, current);
          assertAssignable(current);
        }
        const set: EncounterColumns = {};
        if (patch.patient)
          Object.assign(set, {
            patient_mrn: patch.patient.mrn,
            patient_name: patch.patient.name,
            patient_dob: patch.patient.dateOfBirth,
          });
        if (patch.dateOfService !== undefined) set.date_of_service = patch.dateOfService;
        if (patch.provider)
          Object.assign(set, {
            provider_name: patch.provider.name,
            provider_npi: patch.provider.npi,
          });
        if (patch.placeOfService !== undefined) set.place_of_service = patch.placeOfService;
        if (patch.clinicalNote !== undefined) set.clinical_note = patch.clinicalNote;
        if (patch.diagnoses !== undefined) set.diagnoses = patch.diagnoses;
        if (coderId !== undefined) set.coder_id = coderId;
        if (reviewerId !== undefined) set.reviewer_id = reviewerId;
        await this.repository.updateEncounter(tx, encounterId, set);
        if (patch.diagnoses) await this.followDiagnoses(tx, current, patch.diagnoses, seq);
        const after = await readEncounter(this.repository, tx, user.organizationId, encounterId);
        return {
          type: 'encounter.updated',
          payload: { changes: changedFields(patch, current, after) },
        };
      },
    );
  }

  addLine(
    user: SessionUser,
    encounterId: string,
    line: ClaimLineFields,
    index?: number,
    meta: CommandMeta = {},
  ): Promise<CommandOutcome> {
    return this.writer.runOnLine(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, head, seq, user: actor }) => {
        assertAllowed('line.add', actor, head);
        const added = await insertLineAt(this.repository, tx, head, line, 'coder', seq, index);
        return { type: 'line.added', payload: added };
      },
    );
  }

  updateLine(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    patch: Partial<ClaimLineFields>,
    meta: CommandMeta = {},
  ): Promise<CommandOutcome> {
    return this.writer.runOnLine(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId }, fromKeptChart: true },
      async ({ head, line, seq, alongside, user: actor }) => {
        assertAllowed('line.edit', actor, head);
        const target = requireLine(line);
        // A suggestion decides this line's fields: changing them under it would let an answer or a
        // supervisor's decision land on a line nobody reviewed (the coder answers it instead).
        if (target.waitingSuggestion === 'open')
          throw new DomainError(
            'invalid_state',
            'This line has a suggestion waiting for your answer: accept or dispute it instead of editing the line',
          );
        if (target.waitingSuggestion)
          throw new DomainError(
            'invalid_state',
            "This line's suggestion is disputed: it stays as it is until the dispute is settled",
          );
        const { position: _position, waitingSuggestion: _waiting, ...existing } = target;
        const next: ClaimLine = { ...existing, ...stripUndefined(patch), review: PENDING_REVIEW };
        assertPointersValid([next], head.diagnoses.length);
        alongside(this.repository.lineFieldsUpdate(encounterId, next, seq));
        return { type: 'line.updated', payload: { line: next } };
      },
    );
  }

  removeLine(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    meta: CommandMeta = {},
  ): Promise<CommandOutcome> {
    return this.writer.runOnLine(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, head, line, user: actor }) => {
        assertAllowed('line.remove', actor, head);
        const target = requireLine(line);
        if (target.submitted) {
          throw new DomainError(
            'invalid_state',
            'This line was submitted for review, so it stays on the record: change it, or let the reviewer reject it',
          );
        }
        await this.repository.deleteLine(tx, encounterId, lineId, target.position);
        return { type: 'line.removed', payload: { lineId } };
      },
    );
  }

  /** Moves each line's pointers to the letters their diagnoses have in the new list. */
  private async followDiagnoses(
    tx: SqlRunner,
    current: Encounter,
    diagnoses: readonly string[],
    seq: number,
  ): Promise<void> {
    for (const line of current.lines) {
      const pointers = remapPointers(line.pointers, current.diagnoses, diagnoses);
      if (pointers.join() !== line.pointers.join())
        await this.repository.setLinePointers(tx, line.id, pointers, seq);
    }
  }

  private async assertAssignable(
    user: SessionUser,
    coderId?: string | null,
    reviewerId?: string | null,
  ): Promise<void> {
    if (!(await this.users.allInOrganization(user.organizationId, [coderId, reviewerId]))) {
      throw new DomainError(
        'validation_failed',
        'The assigned coder or reviewer is not a member of your organization',
      );
    }
    const trainee = await this.users.traineeAmong(user.organizationId, [coderId]);
    if (trainee) throw new DomainError('validation_failed', traineeRefusalMessage(trainee));
  }
}

/** Inserts a line at `index` (default: the end) of a chart in hand and returns the event payload. */
export function addLineAt(
  repository: EncounterRepository,
  tx: SqlRunner,
  current: Encounter,
  line: ClaimLineFields,
  origin: ClaimLine['origin'],
  seq: number,
  index?: number,
  review: ClaimLine['review'] = PENDING_REVIEW,
): Promise<{ line: ClaimLine; index: number }> {
  const head = { id: current.id, diagnoses: current.diagnoses, lineCount: current.lines.length };
  return insertLineAt(repository, tx, head, line, origin, seq, index, review);
}

async function insertLineAt(
  repository: EncounterRepository,
  tx: SqlRunner,
  head: Pick<ChartHead, 'id' | 'diagnoses' | 'lineCount'>,
  fields: ClaimLineFields,
  origin: ClaimLine['origin'],
  seq: number,
  index?: number,
  review: ClaimLine['review'] = PENDING_REVIEW,
): Promise<{ line: ClaimLine; index: number }> {
  assertPointersValid([fields], head.diagnoses.length);
  if (head.lineCount >= MAX_LINES)
    throw new DomainError('invalid_state', `An encounter has at most ${MAX_LINES} lines`);
  const position = index === undefined ? head.lineCount : Math.min(index, head.lineCount);
  if (position < head.lineCount) await repository.shiftLinesDown(tx, head.id, position);
  const row = await repository.insertLine(tx, {
    encounterId: head.id,
    position,
    fields,
    origin,
    review,
    seq,
  });
  return { line: toClaimLine(row), index: position };
}

function requireLine(line: TargetLine | null): TargetLine {
  if (!line) throw DomainError.notFound('The claim line');
  return line;
}

export function findLine(encounter: Encounter, lineId: string): ClaimLine {
  const line = encounter.lines.find((l) => l.id === lineId);
  if (!line) throw DomainError.notFound('The claim line');
  return line;
}

/** A pointer must point at a diagnosis that exists (docs/domain.md section 3.6). */
export function assertPointersValid(
  lines: ReadonlyArray<Pick<ClaimLine, 'pointers'>>,
  diagnosisCount: number,
): void {
  const maxLetter = String.fromCharCode('A'.charCodeAt(0) + diagnosisCount - 1);
  const dangling = lines
    .flatMap((l) => l.pointers)
    .filter((p) => p.charCodeAt(0) - 65 >= diagnosisCount);
  if (dangling.length) {
    const allowed =
      diagnosisCount === 0
        ? 'the encounter has no diagnoses yet'
        : `pointers go from A to ${maxLetter}`;
    throw new DomainError(
      'validation_failed',
      `Diagnosis pointer ${dangling[0]} points at no diagnosis: ${allowed}`,
      { pointers: dangling },
    );
  }
}

function changedFields(
  patch: UpdateEncounter,
  before: Encounter,
  after: Encounter,
): EncounterChanges {
  const changes: EncounterChanges = {};
  if (patch.patient) changes.patient = after.patient;
  if (patch.dateOfService !== undefined) changes.dateOfService = after.dateOfService;
  if (patch.provider) changes.provider = after.provider;
  if (patch.placeOfService !== undefined) changes.placeOfService = after.placeOfService;
  if (patch.clinicalNote !== undefined) changes.clinicalNote = after.clinicalNote;
  if (patch.diagnoses !== undefined) changes.diagnoses = after.diagnoses;
  if (JSON.stringify(before.lines) !== JSON.stringify(after.lines)) changes.lines = after.lines;
  if (patch.coderId !== undefined) changes.coder = after.coder;
  if (patch.reviewerId !== undefined) changes.reviewer = after.reviewer;
  return changes;
}

/** The defined fields of a patch. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { Inject, Injectable } from '@nestjs/common';
import {
  PENDING_REVIEW,
  createRefusal,
  remapPointers,
  type ClaimLine,
  type ClaimLineFields,
  type CreateEncounter,
  type Encounter,
  type EncounterChanges,
  type EncounterEvent,
  type EncounterSummary,
  type SessionUser,
  type UpdateEncounter,
  type WorklistQuery,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import {
  ENCOUNTER_JOINS,
  ENCOUNTER_SELECT,
  toEncounterEvent,
  toEncounterSummary,
  type EncounterRow,
} from './encounter.mapper.js';
import { readEncounter, readLines } from './encounter-reader.js';
import { EncounterWriter, assertAllowed, type CommandOutcome } from './encounter-writer.js';

/** Version and operation id a command was made with; REST calls may leave both out. */
export interface CommandMeta {
  baseVersion?: number;
  opId?: string | null;
  /** The command as sent, so a reused opId with another command is told apart from a retry. */
  command?: unknown;
}

const MAX_LINES = 50;

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
  ) {}

  async worklist(user: SessionUser, query: WorklistQuery): Promise<EncounterSummary[]> {
    const where = ['e.organization_id = $1'];
    const params: unknown[] = [user.organizationId];
    if (query.status?.length) {
      params.push(query.status);
      where.push(`e.status = ANY($${params.length}::text[])`);
    }
    if (query.assignee === 'unassigned') {
      where.push('e.coder_id IS NULL');
    } else if (query.assignee) {
      params.push(query.assignee === 'me' ? user.id : query.assignee);
      where.push(`(e.coder_id = $${params.length} OR e.reviewer_id = $${params.length})`);
    }
    params.push(query.limit);
    const rows: EncounterRow[] = await this.dataSource.query(
      `SELECT ${ENCOUNTER_SELECT},
              (SELECT count(*)::int FROM claim_lines l WHERE l.encounter_id = e.id) AS line_count
         FROM encounters e ${ENCOUNTER_JOINS}
        WHERE ${where.join(' AND ')}
        ORDER BY e.updated_at DESC, e.id
        LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEncounterSummary);
  }

  /**
   * The encounter as it stands; another organization's encounter is not found. Read in one
   * repeatable-read transaction, so the lines, suggestions and threads are those of `version`
   * even while commands commit.
   */
  get(user: SessionUser, encounterId: string): Promise<Encounter> {
    return this.dataSource.transaction('REPEATABLE READ', (tx) =>
      readEncounter(tx, user.organizationId, encounterId),
    );
  }

  /** Events after `afterSeq`, in order, for a client catching up or the history view. */
  async eventsAfter(
    user: SessionUser,
    encounterId: string,
    afterSeq: number,
    limit = 5000,
  ): Promise<EncounterEvent[]> {
    const owned = await this.dataSource.query(
      'SELECT 1 FROM encounters WHERE id = $1 AND organization_id = $2',
      [encounterId, user.organizationId],
    );
    if (owned.length === 0) throw DomainError.notFound('The encounter');
    const rows = await this.dataSource.query(
      `SELECT encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at
         FROM encounter_events WHERE encounter_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [encounterId, afterSeq, limit],
    );
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
      const [row] = (await tx.query(
        `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                                 provider_npi, place_of_service, clinical_note, diagnoses, status, coder_id, reviewer_id, coded_by, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)
         RETURNING id`,
        [
          user.organizationId,
          input.patient.mrn,
          input.patient.name,
          input.patient.dateOfBirth,
          input.dateOfService,
          input.provider.name,
          input.provider.npi,
          input.placeOfService,
          input.clinicalNote,
          input.diagnoses,
          status,
          input.coderId,
          input.reviewerId,
          input.lines.length ? [user.id] : [],
        ],
      )) as Array<{ id: string }>;
      const id = row!.id;
      assertPointersValid(input.lines, input.diagnoses.length);
      for (const [position, line] of input.lines.entries())
        await insertLine(tx, id, position, line, 'coder', 1);
      if (status !== 'draft') await markSubmitted(tx, id);
      const created = await readEncounter(tx, user.organizationId, id);
      return { encounter: created, event: await this.writer.appendCreated(tx, user, created) };
    });
    this.writer.publishCreated(event, encounter);
    return encounter;
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
        if (coderId !== undefined || reviewerId !== undefined)
          assertAllowed('encounter.assign', user, current);
        const set: Record<string, unknown> = {};
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
        const columns = Object.keys(set);
        await tx.query(
          `UPDATE encounters SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
          [encounterId, ...columns.map((c) => set[c])],
        );
        if (patch.diagnoses) await followDiagnoses(tx, current, patch.diagnoses, seq);
        const after = await readEncounter(tx, user.organizationId, encounterId);
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
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current, seq }) => {
        assertAllowed('line.add', user, current);
        const added = await addLineAt(tx, current, line, 'coder', seq, index);
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
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current, seq }) => {
        assertAllowed('line.edit', user, current);
        const existing = findLine(current, lineId);
        const next: ClaimLine = { ...existing, ...stripUndefined(patch), review: PENDING_REVIEW };
        assertPointersValid([next], current.diagnoses.length);
        await tx.query(
          `UPDATE claim_lines SET code = $3, modifiers = $4, units = $5, pointers = $6, rationale = $7, evidence = $8,
                review_state = 'pending', review_category = NULL, review_comment = NULL, reviewed_by = NULL,
                reviewed_by_name = NULL, last_seq = $9, updated_at = now()
          WHERE id = $1 AND encounter_id = $2`,
          [
            lineId,
            encounterId,
            next.code,
            next.modifiers,
            next.units,
            next.pointers,
            next.rationale,
            next.evidence && JSON.stringify(next.evidence),
            seq,
          ],
        );
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
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current }) => {
        assertAllowed('line.remove', user, current);
        findLine(current, lineId);
        const [row] = (await tx.query(
          'SELECT submitted IS NOT NULL AS submitted, position FROM claim_lines WHERE id = $1',
          [lineId],
        )) as Array<{
          submitted: boolean;
          position: number;
        }>;
        if (row!.submitted) {
          throw new DomainError(
            'invalid_state',
            'This line was submitted for review, so it stays on the record: change it, or let the reviewer reject it',
          );
        }
        await tx.query('DELETE FROM claim_lines WHERE id = $1 AND encounter_id = $2', [
          lineId,
          encounterId,
        ]);
        await tx.query(
          'UPDATE claim_lines SET position = position - 1 WHERE encounter_id = $1 AND position > $2',
          [encounterId, row!.position],
        );
        return { type: 'line.removed', payload: { lineId } };
      },
    );
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
  }
}

/** Inserts a line at `index` (default: the end) and returns the event payload. */
export async function addLineAt(
  tx: EntityManager,
  current: Encounter,
  line: ClaimLineFields,
  origin: ClaimLine['origin'],
  seq: number,
  index?: number,
  review: ClaimLine['review'] = PENDING_REVIEW,
): Promise<{ line: ClaimLine; index: number }> {
  assertPointersValid([line], current.diagnoses.length);
  if (current.lines.length >= MAX_LINES)
    throw new DomainError('invalid_state', `An encounter has at most ${MAX_LINES} lines`);
  const position =
    index === undefined ? current.lines.length : Math.min(index, current.lines.length);
  await tx.query(
    'UPDATE claim_lines SET position = position + 1 WHERE encounter_id = $1 AND position >= $2',
    [current.id, position],
  );
  const id = await insertLine(tx, current.id, position, line, origin, seq, review);
  const [added] = (await readLines(tx, current.id)).filter((l) => l.id === id);
  return { line: added!, index: position };
}

async function insertLine(
  tx: EntityManager,
  encounterId: string,
  position: number,
  line: ClaimLineFields,
  origin: ClaimLine['origin'],
  seq: number,
  review: ClaimLine['review'] = PENDING_REVIEW,
): Promise<string> {
  const [row] = (await tx.query(
    `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, rationale, evidence, origin,
                              review_state, review_category, review_comment, reviewed_by, reviewed_by_name, last_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
    [
      encounterId,
      position,
      line.code,
      line.modifiers,
      line.units,
      line.pointers,
      line.rationale,
      line.evidence && JSON.stringify(line.evidence),
      origin,
      review.state,
      review.category,
      review.comment,
      review.by?.id ?? null,
      review.by?.name ?? null,
      seq,
    ],
  )) as Array<{ id: string }>;
  return row!.id;
}

/** Keeps what the coder submitted for each line not yet submitted: accuracy is measured against it. */
export async function markSubmitted(tx: EntityManager, encounterId: string): Promise<void> {
  await tx.query(
    `UPDATE claim_lines SET submitted = jsonb_build_object('code', code, 'modifiers', to_jsonb(modifiers), 'units', units,
            'pointers', to_jsonb(pointers)) WHERE encounter_id = $1 AND submitted IS NULL`,
    [encounterId],
  );
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

/** Moves each line's pointers to the letters their diagnoses have in the new list. */
async function followDiagnoses(
  tx: EntityManager,
  current: Encounter,
  diagnoses: readonly string[],
  seq: number,
): Promise<void> {
  for (const line of current.lines) {
    const pointers = remapPointers(line.pointers, current.diagnoses, diagnoses);
    if (pointers.join() !== line.pointers.join()) {
      await tx.query('UPDATE claim_lines SET pointers = $2, last_seq = $3 WHERE id = $1', [
        line.id,
        pointers,
        seq,
      ]);
    }
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

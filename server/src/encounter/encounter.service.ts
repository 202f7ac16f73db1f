import { Inject, Injectable } from '@nestjs/common';
import {
  LOCKED_STATUSES,
  applyEncounterEvent,
  remapPointers,
  type ClaimLine,
  type ClaimLineFields,
  type CreateEncounter,
  type Encounter,
  type EncounterChanges,
  type EncounterEvent,
  type EncounterEventPayloads,
  type EncounterEventType,
  type EncounterSummary,
  type SessionUser,
  type UpdateEncounter,
  type WorklistQuery,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { ClaimLineEntity } from './claim-line.entity.js';
import { EncounterEventBus } from './encounter-event-bus.js';
import {
  ENCOUNTER_JOINS,
  ENCOUNTER_SELECT,
  toClaimLine,
  toEncounter,
  toEncounterEvent,
  toEncounterSummary,
  type EncounterRow,
} from './encounter.mapper.js';

/** The outcome of a command: the event it appended. */
export interface CommandOutcome {
  event: EncounterEvent;
}

type Change<T extends EncounterEventType> = { type: T; payload: EncounterEventPayloads[T] };
type AnyChange = { [T in EncounterEventType]: Change<T> }[EncounterEventType];

/**
 * Encounters and their claim lines. Every change runs in one transaction that bumps the
 * encounter's version under a row lock, applies the change and appends the event with
 * `seq = version`; the event is published only after commit. The row lock is what keeps the
 * sequence gapless under concurrent writers.
 */
@Injectable()
export class EncounterService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(EncounterEventBus) private readonly bus: EncounterEventBus,
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

  /** The encounter as it stands; another organization's encounter is not found. */
  get(user: SessionUser, encounterId: string): Promise<Encounter> {
    return this.load(this.dataSource.manager, user.organizationId, encounterId);
  }

  /** Events after `afterSeq`, in order, for a client catching up. */
  async eventsAfter(user: SessionUser, encounterId: string, afterSeq: number, limit = 1000): Promise<EncounterEvent[]> {
    await this.assertInOrganization(user.organizationId, encounterId);
    const rows = await this.dataSource.query(
      `SELECT encounter_id, seq, type, actor_id, actor_name, payload, created_at
         FROM encounter_events WHERE encounter_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [encounterId, afterSeq, limit],
    );
    return rows.map(toEncounterEvent);
  }

  /** Creates a chart in `draft`; the demo seed may start it further along the workflow. */
  async create(user: SessionUser, input: CreateEncounter, status: Encounter['status'] = 'draft'): Promise<Encounter> {
    await this.assertAssignable(user, input.coderId, input.reviewerId);
    const { encounter, event } = await this.dataSource.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                                 provider_npi, place_of_service, clinical_note, diagnoses, status, coder_id, reviewer_id, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13, $11, $12, 1)
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
          input.coderId,
          input.reviewerId,
          status,
        ],
      )) as Array<{ id: string }>;
      const id = row!.id;
      await tx.getRepository(ClaimLineEntity).insert(input.lines.map((line, position) => ({ encounterId: id, position, ...line })));
      const created = await this.load(tx, user.organizationId, id);
      const event = await this.appendEvent(tx, user, created, { type: 'encounter.created', payload: { encounter: created } });
      return { encounter: created, event };
    });
    this.bus.publish([event]);
    return encounter;
  }

  async update(user: SessionUser, encounterId: string, patch: UpdateEncounter): Promise<CommandOutcome> {
    await this.assertAssignable(user, patch.coderId, patch.reviewerId);
    return this.mutate(user, encounterId, async (tx, current) => {
      assertEditable(current);
      const set: Record<string, unknown> = {};
      if (patch.patient) Object.assign(set, { patient_mrn: patch.patient.mrn, patient_name: patch.patient.name, patient_dob: patch.patient.dateOfBirth });
      if (patch.dateOfService !== undefined) set.date_of_service = patch.dateOfService;
      if (patch.provider) Object.assign(set, { provider_name: patch.provider.name, provider_npi: patch.provider.npi });
      if (patch.placeOfService !== undefined) set.place_of_service = patch.placeOfService;
      if (patch.clinicalNote !== undefined) set.clinical_note = patch.clinicalNote;
      if (patch.diagnoses !== undefined) set.diagnoses = patch.diagnoses;
      if (patch.coderId !== undefined) set.coder_id = patch.coderId;
      if (patch.reviewerId !== undefined) set.reviewer_id = patch.reviewerId;
      const columns = Object.keys(set);
      await tx.query(
        `UPDATE encounters SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
        [encounterId, ...columns.map((c) => set[c])],
      );
      if (patch.diagnoses) await this.followDiagnoses(tx, current, patch.diagnoses);
      const after = await this.load(tx, user.organizationId, encounterId);
      return { type: 'encounter.updated', payload: { changes: changedFields(patch, current, after) } };
    });
  }

  async addLine(user: SessionUser, encounterId: string, line: ClaimLineFields, index?: number): Promise<CommandOutcome> {
    return this.mutate(user, encounterId, async (tx, current) => {
      assertEditable(current);
      assertPointersStillValid([line], current.diagnoses.length);
      if (current.lines.length >= 50) throw new DomainError('invalid_state', 'An encounter has at most 50 lines');
      const position = index === undefined ? current.lines.length : Math.min(index, current.lines.length);
      await tx.query('UPDATE claim_lines SET position = position + 1 WHERE encounter_id = $1 AND position >= $2', [encounterId, position]);
      const inserted = await tx.getRepository(ClaimLineEntity).save(tx.getRepository(ClaimLineEntity).create({ encounterId, position, ...line }));
      return { type: 'line.added', payload: { line: toClaimLine(inserted), index: position } };
    });
  }

  async updateLine(user: SessionUser, encounterId: string, lineId: string, patch: Partial<ClaimLineFields>): Promise<CommandOutcome> {
    return this.mutate(user, encounterId, async (tx, current) => {
      assertEditable(current);
      const existing = current.lines.find((l) => l.id === lineId);
      if (!existing) throw DomainError.notFound('The claim line');
      const next: ClaimLine = { ...existing, ...stripUndefined(patch) };
      assertPointersStillValid([next], current.diagnoses.length);
      await tx.getRepository(ClaimLineEntity).update(
        { id: lineId, encounterId },
        { code: next.code, modifiers: next.modifiers, units: next.units, pointers: next.pointers },
      );
      return { type: 'line.updated', payload: { line: next } };
    });
  }

  async removeLine(user: SessionUser, encounterId: string, lineId: string): Promise<CommandOutcome> {
    return this.mutate(user, encounterId, async (tx, current) => {
      assertEditable(current);
      const position = current.lines.findIndex((l) => l.id === lineId);
      if (position < 0) throw DomainError.notFound('The claim line');
      await tx.query('DELETE FROM claim_lines WHERE id = $1 AND encounter_id = $2', [lineId, encounterId]);
      await tx.query('UPDATE claim_lines SET position = position - 1 WHERE encounter_id = $1 AND position > $2', [encounterId, position]);
      return { type: 'line.removed', payload: { lineId } };
    });
  }

  /**
   * One change: lock the encounter row by bumping its version, let `change` do its work
   * against the state as it stood, append the event, commit, then publish.
   */
  private async mutate(
    user: SessionUser,
    encounterId: string,
    change: (tx: EntityManager, current: Encounter) => Promise<AnyChange>,
  ): Promise<CommandOutcome> {
    const event = await this.dataSource.transaction(async (tx) => {
      const locked: Array<{ version: number }> = await tx.query(
        'SELECT version FROM encounters WHERE id = $1 AND organization_id = $2 FOR UPDATE',
        [encounterId, user.organizationId],
      );
      if (locked.length === 0) throw DomainError.notFound('The encounter');
      const current = await this.load(tx, user.organizationId, encounterId);
      const result = await change(tx, current);
      await tx.query('UPDATE encounters SET version = version + 1, updated_at = now() WHERE id = $1', [encounterId]);
      return this.appendEvent(tx, user, current, result);
    });
    this.bus.publish([event]);
    return { event };
  }

  private async appendEvent(tx: EntityManager, user: SessionUser, current: Encounter, change: AnyChange): Promise<EncounterEvent> {
    const seq = change.type === 'encounter.created' ? 1 : current.version + 1;
    const rows = await tx.query(
      `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       RETURNING encounter_id, seq, type, actor_id, actor_name, payload, created_at`,
      [current.id, seq, change.type, user.id, user.name, JSON.stringify(change.payload)],
    );
    const event = toEncounterEvent(rows[0]);
    // The event must fold into the state it was made from; a mismatch is a bug, not user error.
    if (change.type !== 'encounter.created') applyEncounterEvent(current, event);
    return event;
  }

  /** Moves each line's pointers to the letters their diagnoses have in the new list. */
  private async followDiagnoses(tx: EntityManager, current: Encounter, diagnoses: readonly string[]): Promise<void> {
    for (const line of current.lines) {
      const pointers = remapPointers(line.pointers, current.diagnoses, diagnoses);
      if (pointers.join() !== line.pointers.join()) {
        await tx.getRepository(ClaimLineEntity).update({ id: line.id, encounterId: current.id }, { pointers });
      }
    }
  }

  private async load(manager: EntityManager, organizationId: string, encounterId: string): Promise<Encounter> {
    const rows: EncounterRow[] = await manager.query(
      `SELECT ${ENCOUNTER_SELECT}, e.clinical_note FROM encounters e ${ENCOUNTER_JOINS}
        WHERE e.id = $1 AND e.organization_id = $2`,
      [encounterId, organizationId],
    );
    const row = rows[0];
    if (!row) throw DomainError.notFound('The encounter');
    const lines = await manager.getRepository(ClaimLineEntity).find({ where: { encounterId }, order: { position: 'ASC' } });
    return toEncounter(row, lines.map(toClaimLine));
  }

  private async assertInOrganization(organizationId: string, encounterId: string): Promise<void> {
    const rows = await this.dataSource.query('SELECT 1 FROM encounters WHERE id = $1 AND organization_id = $2', [encounterId, organizationId]);
    if (rows.length === 0) throw DomainError.notFound('The encounter');
  }

  private async assertAssignable(user: SessionUser, coderId?: string | null, reviewerId?: string | null): Promise<void> {
    if (!(await this.users.allInOrganization(user.organizationId, [coderId, reviewerId]))) {
      throw new DomainError('validation_failed', 'The assigned coder or reviewer is not a member of your organization');
    }
  }
}

function assertEditable(encounter: Encounter): void {
  if (LOCKED_STATUSES.has(encounter.status)) {
    throw new DomainError('invalid_state', `The chart is ${encounter.status.replace('_', ' ')}; its lines can no longer change`);
  }
}

/** A pointer must point at a diagnosis that exists (DOMAIN.md section 3.6). */
function assertPointersStillValid(lines: ReadonlyArray<Pick<ClaimLine, 'pointers'>>, diagnosisCount: number): void {
  const maxLetter = String.fromCharCode('A'.charCodeAt(0) + diagnosisCount - 1);
  const dangling = lines.flatMap((l) => l.pointers).filter((p) => p.charCodeAt(0) - 65 >= diagnosisCount);
  if (dangling.length) {
    const allowed = diagnosisCount === 0 ? 'the encounter has no diagnoses yet' : `pointers go from A to ${maxLetter}`;
    throw new DomainError('validation_failed', `Diagnosis pointer ${dangling[0]} points at no diagnosis: ${allowed}`, { pointers: dangling });
  }
}

function changedFields(patch: UpdateEncounter, before: Encounter, after: Encounter): EncounterChanges {
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { Inject, Injectable } from '@nestjs/common';
import {
  PENDING_REVIEW,
  matchLines,
  percentAgreement,
  scoredLine,
  unionUnits,
  type ClaimLine,
  type CodedLineView,
  type DoubleCoding,
  type DoubleCodingStatus,
  type Encounter,
  type LineDifference,
  type Reconciliation,
  type ReconciliationDecision,
  type ReconciliationDecisionInputSchema,
  type ReconciliationRow,
  type SessionUser,
  type UserRef,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ReviewerRouting } from '../assignment/reviewer-routing.js';
import { EncounterWriter } from '../encounter/encounter-writer.js';
import { readEncounter, toClaimLine } from '../encounter/encounter-reader.js';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import { EncounterService, assertPointersValid } from '../encounter/encounter.service.js';
import { DomainError } from '../errors/domain-error.js';
import { ChartEditsService } from '../review/chart-edits.service.js';
import {
  DoubleCodingRepository,
  type DecisionRow,
  type DoubleCodingRow,
} from './double-coding.repository.js';

type DecisionInput = z.output<typeof ReconciliationDecisionInputSchema>;

const OVERSEERS = new Set(['supervisor', 'admin', 'operator']);
const RECONCILERS = new Set(['reviewer', 'supervisor', 'admin', 'operator']);

/**
 * Blind double coding and reconciliation (docs/domain.md section 11.2). A chart is sent to two
 * coders, who each code a blind copy in the ordinary room; the chart takes no other change
 * while the double coding is open. Once both copies are submitted (ReviewService's submit of a
 * blind copy), a reviewer reconciles: every line of both codings gets exactly one decision with
 * a reason, the final lines go onto the chart through the encounter writer (one event, so the
 * log and its hash chain stay whole) and the chart goes on to the normal review.
 */
@Injectable()
export class DoubleCodingService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DoubleCodingRepository) private readonly repository: DoubleCodingRepository,
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
    @Inject(EncounterService) private readonly encounterService: EncounterService,
    @Inject(ChartEditsService) private readonly chartEdits: ChartEditsService,
    @Inject(ReviewerRouting) private readonly routing: ReviewerRouting,
  ) {}

  /**
   * Sends a draft chart nobody has coded yet (no lines) to two coders of the organization:
   * active, coders, not trainees. Its copies are made in the same transaction as the chart's
   * `double_coding.requested` event.
   */
  async send(
    user: SessionUser,
    encounterId: string,
    coderIds: [string, string],
    via: 'supervisor' | 'sampling' = 'supervisor',
  ): Promise<DoubleCoding> {
    if (via === 'supervisor' && !OVERSEERS.has(user.role))
      throw DomainError.forbidden('Only a supervisor or an admin sends a chart to double coding');
    await this.assertCoders(user.organizationId, coderIds);
    let doubleCodingId = '';
    const copies: Encounter[] = [];
    const created: Array<Awaited<ReturnType<EncounterWriter['appendCreated']>>> = [];
    await this.writer.run(
      user,
      encounterId,
      { stale: { kind: 'nothing' }, doubleCoding: true },
      async ({ tx, current }) => {
        if (current.purpose !== 'claim')
          throw new DomainError('invalid_state', 'Only a claim chart can be double coded');
        if (await this.repository.openOn(tx, encounterId))
          throw new DomainError('invalid_state', 'This chart is already being double coded');
        if (current.status !== 'draft' || current.lines.length > 0)
          throw new DomainError(
            'invalid_state',
            'Only a draft chart nobody has coded yet (no lines) can be sent to double coding',
          );
        doubleCodingId = await this.repository.insert(tx, {
          organizationId: user.organizationId,
          encounterId,
          via,
          requestedBy: via === 'supervisor' ? user.id : null,
        });
        const now = await this.encounters.clock(tx);
        for (const [index, coderId] of coderIds.entries()) {
          const slot = (index + 1) as 1 | 2;
          const id = await this.repository.insertCopy(
            tx,
            doubleCodingId,
            encounterId,
            slot,
            coderId,
          );
          const copy = await readEncounter(this.encounters, tx, user.organizationId, id);
          copies.push(copy);
          created.push(await this.writer.appendCreated(tx, user, copy, now));
        }
        return { type: 'double_coding.requested', payload: { doubleCodingId, via } };
      },
    );
    copies.forEach((copy, i) => this.writer.publishCreated(created[i]!, copy));
    return this.get(user, doubleCodingId);
  }

  /** The organization's double codings; a coder sees only those they code, blind. */
  async list(user: SessionUser, status?: DoubleCodingStatus): Promise<DoubleCoding[]> {
    const coderId = OVERSEERS.has(user.role) || user.role === 'reviewer' ? undefined : user.id;
    const rows = await this.repository.list(this.dataSource.manager, user.organizationId, {
      status,
      coderId,
    });
    return rows.map((row) => view(row, user));
  }

  async get(user: SessionUser, id: string): Promise<DoubleCoding> {
    return view(await this.readable(user, id), user);
  }

  /** Cancels an open double coding with a reason; the chart can be edited again. */
  async cancel(user: SessionUser, id: string, reason: string): Promise<DoubleCoding> {
    if (!OVERSEERS.has(user.role))
      throw DomainError.forbidden('Only a supervisor or an admin cancels a double coding');
    const row = await this.readable(user, id);
    await this.writer.run(
      user,
      row.encounter_id,
      { stale: { kind: 'nothing' }, doubleCoding: true },
      async ({ tx }) => {
        const status = await this.repository.lock(tx, user.organizationId, id);
        if (status !== 'coding' && status !== 'reconciling')
          throw new DomainError('invalid_state', `This double coding is already ${status}`);
        await this.repository.cancel(tx, id, user.id, reason);
        return { type: 'double_coding.cancelled', payload: { doubleCodingId: id, reason } };
      },
    );
    return this.get(user, id);
  }

  /**
   * Both codings side by side, once both are submitted: rows paired as practice scoring pairs
   * key and attempt lines, their differences, each line's fee, the chart's agreement, and the
   * decisions once reconciled. For reviewers, supervisors and admins, and then the two coders.
   */
  async reconciliation(user: SessionUser, id: string): Promise<Reconciliation> {
    const row = await this.readable(user, id);
    const isCoder = row.copies.some((c) => c.coderId === user.id);
    if (!isCoder && !RECONCILERS.has(user.role)) throw DomainError.notFound('The double coding');
    if (row.status === 'coding' || row.status === 'cancelled')
      throw new DomainError(
        'invalid_state',
        row.status === 'coding'
          ? 'The reconciliation opens once both coders have submitted'
          : 'This double coding was cancelled',
      );
    const { original, first, second } = await this.codings(user, row);
    const [firstFees, secondFees] = await Promise.all([this.fees(first), this.fees(second)]);
    const firstLines = first.lines.map((l) => lineView(l, first.diagnoses, firstFees));
    const secondLines = second.lines.map((l) => lineView(l, second.diagnoses, secondFees));
    const codings = {
      chartId: row.encounter_id,
      codings: { first: first.lines, second: second.lines },
    };
    const decisions = await this.repository.decisions(this.dataSource.manager, id);
    return {
      doubleCoding: view(row, user),
      diagnoses: original.diagnoses.map((code, i) => ({
        letter: String.fromCharCode(65 + i),
        code,
      })),
      rows: alignRows(first, second, firstLines, secondLines),
      agreement: {
        codes: percentAgreement(unionUnits([codings], 'code')),
        lines: percentAgreement(unionUnits([codings], 'line')),
      },
      decisions: decisions.map(toDecision),
    };
  }

  /**
   * Builds the chart's final lines from the decisions and sends it to the normal review. Every
   * line of both codings must be covered by exactly one decision; anything wrong is refused with
   * what is wrong, and nothing is written.
   */
  async reconcile(
    user: SessionUser,
    id: string,
    decisions: DecisionInput[],
  ): Promise<DoubleCoding> {
    const row = await this.readable(user, id);
    if (row.copies.some((c) => c.coderId === user.id))
      throw DomainError.forbidden('A coder of this chart cannot reconcile it');
    if (!RECONCILERS.has(user.role))
      throw DomainError.forbidden('Only a reviewer, a supervisor or an admin reconciles');
    if (row.status !== 'reconciling')
      throw new DomainError(
        'invalid_state',
        row.status === 'coding'
          ? 'Both coders must submit before the codings are reconciled'
          : `This double coding is already ${row.status}`,
      );
    const { first, second } = await this.codings(user, row);
    checkCoverage(decisions, first, second);
    const finals = decisions.flatMap((d) => (d.line ? [d.line] : []));
    if (finals.length === 0)
      throw new DomainError('validation_failed', 'Keep or write at least one line for the chart');
    if (finals.length > 50)
      throw new DomainError('validation_failed', 'A chart has at most 50 lines');
    const [firstFees, secondFees] = await Promise.all([this.fees(first), this.fees(second)]);
    const byId = new Map([
      ...first.lines.map((l) => [l.id, lineView(l, first.diagnoses, firstFees)] as const),
      ...second.lines.map((l) => [l.id, lineView(l, second.diagnoses, secondFees)] as const),
    ]);
    await this.writer.run(
      user,
      row.encounter_id,
      { stale: { kind: 'nothing' }, doubleCoding: true },
      async ({ tx, current, seq }) => {
        const status = await this.repository.lock(tx, user.organizationId, id);
        if (status !== 'reconciling')
          throw new DomainError('invalid_state', `This double coding is already ${status}`);
        // The final lines point at the chart's diagnoses (the copies may have changed theirs).
        assertPointersValid(finals, current.diagnoses.length);
        const lines: ClaimLine[] = [];
        for (const [position, fields] of finals.entries())
          lines.push(
            toClaimLine(
              await this.encounters.insertLine(tx, {
                encounterId: current.id,
                position,
                fields,
                origin: 'coder',
                review: PENDING_REVIEW,
                seq,
              }),
            ),
          );
        await this.encounters.markSubmitted(tx, current.id);
        await this.encounters.stampSubmitted(tx, current.id);
        // The reconciler wrote the lines: the rotation passes them over, as it passes a coder.
        let reviewer: UserRef | null = null;
        if (!current.reviewer) {
          reviewer = await this.routing.next(tx, user.organizationId, {
            ...current,
            codedBy: [...current.codedBy, user.id],
          });
          if (reviewer) await this.encounters.setReviewer(tx, current.id, reviewer.id);
        }
        await this.encounters.setStatus(tx, current.id, 'submitted');
        await this.repository.insertDecisions(
          tx,
          id,
          user.id,
          decisions.map((d) => ({
            source: d.source,
            firstLine: d.firstLineId ? byId.get(d.firstLineId)! : null,
            secondLine: d.secondLineId ? byId.get(d.secondLineId)! : null,
            finalLine: d.line && {
              code: d.line.code,
              modifiers: d.line.modifiers,
              units: d.line.units,
              pointers: d.line.pointers,
            },
            reason: d.reason,
          })),
        );
        await this.repository.reconciled(tx, id, user.id);
        return {
          type: 'double_coding.reconciled',
          payload: {
            doubleCodingId: id,
            lines: lines.map((l) => ({ ...l, submitted: true })),
            from: current.status,
            to: 'submitted',
            reviewer,
          },
        };
      },
    );
    return this.get(user, id);
  }

  /** A double coding the caller may know of: a coder only one they code; else not found. */
  private async readable(user: SessionUser, id: string): Promise<DoubleCodingRow> {
    const row = await this.repository.get(this.dataSource.manager, user.organizationId, id);
    const mayRead =
      row &&
      (OVERSEERS.has(user.role) ||
        user.role === 'reviewer' ||
        row.copies.some((c) => c.coderId === user.id));
    if (!mayRead) throw DomainError.notFound('The double coding');
    return row;
  }

  private async codings(
    user: SessionUser,
    row: DoubleCodingRow,
  ): Promise<{ original: Encounter; first: Encounter; second: Encounter }> {
    const chart = (encounterId: string) =>
      this.encounterService.chart(user.organizationId, encounterId);
    const [original, first, second] = await Promise.all([
      chart(row.encounter_id),
      chart(row.copies.find((c) => c.slot === 1)!.encounterId),
      chart(row.copies.find((c) => c.slot === 2)!.encounterId),
    ]);
    return { original, first, second };
  }

  /** Each line's fee in cents under the chart's schedule; a line with no fee is absent. */
  private async fees(encounter: Encounter): Promise<Map<string, number>> {
    const edits = await this.chartEdits.liveEdits(encounter);
    return new Map(
      edits.fees.lines
        .filter((line) => line.priced)
        .map((line) => [line.lineId, Math.round(line.amount * 100)]),
    );
  }

  private async assertCoders(organizationId: string, ids: [string, string]): Promise<void> {
    const found = await this.repository.coders(this.dataSource.manager, organizationId, ids);
    for (const id of ids) {
      const person = found.find((p) => p.id === id);
      if (!person)
        throw new DomainError(
          'validation_failed',
          'Both coders must be members of your organization',
        );
      if (person.role !== 'coder')
        throw new DomainError('validation_failed', `${person.name} is not a coder`);
      if (person.deactivated_at)
        throw new DomainError('validation_failed', `${person.name} is deactivated`);
      if (person.trainee)
        throw new DomainError(
          'validation_failed',
          `${person.name} is a trainee: trainees code practice charts, not real ones`,
        );
    }
  }
}

/**
 * A double coding as `user` may see it: one of its coders, while it is being coded (or after it
 * was cancelled), sees only their own copy and no count of submissions.
 */
export function view(row: DoubleCodingRow, user: Pick<SessionUser, 'id' | 'role'>): DoubleCoding {
  const ownCopy = row.copies.find((c) => c.coderId === user.id);
  const blind =
    !!ownCopy &&
    !OVERSEERS.has(user.role) &&
    (row.status === 'coding' || row.status === 'cancelled');
  const copies = (blind ? [ownCopy] : row.copies).map((c) => ({
    slot: c.slot,
    encounterId: c.encounterId,
    coder: { id: c.coderId, name: c.coderName },
    submittedAt: c.submittedAt,
  }));
  return {
    id: row.id,
    encounterId: row.encounter_id,
    chartLabel: `${row.patient_name}, ${row.date_of_service}`,
    status: row.status,
    requestedVia: row.requested_via,
    requestedBy:
      row.requested_by && row.requested_by_name
        ? { id: row.requested_by, name: row.requested_by_name }
        : null,
    requestedAt: row.requested_at.toISOString(),
    copies,
    submittedCount: blind ? null : row.copies.filter((c) => c.submittedAt !== null).length,
    bothSubmittedAt: row.both_submitted_at?.toISOString() ?? null,
    reconciledBy:
      row.reconciled_by && row.reconciled_by_name
        ? { id: row.reconciled_by, name: row.reconciled_by_name }
        : null,
    reconciledAt: row.reconciled_at?.toISOString() ?? null,
    cancelReason: row.cancel_reason,
  };
}

function lineView(
  line: ClaimLine,
  diagnoses: readonly string[],
  fees: Map<string, number>,
): CodedLineView {
  return {
    id: line.id,
    code: line.code,
    modifiers: line.modifiers,
    units: line.units,
    pointers: line.pointers,
    pointedDiagnoses: line.pointers.map((letter) => diagnoses[letter.charCodeAt(0) - 65] ?? letter),
    rationale: line.rationale,
    feeCents: fees.get(line.id) ?? null,
  };
}

/**
 * The side-by-side rows: each line of the first coding with its match in the second (practice
 * scoring's matcher, the first coding as the key), then the second coding's unmatched lines.
 */
export function alignRows(
  first: Pick<Encounter, 'lines' | 'diagnoses'>,
  second: Pick<Encounter, 'lines' | 'diagnoses'>,
  firstViews: CodedLineView[],
  secondViews: CodedLineView[],
): ReconciliationRow[] {
  const a = first.lines.map((l) => scoredLine(l, first.diagnoses));
  const b = second.lines.map((l) => scoredLine(l, second.diagnoses));
  const matched = matchLines(a, b);
  const rows: ReconciliationRow[] = firstViews.map((line, i) => {
    const match = matched.get(i);
    if (!match) return { key: `${line.id}:`, first: line, second: null, differences: ['missing'] };
    const { codeRight, modifiers, unitsRight, pointers } = match.comparison;
    const differences: LineDifference[] = [];
    if (!codeRight) differences.push('code');
    if (!modifiers.right) differences.push('modifiers');
    if (!unitsRight) differences.push('units');
    if (!pointers.right) differences.push('pointers');
    const other = secondViews[match.a]!;
    return { key: `${line.id}:${other.id}`, first: line, second: other, differences };
  });
  const used = new Set([...matched.values()].map((m) => m.a));
  secondViews.forEach((line, i) => {
    if (!used.has(i))
      rows.push({ key: `:${line.id}`, first: null, second: line, differences: ['missing'] });
  });
  return rows;
}

/**
 * Every line of both codings is covered by exactly one decision, and every line a decision names
 * is a line of the coding it names it for.
 */
function checkCoverage(
  decisions: readonly DecisionInput[],
  first: Pick<Encounter, 'lines'>,
  second: Pick<Encounter, 'lines'>,
): void {
  const sides = [
    { key: 'firstLineId' as const, lines: first.lines, who: 'the first coder' },
    { key: 'secondLineId' as const, lines: second.lines, who: 'the second coder' },
  ];
  for (const side of sides) {
    const ids = new Set(side.lines.map((l) => l.id));
    const seen = new Map<string, number>();
    decisions.forEach((d, i) => {
      const lineId = d[side.key];
      if (!lineId) return;
      if (!ids.has(lineId))
        throw new DomainError(
          'validation_failed',
          `Decision ${i + 1} names a line that is not a line of ${side.who}`,
          { decision: i, [side.key]: lineId },
        );
      if (seen.has(lineId))
        throw new DomainError(
          'validation_failed',
          `Decisions ${seen.get(lineId)! + 1} and ${i + 1} both decide the same line of ${side.who}: decide each line once`,
          { decisions: [seen.get(lineId), i], [side.key]: lineId },
        );
      seen.set(lineId, i);
    });
    const undecided = side.lines.filter((l) => !seen.has(l.id));
    if (undecided.length)
      throw new DomainError(
        'validation_failed',
        `Decide every line of ${side.who}: ${undecided.map((l) => [l.code, ...l.modifiers].join('-')).join(', ')} ${undecided.length === 1 ? 'has' : 'have'} no decision`,
        { undecided: undecided.map((l) => l.id) },
      );
  }
}

function toDecision(row: DecisionRow): ReconciliationDecision {
  return {
    position: row.position,
    source: row.source,
    firstLine: row.first_line as CodedLineView | null,
    secondLine: row.second_line as CodedLineView | null,
    finalLine: row.final_line as ReconciliationDecision['finalLine'],
    reason: row.reason,
    decidedBy:
      row.decided_by && row.decided_by_name
        ? { id: row.decided_by, name: row.decided_by_name }
        : null,
    decidedAt: row.decided_at.toISOString(),
  };
}

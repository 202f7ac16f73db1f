import { Inject, Injectable } from '@nestjs/common';
import {
  reviewBlockers,
  type BilledFieldsPatch,
  type ClaimLine,
  type ClaimLineFields,
  type CorrectionCategory,
  type Encounter,
  type EncounterStatus,
  type CitedPrecedent,
  type ProposedLine,
  type SessionUser,
  type Suggestion,
  type Transition,
  type UserRef,
  isWaitingSuggestion,
} from '@countersign/shared';
import {
  addLineAt,
  assertPointersValid,
  findLine,
  stripUndefined,
  type CommandMeta,
} from '../encounter/encounter.service.js';
import {
  EncounterWriter,
  assertAllowed,
  type Change,
  type CommandOutcome,
} from '../encounter/encounter-writer.js';
import { copySubmitted } from '../double-coding/double-coding.repository.js';
import { DomainError } from '../errors/domain-error.js';
import { APPROVAL_GATES, type ApprovalGate } from './approval-gates.js';
import { ChartEditsService } from './chart-edits.service.js';
import { reviewOutcomes } from './review-outcomes.js';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import { ReviewRepository } from './review.repository.js';
import { ReviewerRouting } from '../assignment/reviewer-routing.js';
import { PrecedentsRepository } from '../precedents/precedents.repository.js';
import type { SqlRunner } from '../database/live-pool.js';
import { QualityResultsRepository } from '../quality/results/quality-results.repository.js';
import { SamplingService } from '../sampling/sampling.service.js';
import type { EntityManager } from 'typeorm';

/**
 * The review of a chart, GitHub-style and live: the reviewer accepts, rejects, suggests or adds
 * missed lines (what happens to a suggestion next is SuggestionsService); the chart moves
 * through its states, and approval waits until every line is reviewed and every dispute settled.
 * Each command is one EncounterWriter run: policy check, one event, published after commit.
 */
@Injectable()
export class ReviewService {
  constructor(
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(APPROVAL_GATES) private readonly gates: ApprovalGate[],
    @Inject(ChartEditsService) private readonly chartEdits: ChartEditsService,
    @Inject(ReviewRepository) private readonly review: ReviewRepository,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
    @Inject(ReviewerRouting) private readonly routing: ReviewerRouting,
    @Inject(PrecedentsRepository) private readonly precedents: PrecedentsRepository,
    @Inject(QualityResultsRepository) private readonly results: QualityResultsRepository,
    @Inject(SamplingService) private readonly sampling: SamplingService,
  ) {}

  /** A warning that does not apply is acknowledged with a reason; an error must be fixed instead. */
  acknowledge(
    user: SessionUser,
    encounterId: string,
    findingId: string,
    reason: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current, seq }) => {
        assertAllowed('finding.acknowledge', user, current);
        const finding = (await this.chartEdits.findings(current)).find((f) => f.id === findingId);
        if (!finding)
          throw new DomainError('not_found', 'That finding no longer applies to the chart');
        if (finding.severity === 'error')
          throw new DomainError(
            'invalid_state',
            'An error finding must be fixed; only warnings can be acknowledged',
          );
        const at = await this.review.acknowledge(tx, {
          encounterId,
          findingId,
          reason,
          byId: user.id,
          byName: user.name,
          createdSeq: seq,
        });
        const acknowledgement = {
          findingId,
          reason,
          by: { id: user.id, name: user.name },
          at: at.toISOString(),
        };
        return { type: 'finding.acknowledged', payload: { acknowledgement } };
      },
    );
  }

  accept(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.reviewLine(user, encounterId, lineId, meta, 'accepted', null, null);
  }

  reject(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    category: CorrectionCategory,
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.reviewLine(user, encounterId, lineId, meta, 'rejected', category, comment);
  }

  /** Accepting and rejecting a line differ only in the state and its reason. */
  private reviewLine(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    meta: CommandMeta,
    state: 'accepted' | 'rejected',
    category: CorrectionCategory | null,
    comment: string | null,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current, seq }) => {
        if (state === 'accepted') {
          assertAllowed('review.accept', user, current);
        } else {
          assertAllowed('review.reject', user, current);
          assertNoOpenSuggestion(current, lineId);
        }
        findLine(current, lineId);
        const review = { state, category, comment, by: { id: user.id, name: user.name } };
        await this.encounters.setLineReview(tx, lineId, review, seq);
        return { type: 'line.reviewed', payload: { lineId, review } };
      },
    );
  }

  suggest(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    patch: BilledFieldsPatch & Partial<ProposedLine>,
    category: CorrectionCategory,
    comment: string,
    precedentNumber: number | undefined,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current, seq }) => {
        assertAllowed('review.suggest', user, current);
        const cited = await this.citedPrecedent(tx, user, precedentNumber);
        assertNoOpenSuggestion(current, lineId);
        const line = findLine(current, lineId);
        if (line.review.state === 'rejected')
          throw new DomainError(
            'invalid_state',
            'This line is rejected; accept it first if it should stay',
          );
        const before = billed(line);
        const proposed: ProposedLine = { ...before, ...stripUndefined(patch) };
        if (JSON.stringify(proposed) === JSON.stringify(before))
          throw new DomainError('validation_failed', 'The suggestion changes nothing');
        assertPointersValid([proposed as Pick<ClaimLine, 'pointers'>], current.diagnoses.length);
        const row = await this.review.insertSuggestion(
          tx,
          {
            encounterId,
            lineId,
            authorId: user.id,
            authorName: user.name,
            before,
            proposed,
            category,
            comment,
            citedPrecedentId: cited?.id ?? null,
          },
          seq,
        );
        const suggestion: Suggestion = {
          id: row.id,
          lineId,
          author: { id: user.id, name: user.name },
          before,
          proposed,
          category,
          comment,
          status: 'open',
          answeredBy: null,
          threadId: null,
          createdAt: row.createdAt.toISOString(),
          escalation: null,
          decision: null,
          precedent: null,
          citedPrecedent: cited && { number: cited.number, question: cited.question },
        };
        return { type: 'suggestion.made', payload: { suggestion } };
      },
    );
  }

  /** The precedent a suggestion cites: it must be active in the reviewer's organization. */
  private async citedPrecedent(
    tx: SqlRunner,
    user: SessionUser,
    number: number | undefined,
  ): Promise<(CitedPrecedent & { id: string }) | null> {
    if (number === undefined) return null;
    const cited = await this.precedents.activeRef(tx, user.organizationId, number);
    if (!cited)
      throw new DomainError('validation_failed', `There is no active precedent ${number}`, {
        issues: [{ path: 'precedentNumber', message: `There is no active precedent ${number}` }],
      });
    return cited;
  }

  /** A missed line goes on the chart accepted, with category `missed-code`. */
  addMissed(
    user: SessionUser,
    encounterId: string,
    line: ClaimLineFields,
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current, seq }) => {
        assertAllowed('review.add-missed', user, current);
        const review = {
          state: 'accepted' as const,
          category: 'missed-code' as const,
          comment: comment || null,
          by: { id: user.id, name: user.name },
        };
        const added = await addLineAt(
          this.encounters,
          tx,
          current,
          line,
          'reviewer',
          seq,
          undefined,
          review,
        );
        return { type: 'line.added', payload: added };
      },
    );
  }

  /** A workflow transition: submit, start review, approve, request changes, sign off, reopen. */
  /**
   * A blind copy (docs/domain.md section 11.2) is only submitted, and not reviewed: submitting
   * locks it for editing and tells its double coding, which waits for both copies; no sampling,
   * no routing.
   */
  private async submitBlindCopy(
    tx: EntityManager,
    current: Encounter,
    transition: Transition,
  ): Promise<Change<'status.changed'>> {
    if (transition !== 'submit')
      throw new DomainError(
        'invalid_state',
        'A blind copy is only submitted: it waits for reconciliation, not for a review',
      );
    if (current.lines.length === 0)
      throw new DomainError('invalid_state', 'Add at least one line before you submit');
    await copySubmitted(tx, current.id);
    await this.encounters.markSubmitted(tx, current.id);
    await this.encounters.stampSubmitted(tx, current.id);
    await this.encounters.setStatus(tx, current.id, 'submitted');
    return {
      type: 'status.changed',
      payload: { from: current.status, to: 'submitted', reason: null, reviewer: null },
    };
  }

  transition(
    user: SessionUser,
    encounterId: string,
    transition: Transition,
    reason: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'chart' } },
      async ({ tx, current, seq }) => {
        // A trainee's practice chart is scored, never reviewed (docs/domain.md section 11.1).
        if (current.purpose === 'practice')
          throw new DomainError(
            'invalid_state',
            'This is a practice chart: use “Submit for scoring”, it does not go to review',
          );
        const action = transition === 'review.start' ? 'review.start' : transition;
        assertAllowed(action, user, current);
        if (current.purpose === 'blind') return this.submitBlindCopy(tx, current, transition);
        // A chart that skipped review has no reviewer: reopened, it waits for one like a submission.
        const to =
          transition === 'reopen' && !current.reviewer ? 'submitted' : TARGET_STATUS[transition];
        let reviewer: UserRef | null = null;
        if (transition === 'submit') {
          if (current.lines.length === 0)
            throw new DomainError('invalid_state', 'Add at least one line before you submit');
          await this.encounters.markSubmitted(tx, current.id);
          await this.encounters.stampSubmitted(tx, current.id);
          // Sampling (docs/domain.md section 10): a chart not sampled goes to sign-off unreviewed.
          const estimate = await this.chartEdits.estimateCents(current);
          const sampling = await this.sampling.decide(tx, current, seq, estimate);
          if (!sampling.review) {
            await this.encounters.setStatus(tx, current.id, SKIPPED_STATUS);
            return {
              type: 'review.skipped',
              payload: {
                from: current.status,
                to: SKIPPED_STATUS,
                reasons: sampling.reasons,
                level: sampling.level,
                explanation: sampling.explanation,
              },
            };
          }
          // A chart submitted without a reviewer goes to the next one in the rotation, in this
          // transaction and on this event; with nobody eligible it waits unassigned.
          if (!current.reviewer) {
            reviewer = await this.routing.next(tx, user.organizationId, current);
            if (reviewer) await this.encounters.setReviewer(tx, current.id, reviewer.id);
          }
        }
        if (transition === 'review.start' && !current.reviewer) {
          reviewer = { id: user.id, name: user.name };
          await this.encounters.setReviewer(tx, current.id, user.id);
        }
        if (transition === 'approve') {
          const blockers = [
            ...reviewBlockers(current),
            ...(await Promise.all(this.gates.map((gate) => gate(current)))).flat(),
          ];
          if (blockers.length)
            throw new DomainError(
              'invalid_state',
              `The chart cannot be approved yet: ${blockers.join('; ')}`,
              { blockers },
            );
          await this.recordApproval(tx, current, seq, user);
        }
        if (transition === 'sign-off') {
          const at = await this.encounters.stampSignedOff(tx, current.id);
          await this.results.signedOff(tx, current.id, at);
        }
        await this.encounters.setStatus(tx, current.id, to);
        return {
          type: 'status.changed',
          payload: { from: current.status, to, reason: reason || null, reviewer },
        };
      },
    );
  }

  /**
   * The facts of an approval, in its transaction: one outcome row per line with its code, family
   * and prices, when it was approved, and the chart's review result with its roll-ups (a chart
   * with no coder any more cannot be attributed to one: it leaves the figures).
   */
  private async recordApproval(
    tx: EntityManager,
    current: Encounter,
    seq: number,
    user: SessionUser,
  ): Promise<void> {
    const submitted = await this.encounters.submittedLines(tx, current.id);
    const prices = await this.chartEdits.linePrices(tx, current);
    const outcomes = reviewOutcomes(current, submitted, seq, user, prices);
    await this.review.insertOutcomes(tx, outcomes);
    const stamped = await this.encounters.stampApproved(tx, current.id);
    if (!current.coder) {
      await this.results.forget(tx, current.id);
      return;
    }
    await this.results.record(tx, {
      encounterId: current.id,
      organizationId: current.organizationId,
      approvalSeq: seq,
      coderId: current.coder.id,
      reviewerId: user.id,
      providerNpi: stamped.providerNpi ?? '',
      submittedAt: stamped.submittedAt,
      approvedAt: stamped.approvedAt,
      lines: outcomes.map((o) => ({
        outcome: o.outcome,
        category: o.category as CorrectionCategory | null,
        code: o.code ?? '',
        coderCents: o.coderCents,
        finalCents: o.finalCents,
      })),
    });
  }
}

const TARGET_STATUS: Record<Transition, EncounterStatus> = {
  submit: 'submitted',
  'review.start': 'in_review',
  approve: 'approved',
  'request-changes': 'changes_requested',
  'sign-off': 'signed_off',
  reopen: 'in_review',
};

/** Where a chart not sampled for review goes: awaiting sign-off, as an approved chart does. */
const SKIPPED_STATUS: EncounterStatus = 'approved';

function billed(line: ClaimLine): ProposedLine {
  return {
    code: line.code,
    modifiers: [...line.modifiers],
    units: line.units,
    pointers: [...line.pointers],
  };
}

/** A line's suggestion that still waits for someone: the coder, the reviewer or a supervisor. */
function assertNoOpenSuggestion(encounter: Encounter, lineId: string): void {
  const waiting = encounter.suggestions.find(
    (s) => s.lineId === lineId && isWaitingSuggestion(s.status),
  );
  if (waiting?.status === 'open')
    throw new DomainError(
      'invalid_state',
      'This line has a suggestion waiting for the coder; withdraw it first',
    );
  if (waiting)
    throw new DomainError(
      'invalid_state',
      'This line has a disputed suggestion; settle the dispute first',
    );
}

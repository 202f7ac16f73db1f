import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_SAMPLING_POLICY,
  SamplingPolicySchema,
  canReadTeamQuality,
  reviewLevel,
  samplingDecision,
  samplingDraw,
  type CoderReviewLevel,
  type Encounter,
  type RecordedSamplingDecision,
  type ReviewLevel,
  type SamplingPolicy,
  type SessionUser,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { SamplingRepository } from './sampling.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sampling that tapers (docs/domain.md section 10, "Sampling"): the organization's policy, each
 * coder's review level from their reviewed charts, and the decision at submit, recorded in the
 * submit's transaction with the draw it came from.
 */
@Injectable()
export class SamplingService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SamplingRepository) private readonly sampling: SamplingRepository,
  ) {}

  policy(user: SessionUser): Promise<SamplingPolicy> {
    return this.policyOf(this.dataSource.manager, user.organizationId);
  }

  /** A supervisor or an admin saves the policy; the revision is kept beside it. */
  async savePolicy(user: SessionUser, policy: SamplingPolicy): Promise<SamplingPolicy> {
    assertTeamQuality(user, 'change the sampling policy');
    return this.dataSource.transaction(async (tx) => {
      // A policy saved without the double-coding share keeps the saved one (send 0 to stop it).
      const saved =
        policy.doubleCodingShare === undefined
          ? { ...policy, ...shareOf(await this.policyOf(tx, user.organizationId)) }
          : policy;
      await this.sampling.savePolicy(tx, user.organizationId, saved, {
        id: user.id,
        name: user.name,
      });
      return saved;
    });
  }

  /** Every active coder's level, for supervisors and admins. */
  async levels(user: SessionUser): Promise<CoderReviewLevel[]> {
    assertTeamQuality(user, 'see every coder’s review level');
    const manager = this.dataSource.manager;
    const policy = await this.policyOf(manager, user.organizationId);
    const histories = await this.sampling.histories(
      manager,
      user.organizationId,
      policy.newCoderCharts,
    );
    return histories.map((h) => ({
      coder: h.coder,
      level: reviewLevel(policy, h.recent, h.reviewedCharts),
    }));
  }

  /** The organization's policy, for the double-coding share (no role check: nothing is shown). */
  policyOfOrganization(organizationId: string): Promise<SamplingPolicy> {
    return this.policyOf(this.dataSource.manager, organizationId);
  }

  /** The caller's own level (what their next chart gets). */
  async myLevel(user: SessionUser): Promise<ReviewLevel> {
    const manager = this.dataSource.manager;
    const policy = await this.policyOf(manager, user.organizationId);
    return this.levelOf(manager, user.organizationId, user.id, policy);
  }

  /** The chart's latest decision; 404 when it was never submitted (or is another organization's). */
  async decisionFor(user: SessionUser, encounterId: string): Promise<RecordedSamplingDecision> {
    const decision = await this.sampling.latestDecision(
      this.dataSource.manager,
      user.organizationId,
      encounterId,
    );
    if (!decision) throw DomainError.notFound('A sampling decision for this chart');
    return decision;
  }

  /**
   * Decides and records whether the submission `seq` of `encounter` is reviewed, in the
   * submit's transaction. The coder is the chart's coder (the one who submits).
   */
  async decide(
    tx: EntityManager,
    encounter: Encounter,
    seq: number,
    estimateCents: number,
    now: Date = new Date(),
  ): Promise<RecordedSamplingDecision> {
    const organizationId = encounter.organizationId;
    const policy = await this.policyOf(tx, organizationId);
    const coderId = encounter.coder?.id ?? null;
    const level = coderId
      ? await this.levelOf(tx, organizationId, coderId, policy)
      : reviewLevel(policy, []);
    const since = new Date(now.getTime() - policy.risk.recentFailureDays * DAY_MS);
    const [recentFailureCategories, newestEdition] = await Promise.all([
      coderId && policy.risk.recentFailureDays > 0
        ? this.sampling.recentCategories(tx, organizationId, coderId, since)
        : Promise.resolve([]),
      policy.risk.newEditionDays > 0
        ? this.sampling.newestReplacingEdition(tx)
        : Promise.resolve(null),
    ]);
    const draw = samplingDraw(encounter.id, seq);
    const decision = samplingDecision(
      policy,
      level,
      {
        lines: encounter.lines,
        estimateCents,
        recentFailureCategories,
        newestEdition,
        resubmission: encounter.status === 'changes_requested',
      },
      now,
      draw,
    );
    const recorded = {
      ...decision,
      encounterId: encounter.id,
      seq,
      draw,
      sampleRate: level.sampleRate,
      explanation: level.explanation,
    };
    await this.sampling.insertDecision(tx, organizationId, coderId, recorded);
    return { ...recorded, decidedAt: now.toISOString() };
  }

  private async levelOf(
    tx: EntityManager,
    organizationId: string,
    coderId: string,
    policy: SamplingPolicy,
  ): Promise<ReviewLevel> {
    const [history] = await this.sampling.histories(
      tx,
      organizationId,
      policy.newCoderCharts,
      coderId,
    );
    return reviewLevel(policy, history?.recent ?? [], history?.reviewedCharts ?? 0);
  }

  /** The saved policy, or the defaults when there is none (or it no longer reads as a policy). */
  private async policyOf(tx: EntityManager, organizationId: string): Promise<SamplingPolicy> {
    const parsed = SamplingPolicySchema.safeParse(await this.sampling.policy(tx, organizationId));
    return parsed.success ? parsed.data : DEFAULT_SAMPLING_POLICY;
  }
}

function shareOf(policy: SamplingPolicy): Pick<SamplingPolicy, 'doubleCodingShare'> {
  return policy.doubleCodingShare === undefined
    ? {}
    : { doubleCodingShare: policy.doubleCodingShare };
}

function assertTeamQuality(user: SessionUser, doing: string): void {
  if (!canReadTeamQuality(user.role))
    throw DomainError.forbidden(`Only a supervisor or an admin can ${doing}`);
}

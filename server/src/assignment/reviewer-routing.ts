import { Inject, Injectable } from '@nestjs/common';
import { nextInRotation, type UserRef } from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import { AssignmentRepository } from './assignment.repository.js';

/**
 * Picks a chart's reviewer round-robin over the organization's active reviewers, never one who
 * coded it (its coder or an author of its lines). The pointer is a row in Postgres, locked for
 * the rest of the caller's transaction, so instances share one rotation and a routing that
 * rolls back does not move it. Lock order: the chart's row first (the writer), then this row.
 */
@Injectable()
export class ReviewerRouting {
  constructor(@Inject(AssignmentRepository) private readonly repository: AssignmentRepository) {}

  /** The next reviewer for a chart, moving the rotation on; null when nobody is eligible. */
  async next(
    tx: EntityManager,
    organizationId: string,
    chart: { coder: UserRef | null; codedBy: readonly string[] },
  ): Promise<UserRef | null> {
    const reviewers = await this.repository.activeReviewers(tx, organizationId);
    const excluded = new Set([...chart.codedBy, ...(chart.coder ? [chart.coder.id] : [])]);
    if (reviewers.every((r) => excluded.has(r.id))) return null;
    const after = await this.repository.lockRotation(tx, organizationId);
    const pick = nextInRotation(reviewers, after, excluded);
    if (!pick) return null;
    await this.repository.advanceRotation(tx, organizationId, pick.id);
    return { id: pick.id, name: pick.name };
  }
}

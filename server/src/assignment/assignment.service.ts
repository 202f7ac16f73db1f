import { Inject, Injectable } from '@nestjs/common';
import {
  assigneeRefusal,
  traineeRefusalMessage,
  type Assignee,
  type AssignmentRequest,
  type AssignmentResponse,
  type AssignmentResult,
  type EncounterEventPayloads,
  type SessionUser,
  type UserRef,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import {
  EncounterWriter,
  assertAllowed,
  type CommandOutcome,
} from '../encounter/encounter-writer.js';
import { assertAssignable } from '../encounter/chart-visibility.js';
import { DomainError } from '../errors/domain-error.js';
import { AssignmentRepository } from './assignment.repository.js';
import { ReviewerRouting } from './reviewer-routing.js';

/**
 * Who works on a chart: a coder claims an unassigned draft; a supervisor or an admin assigns
 * coder and reviewer, on one chart or many; "auto" routes the reviewer round-robin
 * (docs/domain.md section 6.1). Each chart's change is one EncounterWriter run: the chart's
 * row lock decides races, and the `assignment.changed` event is committed with it and
 * broadcast after commit like every other event.
 */
@Injectable()
export class AssignmentService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
    @Inject(AssignmentRepository) private readonly repository: AssignmentRepository,
    @Inject(ReviewerRouting) private readonly routing: ReviewerRouting,
  ) {}

  /**
   * A coder takes an unassigned draft. Under the chart's row lock the second of two claims
   * sees the first one's coder and is refused with `forbidden`, naming who has it.
   */
  claim(user: SessionUser, encounterId: string): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { stale: { kind: 'nothing' } },
      async ({ tx, current }) => {
        assertAllowed('encounter.claim', user, current);
        assertAssignable(current);
        const [me] = await this.repository.people(tx, user.organizationId, [user.id]);
        if (me?.trainee) throw new DomainError('forbidden', traineeRefusalMessage(user.name));
        await this.encounters.updateEncounter(tx, encounterId, { coder_id: user.id });
        return {
          type: 'assignment.changed',
          payload: { how: 'claimed', coder: { id: user.id, name: user.name } },
        };
      },
    );
  }

  /**
   * Assigns each chart in turn, each in its own transaction. The people are checked once,
   * before any chart is touched (in the organization, active, of the right role): a wrong
   * person changes nothing. What depends on the chart (its state, separation of duties, an
   * eligible reviewer for "auto") is answered chart by chart in the results.
   */
  async assign(user: SessionUser, request: AssignmentRequest): Promise<AssignmentResponse> {
    const coder = await this.person(user, 'coder', request.coderId);
    const reviewer =
      request.reviewerId === 'auto'
        ? 'auto'
        : await this.person(user, 'reviewer', request.reviewerId);
    const results: AssignmentResult[] = [];
    for (const encounterId of request.encounterIds) {
      try {
        const done = await this.assignOne(user, encounterId, coder, reviewer);
        results.push({ encounterId, ok: true, ...done });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({
          encounterId,
          ok: false,
          error: { code: error.code, message: error.message },
        });
      }
    }
    const assigned = results.filter((r) => r.ok).length;
    return { results, assigned, failed: results.length - assigned };
  }

  /** One chart's assignment: its event's seq and the chart's people after it. */
  private async assignOne(
    user: SessionUser,
    encounterId: string,
    coder: Assignee | null | undefined,
    reviewer: Assignee | null | undefined | 'auto',
  ): Promise<{ seq: number; coder: UserRef | null; reviewer: UserRef | null }> {
    let people = { coder: null as UserRef | null, reviewer: null as UserRef | null };
    const { event } = await this.writer.run(
      user,
      encounterId,
      { stale: { kind: 'nothing' } },
      async ({ tx, current }) => {
        assertAllowed('encounter.assign', user, current);
        assertAssignable(current);
        // "auto" alone is routing; with a coder named too, the supervisor assigned the chart.
        const how = reviewer === 'auto' && coder === undefined ? 'routed' : 'assigned';
        const payload: EncounterEventPayloads['assignment.changed'] = { how };
        const next = { ...current };
        if (coder !== undefined) {
          if (coder) refuseUnless(assigneeRefusal('coder', coder, current));
          payload.coder = coder && ref(coder);
          next.coder = payload.coder;
        }
        if (reviewer === 'auto') {
          const routed = await this.routing.next(tx, user.organizationId, next);
          if (!routed)
            throw new DomainError(
              'invalid_state',
              'No active reviewer is free to review this chart: everyone who reviews coded it',
            );
          payload.reviewer = routed;
        } else if (reviewer !== undefined) {
          if (reviewer) refuseUnless(assigneeRefusal('reviewer', reviewer, next));
          payload.reviewer = reviewer && ref(reviewer);
        }
        await this.encounters.updateEncounter(tx, encounterId, {
          ...(payload.coder !== undefined && { coder_id: payload.coder?.id ?? null }),
          ...(payload.reviewer !== undefined && { reviewer_id: payload.reviewer?.id ?? null }),
        });
        people = {
          coder: payload.coder === undefined ? current.coder : payload.coder,
          reviewer: payload.reviewer === undefined ? current.reviewer : payload.reviewer,
        };
        return { type: 'assignment.changed', payload };
      },
    );
    return { seq: event.seq, ...people };
  }

  /** The person named for `as`, checked: undefined (left as is), null (unassign) or them. */
  private async person(
    user: SessionUser,
    as: 'coder' | 'reviewer',
    id: string | null | undefined,
  ): Promise<Assignee | null | undefined> {
    if (id === undefined || id === null) return id;
    const [found] = await this.repository.people(this.dataSource.manager, user.organizationId, [
      id,
    ]);
    if (!found)
      throw new DomainError('validation_failed', `The ${as} is not a member of your organization`, {
        issues: [{ path: `${as}Id`, message: 'Not a member of your organization' }],
      });
    const refused = assigneeRefusal(as, found, { coder: null, reviewer: null, codedBy: [] });
    if (refused)
      throw new DomainError(refused.code, refused.message, {
        issues: [{ path: `${as}Id`, message: refused.message }],
      });
    return found;
  }
}

function ref(person: Assignee): UserRef {
  return { id: person.id, name: person.name };
}

function refuseUnless(refused: { code: DomainError['code']; message: string } | null): void {
  if (refused) throw new DomainError(refused.code, refused.message);
}

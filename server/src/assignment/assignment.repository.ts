import { Injectable } from '@nestjs/common';
import type { Assignee } from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import { UserEntity } from '../users/user.entity.js';
import { ReviewerRotationEntity } from './reviewer-rotation.entity.js';

/** The SQL of assignment: the people a chart can be given, and the reviewer rotation. */
@Injectable()
export class AssignmentRepository {
  /** The people of the organization among `ids`, with role and whether they are active. */
  async people(manager: EntityManager, organizationId: string, ids: string[]): Promise<Assignee[]> {
    if (ids.length === 0) return [];
    const rows = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.organizationId = :organizationId AND u.id IN (:...ids)', { organizationId, ids })
      .getMany();
    return rows.map(toAssignee);
  }

  /** The organization's active reviewers: the rotation. */
  async activeReviewers(manager: EntityManager, organizationId: string): Promise<Assignee[]> {
    const rows = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where("u.organizationId = :organizationId AND u.role = 'reviewer'", { organizationId })
      .andWhere('u.deactivatedAt IS NULL')
      .orderBy('u.id')
      .getMany();
    return rows.map(toAssignee);
  }

  /**
   * Locks the organization's rotation row until the transaction ends (creating it the first
   * time) and returns who the last routed chart went to. Concurrent routings, on any instance,
   * wait here, so each sees the pointer the previous one left.
   */
  async lockRotation(tx: EntityManager, organizationId: string): Promise<string | null> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(ReviewerRotationEntity)
      .values({ organizationId, lastReviewerId: null })
      .orIgnore()
      .execute();
    const row = await tx
      .getRepository(ReviewerRotationEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.organizationId = :organizationId', { organizationId })
      .getOneOrFail();
    return row.lastReviewerId;
  }

  /** Moves the rotation on to `reviewerId` (inside the transaction that locked it). */
  async advanceRotation(
    tx: EntityManager,
    organizationId: string,
    reviewerId: string,
  ): Promise<void> {
    await tx
      .getRepository(ReviewerRotationEntity)
      .update({ organizationId }, { lastReviewerId: reviewerId, updatedAt: () => 'now()' });
  }
}

function toAssignee(user: UserEntity): Assignee {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    active: user.deactivatedAt === null,
    trainee: user.trainee,
  };
}

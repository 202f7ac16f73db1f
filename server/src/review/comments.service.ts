import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser } from '@countersign/shared';
import type { CommandMeta } from '../encounter/encounter.service.js';
import {
  EncounterWriter,
  assertAllowed,
  type CommandOutcome,
} from '../encounter/encounter-writer.js';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { ReviewRepository } from './review.repository.js';

/** Comment threads on a line or on the whole chart, with @mentions of teammates. */
@Injectable()
export class CommentsService {
  constructor(
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(ReviewRepository) private readonly review: ReviewRepository,
  ) {}

  async comment(
    user: SessionUser,
    encounterId: string,
    input: { threadId?: string; lineId: string | null; body: string; mentions: string[] },
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    if (!(await this.users.allInOrganization(user.organizationId, input.mentions))) {
      throw new DomainError(
        'validation_failed',
        'You can only mention people of your organization',
      );
    }
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current, seq }) => {
        assertAllowed('comment', user, current);
        if (input.threadId) {
          const thread = current.threads.find((t) => t.id === input.threadId);
          if (!thread) throw DomainError.notFound('The thread');
          const comment = await this.review.addComment(
            tx,
            thread.id,
            user,
            input.body,
            input.mentions,
            seq,
          );
          return { type: 'comment.added', payload: { threadId: thread.id, comment } };
        }
        if (input.lineId && !current.lines.some((l) => l.id === input.lineId))
          throw DomainError.notFound('The claim line');
        const thread = await this.review.openThread(
          tx,
          { encounterId: current.id, lineId: input.lineId, suggestionId: null },
          user,
          input.body,
          input.mentions,
          seq,
        );
        return { type: 'thread.opened', payload: { thread } };
      },
    );
  }

  resolve(
    user: SessionUser,
    encounterId: string,
    threadId: string,
    resolved: boolean,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current }) => {
        assertAllowed('thread.resolve', user, current);
        if (!current.threads.some((t) => t.id === threadId))
          throw DomainError.notFound('The thread');
        await this.review.setThreadResolved(tx, threadId, resolved);
        return { type: 'thread.resolved', payload: { threadId, resolved } };
      },
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser, WorklistQuery, WorklistResponse } from '@countersign/shared';
import { DataSource } from 'typeorm';
import { toEncounterSummary } from '../encounter/encounter.mapper.js';
import { WorklistRepository } from './worklist.repository.js';

/**
 * The organization's charts as the worklist shows them: searched, filtered, sorted and paged
 * by the server, with each queue's count for the caller. Everyone in the organization sees its
 * charts (as `GET /api/encounters/:id` does); no other organization's.
 */
@Injectable()
export class WorklistService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WorklistRepository) private readonly repository: WorklistRepository,
  ) {}

  /**
   * One page and the queue counts, read in one repeatable-read snapshot so `total` is the
   * number of charts the pages hold at that moment.
   */
  page(user: SessionUser, query: WorklistQuery): Promise<WorklistResponse> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const [rows, queues] = [
        await this.repository.page(tx, user.organizationId, user.id, query),
        await this.repository.queueCounts(tx, user.organizationId, user.id, query),
      ];
      return {
        items: rows.map((row) => ({ ...toEncounterSummary(row), errorCount: row.error_count })),
        total: queues[query.queue ?? 'all'],
        page: query.page,
        pageSize: query.pageSize,
        queues,
      };
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ChartRead, SessionUser } from '@countersign/shared';
import { AuditRepository } from './audit.repository.js';

/**
 * The access log of charts: one row per read (REST or socket) with who, which chart, when and
 * how. One insert, no patient data. The table is append-only (grants and a trigger).
 */
@Injectable()
export class ChartReadsService {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  /**
   * Records that `user` read the chart; called after the scoped read succeeded, before the data
   * leaves. Committed without waiting for the WAL flush (synchronous_commit off for this one
   * transaction): a read then costs ~0.2 ms instead of a disk flush (~5 ms here, see
   * `npm run bench:audit`). The row is on disk within wal_writer_delay (200 ms by default); only
   * a crash of Postgres itself in that window loses it. Events stay fully synchronous.
   */
  async record(user: SessionUser, encounterId: string, via: string): Promise<void> {
    await this.audit.recordRead({
      organizationId: user.organizationId,
      encounterId,
      userId: user.id,
      userName: user.name,
      via,
    });
  }

  /** Records that `user` read each of the charts at once (an export), before the data leaves. */
  async recordMany(user: SessionUser, encounterIds: readonly string[], via: string): Promise<void> {
    await this.audit.recordReads(
      { organizationId: user.organizationId, userId: user.id, userName: user.name, via },
      encounterIds,
    );
  }

  /** The latest reads of a chart of the caller's organization, newest first. */
  async list(organizationId: string, encounterId: string, limit: number): Promise<ChartRead[]> {
    const rows = await this.audit.reads(organizationId, encounterId, limit);
    return rows.map((row) => ({
      userId: row.userId,
      userName: row.userName,
      via: row.via,
      at: row.at.toISOString(),
    }));
  }
}

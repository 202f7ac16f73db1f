import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChartReadEntity } from './chart-read.entity.js';
import type { StoredChainEvent } from './event-chain.js';

/** A chart's version and its stored events, read in one snapshot. */
export interface StoredChain {
  version: number;
  events: StoredChainEvent[];
}

interface EventRow {
  seq: number;
  type: string;
  actor_id: string | null;
  actor_name: string;
  payload: unknown;
  created_at: Date;
  hash: string | null;
}

/**
 * All of the audit trail's SQL: the chart access log (`chart_reads`) and the reads of the event
 * log the chain verifier recomputes. The event log belongs to the encounter aggregate; its
 * reads here are named as such.
 */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Inserts one access-log row, committed without waiting for the WAL flush
   * (`synchronous_commit` off for this transaction only; see ChartReadsService). Raw SQL: the
   * setting and the insert are one statement.
   */
  async recordRead(read: Omit<ChartReadEntity, 'id' | 'at'>): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
         INSERT INTO chart_reads (organization_id, encounter_id, user_id, user_name, via)
         SELECT $1, $2, $3, $4, $5 FROM relaxed`,
        [read.organizationId, read.encounterId, read.userId, read.userName, read.via],
      );
    });
  }

  /**
   * One access-log row per chart of `encounterIds`, in one statement, committed like `recordRead`:
   * an export that carries many charts out records each of them.
   */
  async recordReads(
    read: Omit<ChartReadEntity, 'id' | 'at' | 'encounterId'>,
    encounterIds: readonly string[],
  ): Promise<void> {
    if (!encounterIds.length) return;
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
         INSERT INTO chart_reads (organization_id, encounter_id, user_id, user_name, via)
         SELECT $1, ids.id, $3, $4, $5 FROM relaxed, unnest($2::uuid[]) AS ids(id)`,
        [read.organizationId, encounterIds, read.userId, read.userName, read.via],
      );
    });
  }

  /** The latest reads of a chart of the organization, newest first. */
  reads(organizationId: string, encounterId: string, limit: number): Promise<ChartReadEntity[]> {
    return this.dataSource.getRepository(ChartReadEntity).find({
      where: { encounterId, organizationId },
      order: { at: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /**
   * Encounter aggregate: a chart's version and events in one REPEATABLE READ snapshot, or null
   * when there is no such chart (of the organization, when one is named).
   */
  chain(encounterId: string, organizationId?: string): Promise<StoredChain | null> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const [encounter] = await tx.query<Array<{ version: number }>>(
        `SELECT version FROM encounters WHERE id = $1 AND ($2::uuid IS NULL OR organization_id = $2)`,
        [encounterId, organizationId ?? null],
      );
      if (!encounter) return null;
      const rows = await tx.query<EventRow[]>(
        `SELECT seq, type, actor_id, actor_name, payload, created_at, hash FROM encounter_events WHERE encounter_id = $1 ORDER BY seq`,
        [encounterId],
      );
      const events = rows.map((row) => ({
        encounterId,
        seq: row.seq,
        type: row.type,
        actorId: row.actor_id,
        actorName: row.actor_name,
        payload: row.payload,
        createdAt: row.created_at,
        hash: row.hash,
      }));
      return { version: encounter.version, events };
    });
  }

  /** Encounter aggregate: every chart's id, oldest first (`audit:verify --all`). */
  async encounterIds(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM encounters ORDER BY created_at, id',
    );
    return rows.map((row) => row.id);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { PeopleEventType } from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows.js';
import { PeopleEventEntity } from './people-event.entity.js';
import { peopleEventHash, type StoredPeopleEvent } from './people-chain.js';

/** What an entry says; its seq, time and hash are the repository's. */
export interface PeopleEntry {
  organizationId: string;
  type: PeopleEventType;
  actorId: string | null;
  actorName: string;
  subjectId: string;
  subjectName: string;
  payload: Record<string, unknown>;
}

/** An organization's people chain as stored: its recorded length and its entries in seq order. */
export interface StoredPeopleChain {
  length: number;
  events: StoredPeopleEvent[];
}

/**
 * All of the people audit trail's SQL (`people_events`, and the chain length it keeps on
 * `organizations`). The append is raw SQL: it takes the organization's row lock that makes seqs
 * gapless and the chain linear, and stores exactly the time it hashed.
 */
@Injectable()
export class PeopleTrailRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Appends one entry inside the caller's transaction: takes the next seq (locking the
   * organization's row until commit, so concurrent entries chain one after another), chains
   * the hash to the previous entry and inserts it.
   */
  async append(tx: EntityManager, entry: PeopleEntry): Promise<void> {
    const [row] = returningRows<{ seq: number }>(
      await tx.query(
        `UPDATE organizations SET people_events_seq = people_events_seq + 1 WHERE id = $1 RETURNING people_events_seq AS seq`,
        [entry.organizationId],
      ),
    );
    if (!row) throw new Error('people trail: no such organization');
    const [previous] = await tx.query<Array<{ hash: string }>>(
      `SELECT hash FROM people_events WHERE organization_id = $1 AND seq = $2`,
      [entry.organizationId, row.seq - 1],
    );
    // JavaScript dates carry milliseconds: stored as such, hashed as such.
    const event = { ...entry, seq: row.seq, createdAt: new Date() };
    const hash = peopleEventHash(event, previous?.hash ?? null);
    await tx.query(
      `INSERT INTO people_events (organization_id, seq, type, actor_id, actor_name, subject_id, subject_name, payload, created_at, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        event.organizationId,
        event.seq,
        event.type,
        event.actorId,
        event.actorName,
        event.subjectId,
        event.subjectName,
        JSON.stringify(event.payload),
        event.createdAt,
        hash,
      ],
    );
  }

  /** The organization's chain in one REPEATABLE READ snapshot; null when there is no such organization. */
  chain(organizationId: string): Promise<StoredPeopleChain | null> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const [organization] = await tx.query<Array<{ length: number }>>(
        `SELECT people_events_seq AS length FROM organizations WHERE id = $1`,
        [organizationId],
      );
      if (!organization) return null;
      const rows = await tx
        .getRepository(PeopleEventEntity)
        .find({ where: { organizationId }, order: { seq: 'ASC' } });
      return { length: organization.length, events: rows };
    });
  }

  /** Every organization's id, for `audit:verify`. */
  async organizationIds(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM organizations ORDER BY created_at, id',
    );
    return rows.map((row) => row.id);
  }
}

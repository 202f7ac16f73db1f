import type { ChainCheck } from '@countersign/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { findChainBreak, type StoredChainEvent } from './event-chain.js';

/**
 * Recomputes an encounter's event chain from the stored rows. Used by the admin page
 * (scoped to the admin's organization) and by `npm run audit:verify` (every organization).
 */
export async function verifyChain(
  db: DataSource | EntityManager,
  encounterId: string,
  organizationId?: string,
): Promise<ChainCheck | null> {
  const [encounter] = (await db.query(
    `SELECT version FROM encounters WHERE id = $1 AND ($2::uuid IS NULL OR organization_id = $2)`,
    [encounterId, organizationId ?? null],
  )) as Array<{ version: number }>;
  if (!encounter) return null;
  const rows = (await db.query(
    `SELECT seq, type, actor_id, actor_name, payload, created_at, hash FROM encounter_events WHERE encounter_id = $1 ORDER BY seq`,
    [encounterId],
  )) as Array<{
    seq: number;
    type: string;
    actor_id: string | null;
    actor_name: string;
    payload: unknown;
    created_at: Date;
    hash: string | null;
  }>;
  const events: StoredChainEvent[] = rows.map((row) => ({
    encounterId,
    seq: row.seq,
    type: row.type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    payload: row.payload,
    createdAt: row.created_at,
    hash: row.hash,
  }));
  const broken = findChainBreak(events, encounter.version);
  return {
    encounterId,
    events: events.length,
    ok: broken === null,
    brokenAt: broken?.seq ?? null,
    reason: broken?.reason ?? null,
    head: events.at(-1)?.hash ?? null,
  };
}

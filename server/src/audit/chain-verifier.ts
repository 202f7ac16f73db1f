import type { ChainCheck } from '@countersign/shared';
import type { AuditRepository } from './audit.repository.js';
import { findChainBreak } from './event-chain.js';

/**
 * Recomputes an encounter's event chain from the stored rows. Used by the admin page
 * (scoped to the admin's organization) and by `npm run audit:verify` (every organization).
 */
export async function verifyChain(
  audit: AuditRepository,
  encounterId: string,
  organizationId?: string,
): Promise<ChainCheck | null> {
  const chain = await audit.chain(encounterId, organizationId);
  if (!chain) return null;
  const { events, version } = chain;
  const broken = findChainBreak(events, version);
  return {
    encounterId,
    events: events.length,
    ok: broken === null,
    brokenAt: broken?.seq ?? null,
    reason: broken?.reason ?? null,
    head: events.at(-1)?.hash ?? null,
  };
}

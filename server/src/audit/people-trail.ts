import { Inject, Injectable } from '@nestjs/common';
import type { PeopleAudit } from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import { findPeopleChainBreak } from './people-chain.js';
import { PeopleTrailRepository, type PeopleEntry } from './people-trail.repository.js';

/**
 * The audit trail of people: every admin action on a person (and a person setting their own
 * password) is one entry, written in the same transaction as the change, hash-chained per
 * organization. Entries name who did what to whom; never a password or a token.
 */
@Injectable()
export class PeopleTrail {
  constructor(@Inject(PeopleTrailRepository) private readonly trail: PeopleTrailRepository) {}

  /** Records one entry inside the transaction that makes the change. */
  record(tx: EntityManager, entry: PeopleEntry): Promise<void> {
    return this.trail.append(tx, entry);
  }

  /** The organization's trail with its chain checked, the latest `limit` entries newest first. */
  async check(organizationId: string, limit: number): Promise<PeopleAudit | null> {
    const chain = await this.trail.chain(organizationId);
    if (!chain) return null;
    const broken = findPeopleChainBreak(chain.events, chain.length);
    return {
      chain: {
        events: chain.events.length,
        ok: broken === null,
        brokenAt: broken?.seq ?? null,
        reason: broken?.reason ?? null,
        head: chain.events.at(-1)?.hash ?? null,
      },
      events: chain.events
        .slice(Math.max(0, chain.events.length - limit))
        .reverse()
        .map((e) => ({
          seq: e.seq,
          type: e.type,
          actorId: e.actorId,
          actorName: e.actorName,
          subjectId: e.subjectId,
          subjectName: e.subjectName,
          payload: (e.payload ?? {}) as Record<string, unknown>,
          createdAt: e.createdAt.toISOString(),
        })),
    };
  }
}

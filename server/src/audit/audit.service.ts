import { Inject, Injectable } from '@nestjs/common';
import {
  isAdminRole,
  type ChartAudit,
  type PeopleAudit,
  type SessionUser,
} from '@countersign/shared';
import { DomainError } from '../errors/domain-error.js';
import { AuditRepository } from './audit.repository.js';
import { verifyChain } from './chain-verifier.js';
import { ChartReadsService } from './chart-reads.service.js';
import { PeopleTrail } from './people-trail.js';

/** What an admin may see of the audit trail of their organization's charts. */
@Injectable()
export class AuditService {
  constructor(
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ChartReadsService) private readonly reads: ChartReadsService,
    @Inject(PeopleTrail) private readonly people: PeopleTrail,
  ) {}

  async chart(user: SessionUser, encounterId: string, limit: number): Promise<ChartAudit> {
    if (!isAdminRole(user.role))
      throw DomainError.forbidden('Only an admin can see the audit trail');
    const chain = await verifyChain(this.audit, encounterId, user.organizationId);
    if (!chain) throw DomainError.notFound('The encounter');
    return { chain, reads: await this.reads.list(user.organizationId, encounterId, limit) };
  }

  /** The organization's people trail (who added, changed, deactivated whom), its chain checked. */
  async peopleTrail(user: SessionUser, limit: number): Promise<PeopleAudit> {
    if (!isAdminRole(user.role))
      throw DomainError.forbidden('Only an admin can see the audit trail');
    const trail = await this.people.check(user.organizationId, limit);
    if (!trail) throw DomainError.notFound('The organization');
    return trail;
  }
}

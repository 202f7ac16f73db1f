import { Inject, Injectable } from '@nestjs/common';
import { isAdminRole, type ChartAudit, type SessionUser } from '@countersign/shared';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { verifyChain } from './chain-verifier.js';
import { ChartReadsService } from './chart-reads.service.js';

/** What an admin may see of the audit trail of their organization's charts. */
@Injectable()
export class AuditService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ChartReadsService) private readonly reads: ChartReadsService,
  ) {}

  async chart(user: SessionUser, encounterId: string, limit: number): Promise<ChartAudit> {
    if (!isAdminRole(user.role))
      throw DomainError.forbidden('Only an admin can see the audit trail');
    const chain = await this.dataSource.transaction('REPEATABLE READ', (tx) =>
      verifyChain(tx, encounterId, user.organizationId),
    );
    if (!chain) throw DomainError.notFound('The encounter');
    return { chain, reads: await this.reads.list(user.organizationId, encounterId, limit) };
  }
}

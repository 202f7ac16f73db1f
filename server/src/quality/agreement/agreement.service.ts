import { Inject, Injectable } from '@nestjs/common';
import {
  agreementReport,
  canReadTeamQuality,
  type AgreementQuery,
  type AgreementReport,
  type SessionUser,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { DomainError } from '../../errors/domain-error.js';
import { resolvePeriod } from '../reports/quality-reports.service.js';
import { AgreementRepository } from './agreement.repository.js';

const DAY_MS = 86_400_000;

/**
 * Agreement between coders on blind double-coded charts (docs/domain.md 11.3): the charts are
 * read here, every figure is computed by `agreementReport` in shared. Periods are whole weeks,
 * as the quality reports' (12 by default, two years at most), by the day both copies were in.
 */
@Injectable()
export class AgreementService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AgreementRepository) private readonly repository: AgreementRepository,
  ) {}

  /** Today (UTC), the day periods end on by default. */
  protected today(): string {
    return new Date().toISOString().slice(0, 10);
  }

  async report(user: SessionUser, query: AgreementQuery): Promise<AgreementReport> {
    if (!canReadTeamQuality(user.role))
      throw DomainError.forbidden('Only supervisors and admins read agreement between coders');
    const period = resolvePeriod(query.from, query.to, this.today());
    const charts = await this.repository.charts(this.dataSource.manager, {
      organizationId: user.organizationId,
      from: period.from,
      toExclusive: new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY_MS)
        .toISOString()
        .slice(0, 10),
      coderId: query.coderId,
    });
    return agreementReport({ from: period.from, to: period.to }, charts);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  accuracyFigures,
  codeFamily,
  formatBilledLine,
  type ChartQualityResult,
  type SessionUser,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { EncounterRepository } from '../../encounter/encounter.repository.js';
import { DomainError } from '../../errors/domain-error.js';
import { resolvePeriod } from '../reports/quality-reports.service.js';
import { QualityResultsRepository } from './quality-results.repository.js';

/** A chart's review result as the room shows it once approved, read from the stored facts. */
@Injectable()
export class QualityResultsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
    @Inject(QualityResultsRepository) private readonly results: QualityResultsRepository,
  ) {}

  /**
   * Whoever may open the chart may read its result (another organization's chart is not
   * found); 404 until the chart was approved once.
   */
  async result(user: SessionUser, encounterId: string): Promise<ChartQualityResult> {
    const manager = this.dataSource.manager;
    if (!(await this.encounters.exists(manager, user.organizationId, encounterId)))
      throw DomainError.notFound('The encounter');
    const stored = await this.results.result(manager, user.organizationId, encounterId);
    if (!stored)
      throw new DomainError(
        'not_found',
        'This chart has no review result yet: it has not been approved',
      );
    const { row, lines } = stored;
    const coderCents = Number(row.coder_cents);
    const reviewedCents = Number(row.reviewed_cents);
    // The same 12 whole weeks as the coder's own view and the team report's default period.
    const period = resolvePeriod(undefined, undefined, new Date().toISOString().slice(0, 10));
    const since = new Date(`${period.fromWeek}T00:00:00Z`);
    const coderTotals = await this.results.coderTally(
      manager,
      user.organizationId,
      row.coder_id,
      since,
    );
    return {
      encounterId,
      coder: row.coder_name === null ? null : { id: row.coder_id, name: row.coder_name },
      reviewer:
        row.reviewer_name === null ? null : { id: row.reviewer_id, name: row.reviewer_name },
      approvedAt: row.approved_at.toISOString(),
      figures: accuracyFigures({
        coderLines: row.coder_lines,
        acceptedUnchanged: row.accepted_unchanged,
        missedLines: row.missed_lines,
        corrected: row.corrected,
        rejected: row.rejected,
        chartsReviewed: 1,
        chartsClean: row.clean ? 1 : 0,
        reviewedCents,
        absImpactCents: Math.abs(reviewedCents - coderCents),
        netImpactCents: reviewedCents - coderCents,
      }),
      lines: lines.map((line) => ({
        lineId: line.line_id,
        outcome: line.outcome,
        category: line.category,
        family: line.family ?? codeFamily(line.code ?? ''),
        coderLine: line.coder_line && formatBilledLine(line.coder_line),
        finalLine: line.final_line && formatBilledLine(line.final_line),
        coderCents: Number(line.coder_cents),
        finalCents: Number(line.final_cents),
      })),
      coderTotals: accuracyFigures(coderTotals),
    };
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CLAIM_CSV_COLUMNS,
  CLAIM_EXPORT_MEDIA,
  billedLines,
  buildFhirClaim,
  canExportClaims,
  claimCsvRows,
  csvSafe,
  estimateFees,
  type BulkClaimQuery,
  type ChartClaimQuery,
  type ClaimChart,
  type FeeEstimate,
  type SessionUser,
} from '@countersign/shared';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { ChartReadsService } from '../audit/chart-reads.service.js';
import { EditsService } from '../edits/edits.service.js';
import { EncounterService } from '../encounter/encounter.service.js';
import { DomainError } from '../errors/domain-error.js';
import { ClaimExportRepository } from './claim-export.repository.js';
import { ExportSlots } from './export-slots.js';

/** Bulk exports one instance streams at once (each holds a pool connection while it lasts). */
export const MAX_CONCURRENT_EXPORTS = 2;

/** A file to send: its content type, a download name and the body. */
export interface ExportFile {
  contentType: string;
  fileName: string;
  body: string;
}

/** A streamed export: headers known up front, the body as chunks of text. */
export interface ExportStream {
  contentType: string;
  fileName: string;
  chunks: AsyncGenerator<string>;
}

/**
 * Claims out: one chart as a FHIR Claim or CSV, and the signed-off charts of a date range as a
 * FHIR Bundle, NDJSON or CSV, streamed page by page. Every chart that leaves is recorded in the
 * chart access log (`chart_reads`) before its data is written; logs name the export, never a
 * patient.
 */
@Injectable()
export class ClaimExportService {
  private readonly logger = new Logger('ClaimExport');
  private readonly slots = new ExportSlots(MAX_CONCURRENT_EXPORTS);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterService) private readonly encounters: EncounterService,
    @Inject(EditsService) private readonly edits: EditsService,
    @Inject(ChartReadsService) private readonly reads: ChartReadsService,
    @Inject(ClaimExportRepository) private readonly repository: ClaimExportRepository,
  ) {}

  /**
   * One chart's claim, for anyone who may read the chart. A chart that is not signed off is
   * exported only on request (`onRequest`), as a `draft` claim.
   */
  async chartClaim(user: SessionUser, id: string, query: ChartClaimQuery): Promise<ExportFile> {
    const encounter = await this.encounters.get(user, id);
    if (encounter.purpose !== 'claim')
      throw new DomainError(
        'invalid_state',
        'A blind copy or a practice chart is not a claim: it is never exported',
      );
    if (encounter.status !== 'signed_off' && !query.onRequest)
      throw new DomainError(
        'invalid_state',
        'The chart is not signed off: export it on request (onRequest=true) to get a draft claim',
        { status: encounter.status },
      );
    const facts = await this.repository.exportFacts(this.dataSource.manager, id);
    const signedOffAt = encounter.status === 'signed_off' ? facts.signedOffAt : null;
    const chart: ClaimChart = {
      ...encounter,
      signedOffAt: signedOffAt?.toISOString() ?? null,
      sourceId: facts.sourceId,
    };
    const fees = await this.fees(chart);
    const body =
      query.format === 'csv'
        ? toCsv(claimCsvRows(chart, fees), true)
        : `${JSON.stringify(buildFhirClaim(chart, { fees }), null, 2)}\n`;
    await this.reads.record(user, id, `GET /api/encounters/:id/claim?format=${query.format}`);
    const media = CLAIM_EXPORT_MEDIA[query.format];
    return {
      contentType: media.contentType,
      fileName: `claim-${id}.${media.extension}`,
      body,
    };
  }

  /** The signed-off charts of a range, streamed; supervisors and admins only. */
  bulk(user: SessionUser, query: BulkClaimQuery): ExportStream {
    if (!canExportClaims(user.role))
      throw DomainError.forbidden('Only a supervisor or an admin exports claims in bulk');
    const release = this.slots.tryAcquire();
    if (!release)
      throw new DomainError(
        'rate_limited',
        `${MAX_CONCURRENT_EXPORTS} claims exports are running on this server; try again when one ends`,
        { retryAfter: 30 },
      );
    const media = CLAIM_EXPORT_MEDIA[query.format];
    return {
      contentType: media.contentType,
      fileName: `claims-${query.basis}-${query.from}-to-${query.to}.${media.extension}`,
      chunks: this.bulkChunks(user, query, release),
    };
  }

  /** The export's text; `release` frees its slot when it ends, completed or aborted. */
  private async *bulkChunks(
    user: SessionUser,
    query: BulkClaimQuery,
    release: () => void,
  ): AsyncGenerator<string> {
    const via = `GET /api/exports/claims?format=${query.format}`;
    const started = Date.now();
    let charts = 0;
    let first = true;
    let done = false;
    try {
      if (query.format === 'fhir-bundle')
        yield `{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(new Date().toISOString())},"entry":[`;
      if (query.format === 'csv') yield toCsv([], true);
      for await (const page of this.repository.signedOffCharts(user.organizationId, query)) {
        const parts: string[] = [];
        const rows = [];
        for (const chart of page) {
          const fees = await this.fees(chart);
          if (query.format === 'csv') rows.push(...claimCsvRows(chart, fees));
          else {
            const claim = JSON.stringify(buildFhirClaim(chart, { fees }));
            if (query.format === 'ndjson') parts.push(`${claim}\n`);
            else {
              parts.push(
                `${first ? '' : ','}{"fullUrl":"urn:uuid:${chart.id}","resource":${claim}}`,
              );
              first = false;
            }
          }
        }
        await this.reads.recordMany(
          user,
          page.map((chart) => chart.id),
          via,
        );
        charts += page.length;
        yield query.format === 'csv' ? toCsv(rows, false) : parts.join('');
      }
      if (query.format === 'fhir-bundle') yield ']}\n';
      done = true;
    } finally {
      release();
      // Ids, format and range only: never a patient. An aborted download says how far it got.
      this.logger.log(
        `claims export by user ${user.id} (organization ${user.organizationId}): ${query.format}, ${query.basis} ${query.from}..${query.to}, ${charts} charts in ${Date.now() - started} ms${done ? '' : ', aborted'}`,
      );
    }
  }

  /** The fee estimate of the billed lines, on the editions in force on the date of service. */
  private async fees(chart: ClaimChart): Promise<FeeEstimate> {
    const lines = billedLines(chart);
    const reference = await this.edits.reference({
      dateOfService: chart.dateOfService,
      diagnoses: chart.diagnoses,
      lines,
    });
    return estimateFees({ placeOfService: chart.placeOfService, lines }, reference);
  }
}

/** CSV through csv-stringify, every text cell guarded against spreadsheet formulas. */
function toCsv(rows: ReturnType<typeof claimCsvRows>, header: boolean): string {
  return stringify(rows, {
    header,
    columns: [...CLAIM_CSV_COLUMNS],
    cast: { string: (value) => String(csvSafe(value)) },
    record_delimiter: 'windows',
  });
}

import { Inject, Injectable } from '@nestjs/common';
import type {
  AddOnEdit,
  ClfsRate,
  CodeEditionFact,
  CodeSystem,
  FeeScheduleRow,
  MueValue,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { PtpTable } from './ptp-table.js';

/** A loaded edition of a data set, as the edition choice orders them. */
export interface Edition {
  kind: string;
  edition: string;
  dataset: string;
  effectiveDate: string;
  fileName: string;
  importId: string;
  /** The import id, zero-padded: the last tie-break of the edition order (imported last wins). */
  importedAt: string;
}

export type FeeRow = FeeScheduleRow & { convFactor: number | null };
export type AddOnRow = AddOnEdit & { effectiveDate: string | null; deletionDate: string | null };

/** The reference tables whole (all but the PTP pairs), as the rules' snapshot is built from. */
export interface ReferenceRows {
  editions: Edition[];
  systems: Array<{ system: CodeSystem }>;
  factors: Array<{
    edition: string;
    year: number;
    variant: string;
    value: number;
    effectiveDate: string;
    fileName: string;
  }>;
  facts: Array<CodeEditionFact & { system: CodeSystem; code: string }>;
  mue: Array<MueValue & { edition: string; code: string }>;
  addOns: Array<AddOnRow & { edition: string }>;
  listed: Array<{ edition: string; code: string }>;
  fees: Array<FeeRow & { edition: string }>;
  clfs: Array<ClfsRate & { edition: string }>;
}

/**
 * The edit rules' reference data: every table read whole, once per catalogue generation, so
 * raw SQL that shapes each row as the rules use it (set-based reads, no row is written here).
 * The PTP pairs stream out with COPY (ptp-table.ts).
 */
@Injectable()
export class EditsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async referenceRows(): Promise<ReferenceRows> {
    const [editions, systems, factors, facts, mue, addOns, listed, fees, clfs] = await Promise.all([
      this.rows<Edition>(
        `SELECT kind, edition, dataset, effective_date::text AS "effectiveDate", file_name AS "fileName", import_id::text AS "importId",
                lpad(import_id::text, 20, '0') AS "importedAt"
           FROM catalog_editions`,
      ),
      this.rows<{ system: CodeSystem }>(`SELECT DISTINCT system FROM catalog_codes`),
      this.rows<ReferenceRows['factors'][number]>(
        `SELECT f.edition, f.year, f.variant, f.value::float8 AS value, e.effective_date::text AS "effectiveDate", e.file_name AS "fileName"
           FROM mpfs_conversion_factors f JOIN catalog_editions e ON e.kind = 'conversion-factors-tsv' AND e.edition = f.edition`,
      ),
      this.rows<CodeEditionFact & { system: CodeSystem; code: string }>(
        `SELECT c.system, c.code, c.edition, c.effective_date::text AS "effectiveDate", c.termination_date::text AS "terminationDate",
                c.billable, c.source_row AS row, e.file_name AS file
           FROM catalog_codes c LEFT JOIN catalog_editions e ON e.kind = c.import_kind AND e.edition = c.edition`,
      ),
      this.rows<MueValue & { edition: string; code: string }>(
        `SELECT edition, code, mue_value AS value, mai::int AS mai, rationale, source_row AS row FROM ncci_mue_values`,
      ),
      this.rows<AddOnRow & { edition: string }>(
        `SELECT edition, addon_code AS "addOn", primary_code AS primary, aoc_type::int AS type, source_row AS row,
                effective_date::text AS "effectiveDate", deletion_date::text AS "deletionDate"
           FROM ncci_addon_edits ORDER BY edition, source_row`,
      ),
      this.rows<{ edition: string; code: string }>(`SELECT edition, code FROM addon_codes`),
      this.rows<FeeRow & { edition: string }>(
        `SELECT edition, code, modifier, status_code AS status, work_rvu::float8 AS "workRvu", nonfac_pe_rvu::float8 AS "nonFacilityPeRvu",
                facility_pe_rvu::float8 AS "facilityPeRvu", nonfac_na AS "nonFacilityNa", mp_rvu::float8 AS "mpRvu", pctc_ind AS pctc, global_days AS "globalDays",
                bilat_surg AS bilateral, mult_proc AS "multProc", source_row AS row, conv_factor::float8 AS "convFactor"
           FROM mpfs_rvus`,
      ),
      this.rows<ClfsRate & { edition: string }>(
        `SELECT edition, code, modifier, rate::float8 AS rate, indicator, source_row AS row FROM clfs_rates`,
      ),
    ]);
    return { editions, systems, factors, facts, mue, addOns, listed, fees, clfs };
  }

  /** One edition of the PTP pairs as the compact in-memory table. */
  ptpTable(edition: string): Promise<PtpTable> {
    return PtpTable.load(this.dataSource, edition);
  }

  private rows<T>(sql: string): Promise<T[]> {
    return this.dataSource.query<T[]>(sql);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  CODE_SYSTEMS,
  isProcedureCode,
  type AddOnEdit,
  type CodeEditionFact,
  type CodeSystem,
  type ConversionFactor,
  type DatasetRef,
  type EditsReference,
  type FeeScheduleRow,
  type MueValue,
  type PtpEdit,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { CatalogGeneration } from '../catalog/catalog-generation.js';

/** How each data set is named in a finding's source. */
const DATASET_LABEL: Readonly<Record<string, string>> = {
  PTP: 'NCCI PTP practitioner',
  MUE: 'NCCI MUE practitioner',
  AOC: 'NCCI add-on code edits',
  ADDON: 'Add-on code list',
  RVU: 'MPFS RVU',
  CF: 'MPFS conversion factor',
  ICD10CM: 'ICD-10-CM code set',
  HCPCS: 'HCPCS Level II code set',
  CPT: 'CPT code set',
  MODIFIER: 'Modifier list',
};

interface Edition {
  kind: string;
  edition: string;
  dataset: string;
  effectiveDate: string;
  fileName: string;
}

interface Snapshot {
  generation: number;
  editions: Edition[];
  systemsLoaded: CodeSystem[];
  conversionFactors: Array<{ edition: string; year: number; variant: string; value: number; effectiveDate: string; fileName: string }>;
}

/**
 * Loads the reference data the edit rules need for the codes of one encounter, from the
 * editions in force on its date of service: the newest edition of each data set that took
 * effect on or before that date (the oldest one when the date precedes them all). PTP pairs
 * are read by primary key among the encounter's codes only, so the 1.67 million-row table
 * costs one index probe per code.
 */
@Injectable()
export class EditsReferenceService {
  private snapshot: Snapshot | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogGeneration) private readonly generation: CatalogGeneration,
  ) {}

  async load(dateOfService: string, codes: readonly string[]): Promise<EditsReference> {
    const snapshot = await this.current();
    const procedures = codes.filter(isProcedureCode);
    const ptp = inForce(snapshot.editions, 'PTP', dateOfService);
    const mue = inForce(snapshot.editions, 'MUE', dateOfService);
    const aoc = inForce(snapshot.editions, 'AOC', dateOfService);
    const addOnList = inForce(snapshot.editions, 'ADDON', dateOfService);
    const rvu = inForce(snapshot.editions, 'RVU', dateOfService);
    const none = Promise.resolve([]);
    const [facts, pairs, mues, addOns, listed, fees] = await Promise.all([
      this.codeFacts(codes),
      ptp && procedures.length > 1 ? this.ptp(ptp.edition, procedures) : none,
      mue && procedures.length ? this.mue(mue.edition, procedures) : none,
      aoc && procedures.length ? this.addOnEdits(aoc.edition, procedures, dateOfService) : none,
      addOnList && procedures.length ? this.addOnList(addOnList.edition, procedures) : none,
      rvu && procedures.length ? this.fees(rvu.edition, procedures) : none,
    ]);
    const catalog: Record<string, DatasetRef> = {};
    for (const system of CODE_SYSTEMS) {
      const edition = inForce(snapshot.editions, system, dateOfService);
      if (edition) catalog[system] = ref(edition);
    }
    return {
      dateOfService,
      systemsLoaded: snapshot.systemsLoaded,
      codes: facts,
      catalog,
      ptp: pairs as PtpEdit[],
      ptpSource: ptp ? ref(ptp) : null,
      mue: Object.fromEntries((mues as Array<MueValue & { code: string }>).map(({ code, ...value }) => [code, value])),
      mueSource: mue ? ref(mue) : null,
      addOnEdits: addOns as AddOnEdit[],
      addOnSource: aoc ? ref(aoc) : null,
      addOnCodes: [...new Set([...(listed as string[]), ...(fees as FeeScheduleRow[]).filter((f) => f.globalDays === 'ZZZ').map((f) => f.code)])],
      addOnListSource: addOnList ? ref(addOnList) : null,
      fees: (fees as Array<FeeScheduleRow & { convFactor?: number | null }>).map(({ convFactor: _cf, ...row }) => row),
      feeSource: rvu ? ref(rvu) : null,
      conversionFactor: conversionFactor(snapshot, dateOfService, rvu, fees as Array<FeeScheduleRow & { convFactor?: number | null }>),
    };
  }

  private async current(): Promise<Snapshot> {
    const generation = await this.generation.current();
    if (this.snapshot?.generation === generation) return this.snapshot;
    const [editions, systems, factors] = await Promise.all([
      this.dataSource.query(`SELECT kind, edition, dataset, effective_date::text AS "effectiveDate", file_name AS "fileName" FROM catalog_editions`) as Promise<Edition[]>,
      this.dataSource.query(`SELECT DISTINCT system FROM catalog_codes`) as Promise<Array<{ system: CodeSystem }>>,
      this.dataSource.query(
        `SELECT f.edition, f.year, f.variant, f.value::float8 AS value, e.effective_date::text AS "effectiveDate", e.file_name AS "fileName"
           FROM mpfs_conversion_factors f JOIN catalog_editions e ON e.kind = 'conversion-factors-tsv' AND e.edition = f.edition`,
      ) as Promise<Snapshot['conversionFactors']>,
    ]);
    this.snapshot = { generation, editions, systemsLoaded: systems.map((s) => s.system), conversionFactors: factors };
    return this.snapshot;
  }

  private async codeFacts(codes: readonly string[]): Promise<Record<string, CodeEditionFact[]>> {
    const rows: Array<CodeEditionFact & { system: CodeSystem; code: string }> = await this.dataSource.query(
      `SELECT c.system, c.code, c.edition, c.effective_date::text AS "effectiveDate", c.termination_date::text AS "terminationDate",
              c.billable, c.source_row AS row, e.file_name AS file
         FROM catalog_codes c LEFT JOIN catalog_editions e ON e.kind = c.import_kind AND e.edition = c.edition
        WHERE c.code = ANY($1::text[])`,
      [codes],
    );
    const facts: Record<string, CodeEditionFact[]> = {};
    for (const { system, code, ...fact } of rows) (facts[`${system}:${code}`] ??= []).push(fact);
    return facts;
  }

  private ptp(edition: string, codes: readonly string[]): Promise<PtpEdit[]> {
    return this.dataSource.query(
      `SELECT column1, column2, modifier_indicator::int AS "modifierIndicator", rationale, effective_date::text AS "effectiveDate",
              deletion_date::text AS "deletionDate", source_row AS row
         FROM ncci_ptp_edits WHERE edition = $1 AND column1 = ANY($2::text[]) AND column2 = ANY($2::text[])`,
      [edition, codes],
    );
  }

  private mue(edition: string, codes: readonly string[]): Promise<Array<MueValue & { code: string }>> {
    return this.dataSource.query(
      `SELECT code, mue_value AS value, mai::int AS mai, rationale, source_row AS row FROM ncci_mue_values WHERE edition = $1 AND code = ANY($2::text[])`,
      [edition, codes],
    );
  }

  private addOnEdits(edition: string, codes: readonly string[], date: string): Promise<AddOnEdit[]> {
    return this.dataSource.query(
      `SELECT addon_code AS "addOn", primary_code AS primary, aoc_type::int AS type, source_row AS row
         FROM ncci_addon_edits
        WHERE edition = $1 AND addon_code = ANY($2::text[])
          AND (effective_date IS NULL OR effective_date <= $3::date) AND (deletion_date IS NULL OR deletion_date >= $3::date)
        ORDER BY source_row`,
      [edition, codes, date],
    );
  }

  private async addOnList(edition: string, codes: readonly string[]): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(`SELECT code FROM addon_codes WHERE edition = $1 AND code = ANY($2::text[])`, [edition, codes]);
    return rows.map((r) => r.code);
  }

  private fees(edition: string, codes: readonly string[]): Promise<Array<FeeScheduleRow & { convFactor: number | null }>> {
    return this.dataSource.query(
      `SELECT code, modifier, status_code AS status, work_rvu::float8 AS "workRvu", nonfac_pe_rvu::float8 AS "nonFacilityPeRvu",
              facility_pe_rvu::float8 AS "facilityPeRvu", mp_rvu::float8 AS "mpRvu", pctc_ind AS pctc, global_days AS "globalDays",
              bilat_surg AS bilateral, source_row AS row, conv_factor::float8 AS "convFactor"
         FROM mpfs_rvus WHERE edition = $1 AND code = ANY($2::text[])`,
      [edition, codes],
    );
  }
}

/** The newest edition of `dataset` in effect on `date`, else the oldest one loaded. */
function inForce(editions: readonly Edition[], dataset: string, date: string): Edition | null {
  const mine = editions.filter((e) => e.dataset === dataset).sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate) || b.edition.localeCompare(a.edition));
  return mine.find((e) => e.effectiveDate <= date) ?? mine.at(-1) ?? null;
}

function ref(edition: Edition): DatasetRef {
  return { dataset: DATASET_LABEL[edition.dataset] ?? edition.dataset, edition: edition.edition, file: edition.fileName, effectiveDate: edition.effectiveDate };
}

/**
 * The conversion factor of the date of service's year (the standard one, from the newest
 * conversion factor file listing that year), else the one printed in the RVU file in force.
 */
function conversionFactor(
  snapshot: Snapshot,
  date: string,
  rvu: Edition | null,
  fees: ReadonlyArray<{ convFactor?: number | null }>,
): ConversionFactor | null {
  const year = Number(date.slice(0, 4));
  const listed = snapshot.conversionFactors
    .filter((f) => f.year === year && f.variant === 'standard')
    .sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate))[0];
  if (listed) {
    return { year, value: listed.value, source: { dataset: DATASET_LABEL.CF!, edition: listed.edition, file: listed.fileName, effectiveDate: listed.effectiveDate } };
  }
  const printed = fees.find((f) => typeof f.convFactor === 'number' && f.convFactor > 0)?.convFactor;
  if (!rvu || !printed) return null;
  return { year: Number(rvu.edition.slice(0, 4)) || year, value: printed, source: ref(rvu) };
}

import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  CODE_SYSTEMS,
  editionInForce,
  isDemoEdition,
  isProcedureCode,
  quarterOf,
  quartersBetween,
  type ClfsRate,
  type CoverageNote,
  type CodeEditionFact,
  type CodeSystem,
  type ConversionFactor,
  type DatasetRef,
  type EditsReference,
  type MueValue,
} from '@countersign/shared';
import { CatalogGeneration } from '../catalog/catalog-generation.js';
import {
  EditsRepository,
  type AddOnRow,
  type Edition,
  type FeeRow,
  type ReferenceRows,
} from './edits.repository.js';
import type { PtpTable } from './ptp-table.js';

/** How each data set is named in a finding's source. */
const DATASET_LABEL: Readonly<Record<string, string>> = {
  PTP: 'NCCI PTP practitioner',
  MUE: 'NCCI MUE practitioner',
  AOC: 'NCCI add-on code edits',
  ADDON: 'Add-on code list',
  RVU: 'MPFS RVU',
  CF: 'MPFS conversion factor',
  CLFS: 'CMS clinical lab fee schedule',
  ICD10CM: 'ICD-10-CM code set',
  HCPCS: 'HCPCS Level II code set',
  CPT: 'CPT code set',
  MODIFIER: 'Modifier list',
};

/** Data sets CMS publishes quarterly: an edition from an earlier quarter than the date of service is stale. */
const QUARTERLY = new Set(['PTP', 'MUE']);
/**
 * What the rules do when no edition of a data set covers the date of service: NCCI edits and
 * code sets are not applied (a finding says so); add-on lists and fee schedules use the
 * nearest edition (and say so).
 */
const WHEN_UNCOVERED: Readonly<Record<string, 'none' | 'nearest'>> = {
  PTP: 'none',
  MUE: 'none',
  AOC: 'nearest',
  ADDON: 'nearest',
  RVU: 'nearest',
  CLFS: 'nearest',
};

/** Everything but the PTP pairs, as of one catalogue generation: small enough to hold whole. */
interface Snapshot {
  generation: number;
  editions: Edition[];
  systemsLoaded: CodeSystem[];
  conversionFactors: ReferenceRows['factors'];
  /** Catalogue rows by code, every system and edition. */
  facts: Map<string, Array<CodeEditionFact & { system: CodeSystem }>>;
  mue: Map<string, Map<string, MueValue>>;
  addOns: Map<string, Map<string, AddOnRow[]>>;
  addOnList: Map<string, Set<string>>;
  /** Every code the add-on edit file of an edition names, add-on or primary. */
  aocCodes: Map<string, Set<string>>;
  fees: Map<string, Map<string, FeeRow[]>>;
  clfs: Map<string, Map<string, ClfsRate[]>>;
  /** The editions in force and coverage notes by date of service, worked out once per date. */
  byDate: Map<string, InForce>;
}

interface InForce {
  pick: (dataset: string) => Edition | null;
  coverage: readonly CoverageNote[];
}

/** Dates whose editions are remembered per snapshot; beyond this the cache starts again. */
const DATES_REMEMBERED = 2_000;

/** The editions in force on `date` and the coverage notes, from the snapshot's cache. */
function inForceOn(snapshot: Snapshot, date: string): InForce {
  let known = snapshot.byDate.get(date);
  if (known) return known;
  const coverage: CoverageNote[] = [];
  const chosen = new Map<string, Edition | null>();
  for (const dataset of [...Object.keys(WHEN_UNCOVERED), ...CODE_SYSTEMS]) {
    chosen.set(
      dataset,
      pickEdition(snapshot.editions, dataset, date, WHEN_UNCOVERED[dataset] ?? 'none', coverage),
    );
  }
  known = { pick: (dataset) => chosen.get(dataset) ?? null, coverage };
  if (snapshot.byDate.size >= DATES_REMEMBERED) snapshot.byDate.clear();
  snapshot.byDate.set(date, known);
  return known;
}

/**
 * The reference data the edit rules need for the codes of one encounter, from the editions in
 * force on its date of service, chosen by `editionInForce` (shared/src/coding/editions.ts:
 * official before demo, newest effective on or before the date). When no edition covers the
 * date, or the newest NCCI edition is from an earlier quarter, the reference carries a coverage
 * note the rules turn into one chart-level finding. Everything is held in
 * memory and rebuilt when an import changes the catalogue (the first evaluation after an
 * import waits for it): the small tables whole, the PTP pairs as one compact table per edition
 * (see PtpTable), so an evaluation asks Postgres nothing.
 */
@Injectable()
export class EditsReferenceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('EditsReference');
  private snapshot: Snapshot | null = null;
  private building: Promise<Snapshot> | null = null;
  private readonly ptpTables = new Map<string, Promise<PtpTable>>();

  constructor(
    @Inject(EditsRepository) private readonly edits: EditsRepository,
    @Inject(CatalogGeneration) private readonly generation: CatalogGeneration,
  ) {}

  /** Loads the data in force today in the background, so the first chart does not wait. */
  onModuleInit(): void {
    void this.load(new Date().toISOString().slice(0, 10), []).catch((error: unknown) =>
      this.logger.error(`Could not load the edit data: ${String(error)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.building?.catch(() => undefined);
    await Promise.all([...this.ptpTables.values()].map((t) => t.catch(() => undefined)));
  }

  /**
   * The codes of `system` that no loaded edition lists, or null when no edition of `system` is
   * loaded (then only a code's form can be checked). An import refuses the listed-nowhere ones.
   */
  async unlistedCodes(system: CodeSystem, codes: readonly string[]): Promise<Set<string> | null> {
    const snapshot = await this.current();
    if (!snapshot.systemsLoaded.includes(system)) return null;
    return new Set(
      codes.filter((code) => !(snapshot.facts.get(code) ?? []).some((f) => f.system === system)),
    );
  }

  async load(dateOfService: string, codes: readonly string[]): Promise<EditsReference> {
    const snapshot = await this.current();
    const procedures = codes.filter(isProcedureCode);
    const { pick, coverage } = inForceOn(snapshot, dateOfService);
    const ptp = pick('PTP');
    const mue = pick('MUE');
    const aoc = pick('AOC');
    const addOnList = pick('ADDON');
    const rvu = pick('RVU');
    const clfs = pick('CLFS');
    const ptpTable = ptp ? await this.ptpTable(ptp) : null;
    const pairs = ptpTable ? ptpTable.among(procedures) : [];

    const facts: Record<string, CodeEditionFact[]> = {};
    for (const code of new Set(codes))
      for (const { system, ...fact } of snapshot.facts.get(code) ?? [])
        (facts[`${system}:${code}`] ??= []).push(fact);
    const catalog: Record<string, DatasetRef> = {};
    for (const system of CODE_SYSTEMS) {
      const edition = pick(system);
      if (edition) catalog[system] = ref(edition);
    }
    const mueValues = mue ? snapshot.mue.get(mue.edition) : undefined;
    const addOnRows = aoc ? snapshot.addOns.get(aoc.edition) : undefined;
    const listed = addOnList ? snapshot.addOnList.get(addOnList.edition) : undefined;
    const feeRows = rvu ? snapshot.fees.get(rvu.edition) : undefined;
    const clfsRates = clfs ? snapshot.clfs.get(clfs.edition) : undefined;
    const fees = procedures.flatMap((code) => feeRows?.get(code) ?? []);
    const inEffect = (row: AddOnRow) =>
      (row.effectiveDate === null || row.effectiveDate <= dateOfService) &&
      (row.deletionDate === null || row.deletionDate >= dateOfService);
    return {
      dateOfService,
      systemsLoaded: snapshot.systemsLoaded,
      codes: facts,
      catalog,
      ptp: pairs,
      ptpSource: ptp ? ref(ptp) : null,
      mue: Object.fromEntries(
        procedures.flatMap((code) => (mueValues?.has(code) ? [[code, mueValues.get(code)!]] : [])),
      ),
      mueSource: mue ? ref(mue) : null,
      addOnEdits: procedures.flatMap((code) =>
        (addOnRows?.get(code) ?? [])
          .filter(inEffect)
          .map(({ addOn, primary, type, row }) => ({ addOn, primary, type, row })),
      ),
      addOnSource: aoc ? ref(aoc) : null,
      addOnCodes: [
        ...new Set([
          ...procedures.filter((code) => listed?.has(code)),
          ...fees.filter((f) => f.globalDays === 'ZZZ').map((f) => f.code),
        ]),
      ],
      addOnListSource: addOnList ? ref(addOnList) : null,
      fees: fees.map(({ convFactor: _cf, ...row }) => row),
      feeSource: rvu ? ref(rvu) : null,
      conversionFactor: conversionFactor(snapshot, dateOfService, rvu, fees),
      clfs: Object.fromEntries(
        procedures.flatMap((code) => (clfsRates?.has(code) ? [[code, clfsRates.get(code)!]] : [])),
      ),
      clfsSource: clfs ? ref(clfs) : null,
      listedIn: await this.listedIn(snapshot, procedures, ptpTable),
      coverage: [...coverage],
    };
  }

  /**
   * The loaded public files that list each procedure code (any edition): what makes a CPT number
   * known without the licensed CPT file. PTP pairs are looked up in the table in force, else the
   * newest one loaded.
   */
  private async listedIn(
    snapshot: Snapshot,
    procedures: readonly string[],
    ptpTable: PtpTable | null,
  ): Promise<Record<string, string[]>> {
    const newestPtp = snapshot.editions
      .filter((e) => e.dataset === 'PTP')
      .sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate))[0];
    const table = ptpTable ?? (newestPtp ? await this.ptpTable(newestPtp) : null);
    const label = (dataset: string, edition: string) => `${DATASET_LABEL[dataset]} ${edition}`;
    const out: Record<string, string[]> = {};
    for (const code of new Set(procedures)) {
      const files: string[] = [];
      for (const [edition, rows] of snapshot.fees)
        if (rows.has(code)) files.push(label('RVU', edition));
      if (table?.has(code))
        files.push(label('PTP', newestPtp && !ptpTable ? newestPtp.edition : 'in force'));
      for (const [edition, values] of snapshot.mue)
        if (values.has(code)) files.push(label('MUE', edition));
      for (const [edition, listed] of snapshot.aocCodes)
        if (listed.has(code)) files.push(label('AOC', edition));
      for (const [edition, listed] of snapshot.addOnList)
        if (listed.has(code)) files.push(label('ADDON', edition));
      for (const [edition, rates] of snapshot.clfs)
        if (rates.has(code)) files.push(label('CLFS', edition));
      if (files.length) out[code] = files;
    }
    return out;
  }

  /** The snapshot of the current generation; after an import, the first caller builds it and the others wait. */
  private async current(): Promise<Snapshot> {
    const generation = await this.generation.current();
    if (this.snapshot?.generation === generation) return this.snapshot;
    this.building ??= this.build(generation).finally(() => {
      this.building = null;
    });
    const built = await this.building;
    return built.generation === generation ? built : this.current();
  }

  private async build(generation: number): Promise<Snapshot> {
    const started = Date.now();
    const { editions, systems, factors, facts, mue, addOns, listed, fees, clfs } =
      await this.edits.referenceRows();
    const snapshot: Snapshot = {
      generation,
      editions,
      systemsLoaded: systems.map((s) => s.system),
      conversionFactors: factors,
      facts: groupBy(
        facts,
        (f) => f.code,
        ({ code: _code, ...fact }) => fact,
      ),
      mue: nest(
        mue,
        (m) => m.edition,
        (byCode) => new Map(byCode.map(({ edition: _e, code, ...value }) => [code, value])),
      ),
      addOns: nest(
        addOns,
        (a) => a.edition,
        (rows) =>
          groupBy(
            rows,
            (r) => r.addOn,
            ({ edition: _e, ...row }) => row,
          ),
      ),
      addOnList: nest(
        listed,
        (a) => a.edition,
        (rows) => new Set(rows.map((r) => r.code)),
      ),
      aocCodes: nest(
        addOns,
        (a) => a.edition,
        (rows) => new Set(rows.flatMap((r) => [r.addOn, r.primary])),
      ),
      clfs: nest(
        clfs,
        (c) => c.edition,
        (rows) =>
          groupBy(
            rows,
            (r) => r.code,
            ({ edition: _e, ...rate }) => rate,
          ),
      ),
      byDate: new Map(),
      fees: nest(
        fees,
        (f) => f.edition,
        (rows) =>
          groupBy(
            rows,
            (r) => r.code,
            ({ edition: _e, ...row }) => row,
          ),
      ),
    };
    // PTP tables of editions that are gone or were re-imported are dropped; the others are kept.
    const current = new Set(editions.filter((e) => e.dataset === 'PTP').map(ptpKey));
    for (const key of this.ptpTables.keys()) if (!current.has(key)) this.ptpTables.delete(key);
    this.snapshot = snapshot;
    this.logger.log(
      `Edit data loaded in ${Date.now() - started} ms (${facts.length} codes, ${mue.length} MUE, ${addOns.length} add-on, ${fees.length} fee rows)`,
    );
    return snapshot;
  }

  private ptpTable(edition: Edition): Promise<PtpTable> {
    const key = ptpKey(edition);
    let table = this.ptpTables.get(key);
    if (!table) {
      const started = Date.now();
      table = this.edits.ptpTable(edition.edition).then((loaded) => {
        this.logger.log(
          `NCCI PTP ${edition.edition}: ${loaded.size} pairs in memory in ${Date.now() - started} ms`,
        );
        return loaded;
      });
      table.catch(() => this.ptpTables.delete(key));
      this.ptpTables.set(key, table);
    }
    return table;
  }
}

const ptpKey = (edition: Edition) => `${edition.edition}#${edition.importId}`;

function groupBy<T, V>(
  items: readonly T[],
  key: (item: T) => string,
  value: (item: T) => V,
): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push(value(item));
  }
  return groups;
}

function nest<T, V>(
  items: readonly T[],
  key: (item: T) => string,
  build: (group: T[]) => V,
): Map<string, V> {
  return new Map([...groupBy(items, key, (item) => item)].map(([k, group]) => [k, build(group)]));
}

/**
 * The edition of `dataset` in force on `date` by `editionInForce`; when none covers the date,
 * the nearest one or none (by `whenUncovered`), and a coverage note either way. A quarterly NCCI
 * edition from a quarter before the date's gets a `stale` note.
 */
function pickEdition(
  editions: readonly Edition[],
  dataset: string,
  date: string,
  whenUncovered: 'none' | 'nearest',
  notes: CoverageNote[],
): Edition | null {
  const choice = editionInForce(
    editions.filter((e) => e.dataset === dataset),
    date,
  );
  if (choice.status === 'none-loaded') return null;
  const label = DATASET_LABEL[dataset] ?? dataset;
  // Several kinds may share an edition (ICD-10-CM billable codes and headers): each edition once.
  const loaded = [
    ...new Map(
      choice.loaded.map((e) => [
        `${e.edition}@${e.effectiveDate}`,
        { edition: e.edition, effectiveDate: e.effectiveDate },
      ]),
    ).values(),
  ].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  const serviceQuarter = quarterOf(date);
  if (choice.status === 'not-covered') {
    const applied = whenUncovered === 'nearest' ? choice.nearest : null;
    notes.push({
      key: dataset,
      dataset: label,
      status: 'not-covered',
      applied: applied ? ref(applied) : null,
      loaded,
      serviceQuarter,
    });
    return applied;
  }
  const edition = choice.edition;
  if (
    QUARTERLY.has(dataset) &&
    quartersBetween(quarterOf(edition.effectiveDate), serviceQuarter) > 0
  ) {
    notes.push({
      key: dataset,
      dataset: label,
      status: 'stale',
      applied: ref(edition),
      loaded,
      serviceQuarter,
    });
  }
  return edition;
}

function ref(edition: Edition): DatasetRef {
  return {
    dataset: DATASET_LABEL[edition.dataset] ?? edition.dataset,
    edition: edition.edition,
    file: edition.fileName,
    effectiveDate: edition.effectiveDate,
  };
}

/**
 * The conversion factor of the date of service's year (the standard one, from the newest
 * official conversion factor file listing that year, a demo one only when no official one
 * does), else the one printed in the RVU file in force.
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
    .sort(
      (a, b) =>
        Number(isDemoEdition(a)) - Number(isDemoEdition(b)) ||
        b.effectiveDate.localeCompare(a.effectiveDate),
    )[0];
  if (listed) {
    return {
      year,
      value: listed.value,
      source: {
        dataset: DATASET_LABEL.CF!,
        edition: listed.edition,
        file: listed.fileName,
        effectiveDate: listed.effectiveDate,
      },
    };
  }
  const printed = fees.find(
    (f) => typeof f.convFactor === 'number' && f.convFactor > 0,
  )?.convFactor;
  if (!rvu || !printed) return null;
  return { year: Number(rvu.edition.slice(0, 4)) || year, value: printed, source: ref(rvu) };
}

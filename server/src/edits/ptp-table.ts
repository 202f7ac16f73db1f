import type { PtpEdit } from '@countersign/shared';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';

/** Bits of a packed entry: column 1 id, column 2 id, then the row's index. 15 + 15 + 23 = 53, a safe integer. */
const CODE_BITS = 2 ** 15;
const INDEX_BITS = 2 ** 23;
const NO_DATE = -1;

export interface PtpRow {
  column1: string;
  column2: string;
  modifierIndicator: 0 | 1 | 9;
  rationale: string;
  effectiveDate: string | null;
  deletionDate: string | null;
  row: number;
}

/**
 * One edition of the NCCI PTP table in memory, about 25 bytes a pair: every code gets a small
 * id, each pair is one number (column 1 id, column 2 id, row index) in a sorted Float64Array,
 * and the pairs among an encounter's codes are found by binary search, one per ordered pair
 * of its codes. Loaded once per edition with COPY, so the 1.67 million pairs never exist as
 * JavaScript objects.
 */
export class PtpTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly rationales: string[] = [];
  private readonly rationaleIds = new Map<string, number>();
  private packed = new Float64Array(0);
  private indicator = new Uint8Array(0);
  private rationale = new Uint16Array(0);
  private sourceRow = new Uint32Array(0);
  private effective = new Int32Array(0);
  private deletion = new Int32Array(0);
  private dates: string[] = [];
  private readonly dateIds = new Map<string, number>();

  /** Builds a table from rows (tests, and what `load` streams in). */
  static from(rows: Iterable<PtpRow>, expected = 1024): PtpTable {
    const table = new PtpTable();
    table.reserve(expected);
    let count = 0;
    for (const row of rows)
      table.add(
        count++,
        row.column1,
        row.column2,
        row.modifierIndicator,
        row.rationale,
        row.effectiveDate,
        row.deletionDate,
        row.row,
      );
    table.finish(count);
    return table;
  }

  /** Streams one edition out of ncci_ptp_edits. */
  static async load(dataSource: DataSource, edition: string): Promise<PtpTable> {
    const [{ n }] = await dataSource.query<[{ n: number }]>(
      'SELECT count(*)::int AS n FROM ncci_ptp_edits WHERE edition = $1',
      [edition],
    );
    const table = new PtpTable();
    table.reserve(n);
    const runner = dataSource.createQueryRunner();
    const client = (await runner.connect()) as pg.PoolClient;
    try {
      const stream = client.query(
        copyTo(
          `COPY (SELECT column1, column2, modifier_indicator, rationale, effective_date, deletion_date, source_row
                   FROM ncci_ptp_edits WHERE edition = ${client.escapeLiteral(edition)}) TO STDOUT`,
        ),
      );
      let count = 0;
      let rest = '';
      for await (const chunk of stream) {
        const text = rest + (chunk as Buffer).toString('utf8');
        let start = 0;
        for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
          const f = text.slice(start, end).split('\t');
          table.add(
            count++,
            f[0]!,
            f[1]!,
            Number(f[2]) as 0 | 1 | 9,
            unescape(f[3]!),
            f[4] === '\\N' ? null : f[4]!,
            f[5] === '\\N' ? null : f[5]!,
            Number(f[6]),
          );
          start = end + 1;
        }
        rest = text.slice(start);
      }
      table.finish(count);
      return table;
    } finally {
      await runner.release();
    }
  }

  /** True when the edition lists `code` in either column: CMS publishes it. */
  has(code: string): boolean {
    return this.ids.has(code);
  }

  get size(): number {
    return this.packed.length;
  }

  /** Every edit whose column 1 and column 2 codes are both among `codes`. */
  among(codes: readonly string[]): PtpEdit[] {
    const present = [...new Set(codes)]
      .map((c) => this.ids.get(c))
      .filter((id): id is number => id !== undefined);
    const found: PtpEdit[] = [];
    for (const first of present) {
      for (const second of present) {
        if (first === second) continue;
        const pair = first * CODE_BITS + second;
        for (
          let i = this.lowerBound(pair * INDEX_BITS);
          i < this.packed.length && Math.floor(this.packed[i]! / INDEX_BITS) === pair;
          i++
        ) {
          found.push(this.edit(this.packed[i]! % INDEX_BITS, first, second));
        }
      }
    }
    return found;
  }

  private edit(index: number, first: number, second: number): PtpEdit {
    return {
      column1: this.names[first]!,
      column2: this.names[second]!,
      modifierIndicator: this.indicator[index] as 0 | 1 | 9,
      rationale: this.rationales[this.rationale[index]!]!,
      effectiveDate: this.effective[index] === NO_DATE ? null : this.dates[this.effective[index]!]!,
      deletionDate: this.deletion[index] === NO_DATE ? null : this.dates[this.deletion[index]!]!,
      row: this.sourceRow[index]!,
    };
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.packed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.packed[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reserve(n: number): void {
    if (n >= INDEX_BITS)
      throw new RangeError(`A PTP edition of ${n} rows is more than the in-memory table holds`);
    this.packed = new Float64Array(n);
    this.indicator = new Uint8Array(n);
    this.rationale = new Uint16Array(n);
    this.sourceRow = new Uint32Array(n);
    this.effective = new Int32Array(n);
    this.deletion = new Int32Array(n);
  }

  private add(
    index: number,
    column1: string,
    column2: string,
    mi: 0 | 1 | 9,
    rationale: string,
    effective: string | null,
    deletion: string | null,
    row: number,
  ): void {
    if (index >= this.packed.length) this.grow(Math.max(1024, this.packed.length * 2));
    this.packed[index] = (this.id(column1) * CODE_BITS + this.id(column2)) * INDEX_BITS + index;
    this.indicator[index] = mi;
    this.rationale[index] = this.intern(rationale);
    this.sourceRow[index] = row;
    this.effective[index] = this.date(effective);
    this.deletion[index] = this.date(deletion);
  }

  private finish(count: number): void {
    this.packed = this.packed.slice(0, count).sort();
  }

  private grow(n: number): void {
    const copy = <T extends Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.packed = copy(this.packed, (k) => new Float64Array(k));
    this.indicator = copy(this.indicator, (k) => new Uint8Array(k));
    this.rationale = copy(this.rationale, (k) => new Uint16Array(k));
    this.sourceRow = copy(this.sourceRow, (k) => new Uint32Array(k));
    this.effective = copy(this.effective, (k) => new Int32Array(k));
    this.deletion = copy(this.deletion, (k) => new Int32Array(k));
  }

  private id(code: string): number {
    let id = this.ids.get(code);
    if (id === undefined) {
      id = this.names.length;
      if (id >= CODE_BITS)
        throw new RangeError(
          'More distinct codes in one PTP edition than the in-memory table holds',
        );
      this.ids.set(code, id);
      this.names.push(code);
    }
    return id;
  }

  private intern(rationale: string): number {
    let id = this.rationaleIds.get(rationale);
    if (id === undefined) {
      id = this.rationales.length;
      this.rationaleIds.set(rationale, id);
      this.rationales.push(rationale);
    }
    return id;
  }

  private date(value: string | null): number {
    if (value === null) return NO_DATE;
    let id = this.dateIds.get(value);
    if (id === undefined) {
      id = this.dates.length;
      this.dateIds.set(value, id);
      this.dates.push(value);
    }
    return id;
  }
}

/** COPY text format escapes in a field. */
function unescape(value: string): string {
  return value.includes('\\')
    ? value.replace(/\\(.)/g, (_m, ch: string) =>
        ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch,
      )
    : value;
}

import {
  IMPORT_KINDS,
  isCalendarDate,
  isProcedureCode,
  type ImportKind,
} from '@countersign/shared';

/** A bad line: where and why. The import stops and nothing changes. */
export class ImportLineError extends Error {
  constructor(
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = 'ImportLineError';
  }
}

/** A value for COPY: text, or null. */
export type Cell = string | null;

/** Where a format's rows go: the table, its COPY columns and the key a row is matched on. */
export interface ImportTarget {
  table: string;
  /** COPY column order; always includes `edition` and `source_row`. */
  columns: readonly string[];
  /** Identity of a row within the table (includes `edition`). */
  key: readonly string[];
  /** True for catalog_codes, where several kinds share one edition and each replaces only its own rows. */
  scopedByKind: boolean;
  /**
   * A column that splits one edition over several files (CMS ships the PTP edits of a quarter
   * as four files by column 1 code): a file then replaces only the rows of the values it holds.
   */
  partitionColumn?: string;
}

export interface ParseContext {
  kind: ImportKind;
  edition: string;
  effectiveDate: string;
}

/** Reads one file, line by line; keeps whatever state a format needs (header seen, continuations). */
export interface LineParser {
  /** Rows for one line, in the target's column order; [] for a line that holds none (preamble, blank). */
  line(text: string, lineNo: number): Cell[][];
  /** Rows still buffered at the end; throws when the file held no data or stopped in the middle. */
  end(lastLine: number): Cell[][];
}

export interface ImportFormat {
  kind: ImportKind;
  target: ImportTarget;
  /** Recognises the file from its name and first non-empty line. */
  detect(fileName: string, firstLine: string): boolean;
  /**
   * A tab-separated file whose name says what it is but whose header does not match: it is
   * taken as this kind, so the error names the columns expected.
   */
  fileNamePattern?: RegExp;
  /** Edition from the file name when the caller gave none, e.g. `icd10cm-2026.tsv.gz` -> 2026. */
  editionFromFileName?(fileName: string): string | null;
  createParser(context: ParseContext): LineParser;
}

export const dataset = (kind: ImportKind): string => IMPORT_KINDS[kind].dataset;

/** `2026`, `2024Q3` or a date in the name (`Eff_07-01-2024` -> 2024Q3). */
export function editionFromFileName(fileName: string): string | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  const us = /(\d{2})[-_](\d{2})[-_]((?:19|20)\d{2})/.exec(base);
  if (us) return `${us[3]}Q${Math.floor((Number(us[1]) - 1) / 3) + 1}`;
  const quarter = /((?:19|20)\d{2})[-_ ]?q([1-4])/i.exec(base);
  if (quarter) return `${quarter[1]}Q${quarter[2]}`;
  const year = /(?:^|[^0-9])((?:19|20)\d{2})(?![0-9])/.exec(base);
  if (year) return year[1]!;
  const rvu = /rvu(\d{2})(?![0-9])/i.exec(base);
  return rvu ? `20${rvu[1]}` : null;
}

/**
 * When an edition takes effect, unless the caller says: ICD-10-CM fiscal years start on
 * October 1 of the year before; quarters on their first day; other years on January 1.
 */
export function defaultEffectiveDate(kind: ImportKind, edition: string): string | null {
  const quarter = /^((?:19|20)\d{2})Q([1-4])$/.exec(edition);
  if (quarter)
    return `${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  const year = /^((?:19|20)\d{2})$/.exec(edition);
  if (!year) return null;
  return dataset(kind) === 'ICD10CM' ? `${Number(year[1]) - 1}-10-01` : `${year[1]}-01-01`;
}

/** A tab-separated file with one exact header row: the columns are checked by name (or pattern). */
export function tsvParser(
  expected: ReadonlyArray<string | RegExp>,
  row: (fields: string[], lineNo: number) => Cell[][],
  options: { minColumns?: number } = {},
): LineParser {
  let headerSeen = false;
  let rows = 0;
  return {
    line(text, lineNo) {
      if (!headerSeen) {
        const header = text.split('\t').map((h) => h.trim().toLowerCase());
        const matches = (h: string, e: string | RegExp | undefined) =>
          typeof e === 'string' ? h === e : e?.test(h) === true;
        if (header.length !== expected.length || header.some((h, i) => !matches(h, expected[i]))) {
          const names = expected.map((e) =>
            typeof e === 'string' ? e : e.source.replace(/\\d\{4\}/g, 'YYYY').replace(/[\^$]/g, ''),
          );
          throw new ImportLineError(
            lineNo,
            `expected the columns ${names.join(', ')}; found ${header.join(', ')}`,
          );
        }
        headerSeen = true;
        return [];
      }
      if (text.trim() === '') return [];
      const fields = text.split('\t');
      const min = options.minColumns ?? expected.length;
      if (fields.length < min || fields.length > expected.length) {
        throw new ImportLineError(
          lineNo,
          `expected ${expected.length} tab-separated columns, found ${fields.length}${fields.length < min ? ' (is the file cut short?)' : ''}`,
        );
      }
      const out = row(fields, lineNo);
      rows += out.length;
      return out;
    },
    end(lastLine) {
      if (!headerSeen) throw new ImportLineError(null, 'the file is empty');
      if (rows === 0) throw new ImportLineError(lastLine, 'the file has a header but no data rows');
      return [];
    },
  };
}

/** `20240701`, `2024-07-01` or `07/01/2024` as `2024-07-01`; blank, `*` or `99991231` as null. */
export function parseDate(raw: string | undefined, lineNo: number, what: string): string | null {
  const value = (raw ?? '').trim();
  if (value === '' || value === '*' || value === '99991231' || value === '9999-12-31') return null;
  let match = /^(\d{4})(\d{2})(\d{2})$/.exec(value) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  let iso: string | null = match ? `${match[1]}-${match[2]}-${match[3]}` : null;
  if (!iso) {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (match) iso = `${match[3]}-${match[1]!.padStart(2, '0')}-${match[2]!.padStart(2, '0')}`;
  }
  if (!iso || !isCalendarDate(iso)) {
    throw new ImportLineError(lineNo, `${what} "${value}" is not a date`);
  }
  const year = Number(iso.slice(0, 4));
  if (year < 1900 || year > 2199)
    throw new ImportLineError(lineNo, `${what} ${iso} is out of range (years 1900 to 2199)`);
  return iso;
}

/** Codes as CMS edit and fee files carry them: CPT (any category) or HCPCS Level II, dental D-codes included. */
export function requireHcpcsCode(raw: string | undefined, lineNo: number, what = 'code'): string {
  const code = (raw ?? '').trim().toUpperCase();
  if (!/^(\d{4}[0-9A-Z]|[A-Z]\d{4})$/.test(code))
    throw new ImportLineError(lineNo, `${what} "${raw ?? ''}" is not a CPT or HCPCS code`);
  return code;
}

/** Orders a record's values by the target's COPY columns. */
export function cells(
  target: ImportTarget,
  record: Record<string, string | number | boolean | null>,
): Cell[] {
  return target.columns.map((column) => {
    const value = record[column];
    return value === null || value === undefined ? null : String(value);
  });
}

export function requireProcedureCode(
  raw: string | undefined,
  lineNo: number,
  what = 'code',
): string {
  const code = (raw ?? '').trim().toUpperCase();
  if (!isProcedureCode(code))
    throw new ImportLineError(lineNo, `${what} "${raw ?? ''}" is not a CPT or HCPCS code`);
  return code;
}

/** The largest value a Postgres `integer` holds. */
export const PG_INT_MAX = 2_147_483_647;

/** A whole number within [min, max] (by default what a Postgres integer holds), or one of `allowed`. */
export function requireInteger(
  raw: string | undefined,
  lineNo: number,
  what: string,
  allowed?: readonly number[],
  range: { min?: number; max?: number } = {},
): number {
  const value = (raw ?? '').trim();
  if (!/^\d+$/.test(value))
    throw new ImportLineError(lineNo, `${what} "${value}" is not a whole number`);
  const min = range.min ?? 0;
  const max = Math.min(range.max ?? PG_INT_MAX, PG_INT_MAX);
  const n = value.length > 10 ? Number.POSITIVE_INFINITY : Number(value);
  if (n < min || n > max)
    throw new ImportLineError(
      lineNo,
      `${what} ${value.length > 20 ? `${value.slice(0, 20)}…` : value} is out of range (${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')})`,
    );
  if (allowed && !allowed.includes(n))
    throw new ImportLineError(lineNo, `${what} ${n} is not one of ${allowed.join(', ')}`);
  return n;
}

/** A decimal number within [min, max]; the default fits the narrowest numeric column in use, numeric(8, 2). */
export function requireDecimal(
  raw: string | undefined,
  lineNo: number,
  what: string,
  range: { min: number; max: number } = { min: -999_999.99, max: 999_999.99 },
): string {
  const value = (raw ?? '').trim();
  if (!/^-?\d*\.?\d+$/.test(value) || value.length > 24)
    throw new ImportLineError(lineNo, `${what} "${value.slice(0, 24)}" is not a number`);
  const n = Number(value);
  if (n < range.min || n > range.max)
    throw new ImportLineError(
      lineNo,
      `${what} ${value} is out of range (${range.min} to ${range.max})`,
    );
  return value;
}

/** One CSV record (RFC 4180 quotes) on one line. */
export function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A CMS file with a free-text preamble: rows start at the first line `isData` accepts; every later line must be data. */
export function preambleParser(
  split: (text: string) => string[],
  isData: (fields: string[]) => boolean,
  row: (fields: string[], lineNo: number) => Cell[][],
): LineParser {
  let started = false;
  let rows = 0;
  return {
    line(text, lineNo) {
      if (text.trim() === '') return [];
      const fields = split(text).map((f) => f.trim());
      if (!started) {
        if (!isData(fields)) return [];
        started = true;
      }
      const out = row(fields, lineNo);
      rows += out.length;
      return out;
    },
    end(lastLine) {
      if (!started || rows === 0)
        throw new ImportLineError(
          lastLine || null,
          'no data rows found: is this the right kind of file?',
        );
      return [];
    },
  };
}

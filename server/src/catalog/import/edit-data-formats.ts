import type { ImportKind } from '@countersign/shared';
import {
  ImportLineError,
  cells,
  editionFromFileName,
  parseDate,
  preambleParser,
  requireDecimal,
  requireHcpcsCode,
  requireInteger,
  splitCsv,
  tsvParser,
  type Cell,
  type ImportFormat,
  type ImportTarget,
  type LineParser,
  type ParseContext,
} from './import-format.js';

const PTP_TARGET: ImportTarget = {
  table: 'ncci_ptp_edits',
  columns: [
    'edition',
    'column1',
    'column2',
    'effective_date',
    'deletion_date',
    'modifier_indicator',
    'rationale',
    'source_row',
  ],
  key: ['edition', 'column1', 'column2', 'effective_date'],
  scopedByKind: false,
  partitionColumn: 'column1',
};
const MUE_TARGET: ImportTarget = {
  table: 'ncci_mue_values',
  columns: ['edition', 'code', 'mue_value', 'mai', 'rationale', 'source_row'],
  key: ['edition', 'code'],
  scopedByKind: false,
};
const AOC_TARGET: ImportTarget = {
  table: 'ncci_addon_edits',
  columns: [
    'edition',
    'addon_code',
    'primary_code',
    'aoc_type',
    'effective_date',
    'deletion_date',
    'source_row',
  ],
  key: ['edition', 'addon_code', 'primary_code'],
  scopedByKind: false,
};
const ADDON_LIST_TARGET: ImportTarget = {
  table: 'addon_codes',
  columns: ['edition', 'code', 'global_zzz', 'aoc_types', 'source_row'],
  key: ['edition', 'code'],
  scopedByKind: false,
};
const RVU_TARGET: ImportTarget = {
  table: 'mpfs_rvus',
  columns: [
    'edition',
    'code',
    'modifier',
    'status_code',
    'work_rvu',
    'nonfac_pe_rvu',
    'nonfac_na',
    'facility_pe_rvu',
    'facility_na',
    'mp_rvu',
    'pctc_ind',
    'global_days',
    'mult_proc',
    'bilat_surg',
    'conv_factor',
    'source_row',
  ],
  key: ['edition', 'code', 'modifier'],
  scopedByKind: false,
};
const CF_TARGET: ImportTarget = {
  table: 'mpfs_conversion_factors',
  columns: ['edition', 'year', 'variant', 'value', 'note', 'source_row'],
  key: ['edition', 'year', 'variant'],
  scopedByKind: false,
};

/** Domain bounds, well inside the columns' types: the largest published MUE is 90,000 units; RVUs stay under 400. */
const MAX_MUE = 1_000_000;
const RVU_RANGE = { min: 0, max: 99_999.99 };
const CF_RANGE = { min: 0.0001, max: 999.9999 };

/** The CMS PTP edit rationales, by the id the tab-separated file uses. */
const PTP_RATIONALES: Readonly<Record<number, string>> = {
  1: 'Anesthesia service included in surgical procedure',
  2: 'CPT Manual or CMS manual coding instruction',
  3: 'CPT Separate procedure definition',
  4: 'Gender-specific procedures',
  5: 'HCPCS/CPT procedure code definition',
  6: 'Laboratory panel',
  7: 'Misuse of Column Two code with Column One code',
  8: 'More extensive procedure',
  9: 'Mutually exclusive procedures',
  10: 'Sequential procedure',
  11: 'Standard preparation/monitoring services for anesthesia',
  12: 'Standards of medical/surgical practice',
};

function ptpRow(
  context: ParseContext,
  lineNo: number,
  f: {
    column1?: string;
    column2?: string;
    effective?: string | null;
    deletion?: string | null;
    indicator?: string;
    rationale: string;
  },
): Cell[] {
  const column1 = requireHcpcsCode(f.column1, lineNo, 'column 1 code');
  const column2 = requireHcpcsCode(f.column2, lineNo, 'column 2 code');
  return cells(PTP_TARGET, {
    edition: context.edition,
    column1,
    column2,
    effective_date: f.effective ?? context.effectiveDate,
    deletion_date: f.deletion ?? null,
    modifier_indicator: requireInteger(f.indicator, lineNo, 'modifier indicator', [0, 1, 9]),
    rationale: f.rationale,
    source_row: lineNo,
  });
}

function ptpTsvParser(context: ParseContext): LineParser {
  return tsvParser(['column1', 'column2', 'modifier_indicator', 'rationale_id'], (f, lineNo) => {
    const id = requireInteger(f[3], lineNo, 'rationale_id');
    const rationale = PTP_RATIONALES[id];
    if (!rationale)
      throw new ImportLineError(
        lineNo,
        `rationale_id ${id} is not one of the CMS PTP rationales (1-12)`,
      );
    return [ptpRow(context, lineNo, { column1: f[0], column2: f[1], indicator: f[2], rationale })];
  });
}

const looksLikeCode = (value: string | undefined) =>
  /^(\d{4}[0-9A-Z]|[A-Z]\d{4})$/.test((value ?? '').toUpperCase());

/**
 * CMS NCCI PTP practitioner file, tab-delimited text: a copyright preamble, then Column 1,
 * Column 2, "*" if in existence prior to 1996, effective date, deletion date ("*" for none),
 * modifier indicator (0, 1, 9) and the rationale text.
 */
function ptpCmsParser(context: ParseContext): LineParser {
  return preambleParser(
    (text) => text.split('\t'),
    (f) => f.length >= 6 && looksLikeCode(f[0]) && looksLikeCode(f[1]),
    (f, lineNo) => {
      if (f.length < 6)
        throw new ImportLineError(
          lineNo,
          `expected 7 tab-separated columns, found ${f.length} (is the file cut short?)`,
        );
      return [
        ptpRow(context, lineNo, {
          column1: f[0],
          column2: f[1],
          effective: parseDate(f[3], lineNo, 'effective date'),
          deletion: parseDate(f[4], lineNo, 'deletion date'),
          indicator: f[5],
          rationale: (f[6] ?? '').trim() || 'Not stated',
        }),
      ];
    },
  );
}

function mueRow(
  context: ParseContext,
  lineNo: number,
  code?: string,
  value?: string,
  mai?: string,
  rationale?: string,
): Cell[] {
  const indicator = /^\s*([123])/.exec(mai ?? '');
  if (!indicator)
    throw new ImportLineError(lineNo, `MUE adjudication indicator "${mai ?? ''}" is not 1, 2 or 3`);
  return cells(MUE_TARGET, {
    edition: context.edition,
    code: requireHcpcsCode(code, lineNo),
    mue_value: requireInteger(value, lineNo, 'MUE value', undefined, { max: MAX_MUE }),
    mai: Number(indicator[1]),
    rationale: (rationale ?? '').trim(),
    source_row: lineNo,
  });
}

function mueTsvParser(context: ParseContext): LineParser {
  return tsvParser(['code', 'mue_value', 'mai', 'rationale'], (f, lineNo) => [
    mueRow(context, lineNo, f[0], f[1], f[2], f[3]),
  ]);
}

/** CMS MUE practitioner CSV: a preamble, then HCPCS/CPT code, MUE value, "2 Date of Service Edit: Policy", rationale. */
function mueCmsParser(context: ParseContext): LineParser {
  return preambleParser(
    splitCsv,
    (f) => looksLikeCode(f[0]) && /^\d+$/.test(f[1] ?? ''),
    (f, lineNo) => {
      if (f.length < 3)
        throw new ImportLineError(
          lineNo,
          `expected 4 columns, found ${f.length} (is the file cut short?)`,
        );
      return [mueRow(context, lineNo, f[0], f[1], f[2], f[3])];
    },
  );
}

function aocRow(
  context: ParseContext,
  lineNo: number,
  f: {
    primary?: string;
    addOn?: string;
    type?: string;
    effective?: string | null;
    deletion?: string | null;
  },
): Cell[] {
  const primary = (f.primary ?? '').trim().toUpperCase();
  return cells(AOC_TARGET, {
    edition: context.edition,
    addon_code: requireHcpcsCode(f.addOn, lineNo, 'add-on code'),
    primary_code: primary === 'CCCCC' ? primary : requireHcpcsCode(primary, lineNo, 'primary code'),
    aoc_type: requireInteger(f.type, lineNo, 'add-on edit type', [1, 2, 3]),
    effective_date: f.effective ?? null,
    deletion_date: f.deletion ?? null,
    source_row: lineNo,
  });
}

function aocTsvParser(context: ParseContext): LineParser {
  return tsvParser(['primary_code', 'addon_code', 'aoc_type'], (f, lineNo) => [
    aocRow(context, lineNo, { primary: f[0], addOn: f[1], type: f[2] }),
  ]);
}

/**
 * CMS add-on code edit file (tab-delimited or CSV): the columns are found by their names in the
 * header row ("Add-on Code", "Primary Code", "AOC Edit Type", effective and deletion dates).
 */
function aocCmsParser(context: ParseContext): LineParser {
  let columns: {
    addOn: number;
    primary: number;
    type: number;
    effective: number;
    deletion: number;
  } | null = null;
  let split: (text: string) => string[] = splitCsv;
  let rows = 0;
  return {
    line(text, lineNo) {
      if (text.trim() === '') return [];
      if (!columns) {
        split = text.includes('\t') ? (t) => t.split('\t') : splitCsv;
        const names = split(text).map((h) => h.trim().toLowerCase());
        const find = (...patterns: RegExp[]) => {
          for (const pattern of patterns) {
            const index = names.findIndex((n) => pattern.test(n));
            if (index >= 0) return index;
          }
          return -1;
        };
        const addOn = find(/^add.?on code$/);
        const primary = find(/^primary code$/);
        if (addOn < 0 || primary < 0) return [];
        columns = {
          addOn,
          primary,
          type: find(/edit type/, /type/),
          effective: find(/aoc edit effective/, /edit effective/, /add.?on code effective/),
          deletion: find(/aoc edit deletion/, /edit deletion/, /add.?on code deletion/),
        };
        if (columns.type < 0)
          throw new ImportLineError(lineNo, 'the header has no "AOC Edit Type" column');
        return [];
      }
      const f = split(text).map((v) => v.trim());
      if (f.length <= Math.max(columns.addOn, columns.primary, columns.type))
        throw new ImportLineError(lineNo, `too few columns (${f.length}); is the file cut short?`);
      rows += 1;
      const at = (i: number) => (i >= 0 ? f[i] : undefined);
      return [
        aocRow(context, lineNo, {
          addOn: f[columns.addOn],
          primary: f[columns.primary],
          type: f[columns.type],
          effective: parseDate(at(columns.effective), lineNo, 'effective date'),
          deletion: parseDate(at(columns.deletion), lineNo, 'deletion date'),
        }),
      ];
    },
    end(lastLine) {
      if (!columns)
        throw new ImportLineError(
          null,
          'no header row with "Add-on Code" and "Primary Code" columns',
        );
      if (rows === 0) throw new ImportLineError(lastLine, 'no data rows found');
      return [];
    },
  };
}

function addOnListParser(context: ParseContext): LineParser {
  return tsvParser(['code', /^mpfs_\d{4}_global_zzz$/, /^ncci_aoc_\d{4}_types$/], (f, lineNo) => {
    const zzz = (f[1] ?? '').trim();
    if (zzz !== '0' && zzz !== '1')
      throw new ImportLineError(lineNo, `global ZZZ flag "${zzz}" is not 0 or 1`);
    const types = (f[2] ?? '').trim();
    if (!/^([123](,[123])*)?$/.test(types))
      throw new ImportLineError(lineNo, `add-on types "${types}" are not a list of 1, 2 and 3`);
    return [
      cells(ADDON_LIST_TARGET, {
        edition: context.edition,
        code: requireHcpcsCode(f[0], lineNo),
        global_zzz: zzz === '1',
        aoc_types: types,
        source_row: lineNo,
      }),
    ];
  });
}

const RVU_COLUMNS = [
  'hcpcs',
  'modifier',
  'status_code',
  'not_used_for_medicare_payment',
  'work_rvu',
  'nonfac_pe_rvu',
  'nonfac_na_indicator',
  'facility_pe_rvu',
  'facility_na_indicator',
  'mp_rvu',
  'nonfac_total',
  'facility_total',
  'pctc_ind',
  'global_days',
  'preop_pct',
  'intraop_pct',
  'postop_pct',
  'mult_proc',
  'bilat_surg',
  'asst_surg',
  'co_surg',
  'team_surg',
  'endo_base',
  'conv_factor',
  'phys_supervision_diag',
  'calculation_flag',
  'diag_imaging_family',
  'nonfac_pe_opps',
  'facility_pe_opps',
  'mp_opps',
];

/** One RVU row from the tab-separated columns above (the CMS CSV has a DESCRIPTION column after MOD, dropped first). */
function rvuRow(context: ParseContext, f: string[], lineNo: number): Cell[] {
  const rvu = (i: number, what: string) =>
    requireDecimal((f[i] ?? '').trim() || '0', lineNo, what, RVU_RANGE);
  const modifier = (f[1] ?? '').trim().toUpperCase();
  if (modifier && !/^[0-9A-Z]{2}$/.test(modifier))
    throw new ImportLineError(lineNo, `modifier "${modifier}" is not two letters or digits`);
  const status = (f[2] ?? '').trim().toUpperCase();
  if (!/^[A-Z]$/.test(status))
    throw new ImportLineError(lineNo, `status code "${status}" is not one letter`);
  const cf = (f[23] ?? '').trim();
  return cells(RVU_TARGET, {
    edition: context.edition,
    code: requireHcpcsCode(f[0], lineNo),
    modifier,
    status_code: status,
    work_rvu: rvu(4, 'work RVU'),
    nonfac_pe_rvu: rvu(5, 'non-facility PE RVU'),
    nonfac_na: (f[6] ?? '').trim() !== '',
    facility_pe_rvu: rvu(7, 'facility PE RVU'),
    facility_na: (f[8] ?? '').trim() !== '',
    mp_rvu: rvu(9, 'malpractice RVU'),
    pctc_ind: (f[12] ?? '').trim(),
    global_days: (f[13] ?? '').trim(),
    mult_proc: (f[17] ?? '').trim(),
    bilat_surg: (f[18] ?? '').trim(),
    conv_factor: cf ? requireDecimal(cf, lineNo, 'conversion factor', CF_RANGE) : null,
    source_row: lineNo,
  });
}

function rvuTsvParser(context: ParseContext): LineParser {
  return tsvParser(RVU_COLUMNS, (f, lineNo) => [rvuRow(context, f, lineNo)]);
}

/** CMS `PPRRVUYY_*.csv`: several header lines, then HCPCS, MOD, DESCRIPTION (never stored), STATUS CODE, ... */
function rvuCmsParser(context: ParseContext): LineParser {
  return preambleParser(
    splitCsv,
    (f) => f.length >= 25 && looksLikeCode(f[0]) && /^[A-Z]$/.test(f[3] ?? ''),
    (f, lineNo) => {
      if (f.length < 25)
        throw new ImportLineError(
          lineNo,
          `expected at least 25 columns, found ${f.length} (is the file cut short?)`,
        );
      return [rvuRow(context, [f[0]!, f[1]!, ...f.slice(3)], lineNo)];
    },
  );
}

/** Conversion factor variants as stored: `standard` for the one every practitioner gets. */
function cfVariant(raw: string): string {
  const text = raw.trim().toLowerCase();
  if (text === 'all' || /non-qualifying|standard/.test(text)) return 'standard';
  if (/qualifying/.test(text)) return 'qualifying-apm';
  return text.replace(/[^a-z0-9]+/g, '-');
}

function cfParser(context: ParseContext): LineParser {
  return tsvParser(['year', 'variant', 'conversion_factor', 'source'], (f, lineNo) => [
    cells(CF_TARGET, {
      edition: context.edition,
      year: requireInteger(f[0], lineNo, 'year', undefined, { min: 1990, max: 2199 }),
      variant: cfVariant(f[1] ?? ''),
      value: requireDecimal(f[2], lineNo, 'conversion factor', CF_RANGE),
      note: (f[3] ?? '').trim(),
      source_row: lineNo,
    }),
  ]);
}

const firstColumns = (line: string, columns: readonly string[]) => {
  const header = line
    .toLowerCase()
    .split('\t')
    .map((h) => h.trim());
  return columns.every((c, i) => header[i] === c);
};

function format(
  kind: ImportKind,
  target: ImportTarget,
  detect: ImportFormat['detect'],
  createParser: ImportFormat['createParser'],
  fileNamePattern?: RegExp,
): ImportFormat {
  return { kind, target, detect, createParser, editionFromFileName, fileNamePattern };
}

const noTabs = (line: string) => !line.includes('\t');

export const EDIT_DATA_FORMATS: readonly ImportFormat[] = [
  format(
    'ptp-tsv',
    PTP_TARGET,
    (_n, line) => firstColumns(line, ['column1', 'column2', 'modifier_indicator']),
    ptpTsvParser,
    /ptp/i,
  ),
  format(
    'ptp-cms',
    PTP_TARGET,
    (name, line) =>
      /ccipra/i.test(name) ||
      /column 1\s*\t.*column 2/i.test(line) ||
      (/ptp/i.test(name) && noTabs(line)),
    ptpCmsParser,
  ),
  format(
    'mue-tsv',
    MUE_TARGET,
    (_n, line) => firstColumns(line, ['code', 'mue_value', 'mai']),
    mueTsvParser,
    /mue/i,
  ),
  format('mue-cms', MUE_TARGET, (name, line) => /mue/i.test(name) && noTabs(line), mueCmsParser),
  format(
    'aoc-tsv',
    AOC_TARGET,
    (_n, line) => firstColumns(line, ['primary_code', 'addon_code', 'aoc_type']),
    aocTsvParser,
    /aoc/i,
  ),
  format(
    'aoc-cms',
    AOC_TARGET,
    (name, line) =>
      /^add.?on code\b/i.test(line) ||
      (/aoc|add.?on/i.test(name) && !/addon-codes/i.test(name) && noTabs(line)),
    aocCmsParser,
  ),
  format(
    'addon-list-tsv',
    ADDON_LIST_TARGET,
    (_n, line) => /^code\tmpfs_\d{4}_global_zzz\t/i.test(line),
    addOnListParser,
    /addon-codes/i,
  ),
  format(
    'rvu-tsv',
    RVU_TARGET,
    (_n, line) => firstColumns(line, ['hcpcs', 'modifier', 'status_code']),
    rvuTsvParser,
    /rvu/i,
  ),
  format('rvu-cms', RVU_TARGET, (name, line) => /rvu/i.test(name) && noTabs(line), rvuCmsParser),
  format(
    'conversion-factors-tsv',
    CF_TARGET,
    (_n, line) => firstColumns(line, ['year', 'variant', 'conversion_factor']),
    cfParser,
    /conversion/i,
  ),
];

import {
  cptCategory,
  cptSection,
  isIcd10CmCatalogCode,
  isModifier,
  procedureCodeKind,
  type ImportKind,
} from '@countersign/shared';
import {
  ImportLineError,
  cells,
  editionFromFileName,
  parseDate,
  tsvParser,
  type Cell,
  type ImportFormat,
  type ImportTarget,
  type LineParser,
  type ParseContext,
} from './import-format.js';

/** Code sets go to catalog_codes; each kind replaces only the rows it brought. */
export const CATALOG_TARGET: ImportTarget = {
  table: 'catalog_codes',
  columns: [
    'system',
    'code',
    'edition',
    'effective_date',
    'termination_date',
    'short_description',
    'long_description',
    'billable',
    'attributes',
    'import_kind',
    'source_row',
  ],
  key: ['system', 'code', 'edition'],
  scopedByKind: true,
};

interface CatalogRow {
  system: 'CPT' | 'HCPCS' | 'ICD10CM' | 'MODIFIER';
  code: string;
  effectiveDate: string;
  terminationDate: string | null;
  shortDescription: string;
  longDescription: string;
  billable: boolean;
  attributes: Record<string, unknown>;
}

function catalogCells(context: ParseContext, row: CatalogRow, lineNo: number): Cell[] {
  return cells(CATALOG_TARGET, {
    system: row.system,
    code: row.code,
    edition: context.edition,
    effective_date: row.effectiveDate,
    termination_date: row.terminationDate,
    short_description: row.shortDescription,
    long_description: row.longDescription || row.shortDescription,
    billable: row.billable,
    attributes: JSON.stringify(row.attributes),
    import_kind: context.kind,
    source_row: lineNo,
  });
}

function icdCode(raw: string, lineNo: number): string {
  const code = raw.trim().toUpperCase().replace(/\./g, '');
  if (!isIcd10CmCatalogCode(code))
    throw new ImportLineError(lineNo, `"${raw.trim()}" is not an ICD-10-CM code`);
  return code;
}

function required(value: string | undefined, lineNo: number, what: string): string {
  const text = (value ?? '').trim();
  if (!text) throw new ImportLineError(lineNo, `${what} is empty`);
  return text;
}

const ICD_COLUMNS = ['code', 'short_description', 'long_description'];

function icdTsv(billable: boolean) {
  return (context: ParseContext): LineParser =>
    tsvParser(ICD_COLUMNS, (f, lineNo) => [
      catalogCells(
        context,
        {
          system: 'ICD10CM',
          code: icdCode(f[0]!, lineNo),
          effectiveDate: context.effectiveDate,
          terminationDate: null,
          shortDescription: required(f[1], lineNo, 'the short description'),
          longDescription: (f[2] ?? '').trim(),
          billable,
          attributes: {},
        },
        lineNo,
      ),
    ]);
}

/**
 * CMS/CDC `icd10cm_order_YYYY.txt`: fixed width. Order number (1-5), code (7-13), 0 for a
 * header or 1 for a billable code (15), short description (17-76), long description (78-).
 */
function icdOrderParser(context: ParseContext): LineParser {
  let rows = 0;
  return {
    line(text, lineNo) {
      if (text.trim() === '') return [];
      if (text.length < 18 || !/^\d{5} $/.test(text.slice(0, 6))) {
        throw new ImportLineError(
          lineNo,
          'not a tabular order line (order number in columns 1-5, code from column 7)',
        );
      }
      const flag = text[14];
      if (flag !== '0' && flag !== '1')
        throw new ImportLineError(
          lineNo,
          `column 15 must be 0 (header) or 1 (billable), found "${flag}"`,
        );
      rows += 1;
      return [
        catalogCells(
          context,
          {
            system: 'ICD10CM',
            code: icdCode(text.slice(6, 13), lineNo),
            effectiveDate: context.effectiveDate,
            terminationDate: null,
            shortDescription: required(text.slice(16, 76), lineNo, 'the short description'),
            longDescription: text.slice(77).trim(),
            billable: flag === '1',
            attributes: {},
          },
          lineNo,
        ),
      ];
    },
    end(lastLine) {
      if (rows === 0) throw new ImportLineError(lastLine || null, 'no data rows found');
      return [];
    },
  };
}

const HCPCS_COLUMNS = [
  'code',
  'short_description',
  'long_description',
  'pricing_indicator',
  'multiple_pricing_indicator',
  'coverage_code',
  'betos',
  'type_of_service',
  'asc_group',
  'anesthesia_base_units',
  'add_date',
  'action_effective_date',
  'termination_date',
  'action_code',
];

function hcpcsCode(raw: string, lineNo: number): string {
  const code = raw.trim().toUpperCase();
  if (procedureCodeKind(code) !== 'HCPCS-II')
    throw new ImportLineError(lineNo, `"${raw.trim()}" is not a HCPCS Level II code`);
  return code;
}

function hcpcsTsvParser(context: ParseContext): LineParser {
  return tsvParser(HCPCS_COLUMNS, (f, lineNo) => [
    catalogCells(
      context,
      {
        system: 'HCPCS',
        code: hcpcsCode(f[0]!, lineNo),
        effectiveDate: parseDate(f[10], lineNo, 'add_date') ?? context.effectiveDate,
        terminationDate: parseDate(f[12], lineNo, 'termination_date'),
        shortDescription: required(f[1], lineNo, 'the short description'),
        longDescription: (f[2] ?? '').trim(),
        billable: true,
        attributes: hcpcsAttributes(f[3], f[5], f[6], f[7], f[13]),
      },
      lineNo,
    ),
  ]);
}

function hcpcsAttributes(
  pricing?: string,
  coverage?: string,
  betos?: string,
  tos?: string,
  action?: string,
): Record<string, string> {
  const entries = Object.entries({
    pricingIndicator: pricing,
    coverageCode: coverage,
    betos,
    typeOfService: tos,
    actionCode: action,
  });
  return Object.fromEntries(
    entries.map(([k, v]): [string, string] => [k, (v ?? '').trim()]).filter(([, v]) => v !== ''),
  );
}

/**
 * CMS HCPCS alpha-numeric file (`HCPCYYYY_..._ANWEB.txt`), fixed width, 320 characters: code
 * (1-5), sequence (6-10), record id (11: 3 procedure, 4 its continuation, 7 modifier, 8 its
 * continuation), long description (12-91), short description (92-119), pricing indicator
 * (120-121), coverage (230), BETOS (257-259), type of service (261), add date (269-276),
 * action effective date (277-284), termination date (285-292), action code (293).
 */
function hcpcsAnwebParser(context: ParseContext): LineParser {
  let current: { row: CatalogRow; lineNo: number } | null = null;
  let rows = 0;
  const flush = (): Cell[][] => {
    if (!current) return [];
    const out = [catalogCells(context, current.row, current.lineNo)];
    current = null;
    rows += 1;
    return out;
  };
  const field = (text: string, from: number, to: number) => text.slice(from - 1, to).trim();
  return {
    line(text, lineNo) {
      if (text.trim() === '') return [];
      const recordId = text[10];
      if (text.length < 12 || !['3', '4', '7', '8'].includes(recordId ?? '')) {
        throw new ImportLineError(
          lineNo,
          `not an alpha-numeric HCPCS record (record id in column 11 must be 3, 4, 7 or 8, found "${recordId ?? ''}")`,
        );
      }
      const code = field(text, 1, 5);
      const long = field(text, 12, 91);
      if (recordId === '4' || recordId === '8') {
        if (!current || current.row.code !== code)
          throw new ImportLineError(lineNo, `continuation of ${code} without its first record`);
        current.row.longDescription = `${current.row.longDescription} ${long}`.trim();
        return [];
      }
      const out = flush();
      const modifier = recordId === '7';
      if (modifier && !isModifier(code))
        throw new ImportLineError(lineNo, `"${code}" is not a modifier`);
      current = {
        lineNo,
        row: {
          system: modifier ? 'MODIFIER' : 'HCPCS',
          code: modifier ? code : hcpcsCode(code, lineNo),
          effectiveDate:
            parseDate(field(text, 269, 276), lineNo, 'add date') ?? context.effectiveDate,
          terminationDate: parseDate(field(text, 285, 292), lineNo, 'termination date'),
          shortDescription: required(
            field(text, 92, 119),
            lineNo,
            'the short description (columns 92-119; is the line cut short?)',
          ),
          longDescription: long,
          billable: true,
          attributes: modifier
            ? { level: 'HCPCS-II' }
            : hcpcsAttributes(
                field(text, 120, 121),
                field(text, 230, 230),
                field(text, 257, 259),
                field(text, 261, 261),
                field(text, 293, 293),
              ),
        },
      };
      return out;
    },
    end(lastLine) {
      const out = flush();
      if (rows === 0) throw new ImportLineError(lastLine || null, 'no data rows found');
      return out;
    },
  };
}

const MODIFIER_COLUMNS = [
  'modifier',
  'level',
  'short_description',
  'long_description',
  'description_source',
  'termination_date',
];

function modifiersTsvParser(context: ParseContext): LineParser {
  // The anesthesia physical status modifiers (P1-P6) are listed by CPT and by HCPCS: the first listing stands.
  const levelOf = new Map<string, string>();
  return tsvParser(MODIFIER_COLUMNS, (f, lineNo) => {
    const code = (f[0] ?? '').trim().toUpperCase();
    if (!isModifier(code)) throw new ImportLineError(lineNo, `"${f[0]}" is not a modifier`);
    const level = (f[1] ?? '').trim();
    const earlier = levelOf.get(code);
    if (earlier !== undefined && earlier !== level) return [];
    levelOf.set(code, level);
    const terminationDate = parseDate(f[5], lineNo, 'termination_date');
    // A modifier ended before this edition still gets a coherent row: it started no later than it ended.
    const effectiveDate =
      terminationDate && terminationDate < context.effectiveDate
        ? terminationDate
        : context.effectiveDate;
    const attributes = { level, descriptionSource: (f[4] ?? '').trim() };
    return [
      catalogCells(
        context,
        {
          system: 'MODIFIER',
          code,
          effectiveDate,
          terminationDate,
          shortDescription: required(f[2], lineNo, 'the short description'),
          longDescription: (f[3] ?? '').trim(),
          billable: true,
          attributes,
        },
        lineNo,
      ),
    ];
  });
}

/**
 * A licensed CPT file: code TAB descriptor, optionally TAB long descriptor, optionally a header
 * row. Its text is the AMA's and lives only in the organization's database.
 */
function cptLicensedParser(context: ParseContext): LineParser {
  let rows = 0;
  let first = true;
  return {
    line(text, lineNo) {
      if (text.trim() === '') return [];
      const fields = text.split('\t');
      const code = (fields[0] ?? '').trim().toUpperCase();
      const isHeader = first && procedureCodeKind(code) === null && /code|cpt|hcpcs/i.test(code);
      first = false;
      if (isHeader) return [];
      if (fields.length < 2 || fields.length > 3)
        throw new ImportLineError(
          lineNo,
          `expected code TAB descriptor, found ${fields.length} column(s)`,
        );
      const kind = procedureCodeKind(code);
      if (!kind || kind === 'HCPCS-II')
        throw new ImportLineError(lineNo, `"${fields[0]}" is not a CPT code`);
      const descriptor = required(fields[1], lineNo, 'the descriptor');
      rows += 1;
      const attributes = { category: cptCategory(code), section: cptSection(code) };
      return [
        catalogCells(
          context,
          {
            system: 'CPT',
            code,
            effectiveDate: context.effectiveDate,
            terminationDate: null,
            shortDescription: descriptor,
            longDescription: (fields[2] ?? '').trim(),
            billable: true,
            attributes,
          },
          lineNo,
        ),
      ];
    },
    end(lastLine) {
      if (rows === 0) throw new ImportLineError(lastLine || null, 'no CPT codes found');
      return [];
    },
  };
}

const header = (line: string) =>
  line
    .toLowerCase()
    .split('\t')
    .map((h) => h.trim());
const startsWith = (line: string, columns: readonly string[]) =>
  columns.every((c, i) => header(line)[i] === c);

function format(
  kind: ImportKind,
  detect: ImportFormat['detect'],
  createParser: ImportFormat['createParser'],
  fileNamePattern?: RegExp,
): ImportFormat {
  return {
    kind,
    target: CATALOG_TARGET,
    detect,
    createParser,
    editionFromFileName,
    fileNamePattern,
  };
}

export const CODE_SET_FORMATS: readonly ImportFormat[] = [
  format(
    'icd10cm-order',
    (name, line) => /order/i.test(name) || /^\d{5} [A-Z][0-9A-Z]{2}[0-9A-Z ]{4} [01] /.test(line),
    icdOrderParser,
  ),
  format(
    'icd10cm-headers-tsv',
    (name, line) =>
      /header/i.test(name) && startsWith(line, ICD_COLUMNS) && header(line).length === 3,
    icdTsv(false),
    /icd10cm.*header/i,
  ),
  format(
    'icd10cm-tsv',
    (name, line) => /icd/i.test(name) && startsWith(line, ICD_COLUMNS) && header(line).length === 3,
    icdTsv(true),
    /icd10cm/i,
  ),
  format('hcpcs-tsv', (_name, line) => startsWith(line, HCPCS_COLUMNS), hcpcsTsvParser, /hcpcs/i),
  format(
    'hcpcs-anweb',
    (name, line) => /anweb/i.test(name) || /^[A-V]\d{4}\d{5}[37]/.test(line),
    hcpcsAnwebParser,
  ),
  format(
    'modifiers-tsv',
    (_name, line) => startsWith(line, MODIFIER_COLUMNS),
    modifiersTsvParser,
    /modifier/i,
  ),
  format(
    'cpt-licensed',
    (name, line) => /cpt/i.test(name) && /^(\d{4}[0-9A-Z]|[a-z ]*code[a-z ]*)\t/i.test(line),
    cptLicensedParser,
  ),
];

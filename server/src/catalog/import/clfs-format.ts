import {
  ImportLineError,
  cells,
  editionFromFileName,
  parseDate,
  requireDecimal,
  requireHcpcsCode,
  splitCsv,
  type Cell,
  type ImportFormat,
  type ImportTarget,
  type LineParser,
  type ParseContext,
} from './import-format.js';

const CLFS_TARGET: ImportTarget = {
  table: 'clfs_rates',
  columns: ['edition', 'code', 'modifier', 'effective_date', 'indicator', 'rate', 'source_row'],
  key: ['edition', 'code', 'modifier'],
  scopedByKind: false,
};

type Columns = {
  code: number;
  rate: number;
  modifier: number;
  effective: number;
  indicator: number;
};

/**
 * CMS clinical laboratory fee schedule, CSV (`CLFS 2026 Q1V1.csv`): a preamble, then a header
 * row naming YEAR, HCPCS, MOD, EFF_DATE, INDICATOR, RATE, SHORTDESC, LONGDESC... The columns are
 * found by their header names, so CMS reordering or adding columns does not break it; the
 * descriptor columns are never read (the CPT ones are AMA text).
 */
function clfsParser(context: ParseContext): LineParser {
  let columns: Columns | null = null;
  let rows = 0;
  return {
    line(text, lineNo): Cell[][] {
      if (text.trim() === '') return [];
      const fields = splitCsv(text).map((f) => f.trim());
      if (!columns) {
        const names = fields.map((f) => f.toUpperCase().replace(/[^A-Z]/g, ''));
        const at = (...wanted: string[]) => names.findIndex((n) => wanted.includes(n));
        const code = at('HCPCS', 'HCPCSCODE', 'CODE');
        const rate = at('RATE', 'NATIONALLIMITAMOUNT', 'NLA');
        if (code < 0 || rate < 0) return [];
        columns = {
          code,
          rate,
          modifier: at('MOD', 'MODIFIER'),
          effective: at('EFFDATE', 'EFFECTIVEDATE'),
          indicator: at('INDICATOR', 'IND'),
        };
        return [];
      }
      const c = columns;
      if (fields.length <= Math.max(c.code, c.rate))
        throw new ImportLineError(
          lineNo,
          `too few columns (${fields.length}); is the file cut short?`,
        );
      const modifier = c.modifier >= 0 ? (fields[c.modifier] ?? '').toUpperCase() : '';
      if (modifier && !/^[0-9A-Z]{2}$/.test(modifier))
        throw new ImportLineError(lineNo, `modifier "${modifier}" is not two letters or digits`);
      const rate = requireDecimal((fields[c.rate] ?? '').replace(/[$,]/g, ''), lineNo, 'rate');
      if (Number(rate) < 0 || Number(rate) > 1_000_000)
        throw new ImportLineError(lineNo, `rate ${rate} is out of range (0 to 1,000,000)`);
      rows += 1;
      return [
        cells(CLFS_TARGET, {
          edition: context.edition,
          code: requireHcpcsCode(fields[c.code], lineNo, 'HCPCS code'),
          modifier,
          effective_date:
            c.effective >= 0 ? parseDate(fields[c.effective], lineNo, 'effective date') : null,
          indicator: c.indicator >= 0 ? (fields[c.indicator] ?? '').slice(0, 4) : '',
          rate,
          source_row: lineNo,
        }),
      ];
    },
    end(lastLine) {
      if (!columns)
        throw new ImportLineError(
          null,
          'no header row with "HCPCS" and "RATE" columns: is this the CMS CLFS file?',
        );
      if (rows === 0) throw new ImportLineError(lastLine, 'no data rows found');
      return [];
    },
  };
}

export const CLFS_FORMAT: ImportFormat = {
  kind: 'clfs-cms',
  target: CLFS_TARGET,
  detect: (name, line) => /clfs|clab/i.test(name) && !line.includes('\t'),
  editionFromFileName,
  createParser: clfsParser,
};

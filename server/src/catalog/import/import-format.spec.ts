import {
  ImportLineError,
  defaultEffectiveDate,
  editionFromFileName,
  parseDate,
  requireDecimal,
  requireInteger,
  splitCsv,
  tsvParser,
} from './import-format.js';

describe(editionFromFileName.name, () => {
  it.each([
    ['icd10cm-2026.tsv.gz', '2026'],
    ['ncci-ptp-practitioner-2024q3.tsv.gz', '2024Q3'],
    ['MCR_MUE_PractitionerServices_Eff_07-01-2024.csv', '2024Q3'],
    ['HCPC2026_JAN_ANWEB_01122026.txt', '2026'],
    ['PPRRVU25_OCT.csv', '2025'],
    ['icd10cm_order_2026.txt', '2026'],
    ['addon-codes.tsv', null],
  ])('%s -> %s', (name, edition) => {
    expect(editionFromFileName(name)).toBe(edition);
  });
});

describe(defaultEffectiveDate.name, () => {
  it('starts ICD-10-CM fiscal years on October 1 of the year before, quarters on their first day, other years on January 1', () => {
    expect(defaultEffectiveDate('icd10cm-tsv', '2026')).toBe('2025-10-01');
    expect(defaultEffectiveDate('ptp-tsv', '2024Q3')).toBe('2024-07-01');
    expect(defaultEffectiveDate('rvu-tsv', '2025')).toBe('2025-01-01');
    expect(defaultEffectiveDate('cpt-licensed', 'custom')).toBeNull();
  });
});

describe(parseDate.name, () => {
  it('reads CMS, ISO and US dates and treats blanks and open ends as none', () => {
    expect(parseDate('20240331', 1, 'd')).toBe('2024-03-31');
    expect(parseDate('2024-03-31', 1, 'd')).toBe('2024-03-31');
    expect(parseDate('3/1/2024', 1, 'd')).toBe('2024-03-01');
    expect([parseDate('', 1, 'd'), parseDate('*', 1, 'd'), parseDate('99991231', 1, 'd')]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('names the line of a date that does not exist', () => {
    expect(() => parseDate('20240231', 7, 'deletion date')).toThrow(
      new ImportLineError(7, 'deletion date "20240231" is not a date'),
    );
  });
});

describe(splitCsv.name, () => {
  it('handles quotes, commas inside quotes and doubled quotes', () => {
    expect(splitCsv('"20610","2","3 Date of Service Edit: Clinical","a, b"')).toEqual([
      '20610',
      '2',
      '3 Date of Service Edit: Clinical',
      'a, b',
    ]);
    expect(splitCsv('a,"say ""hi""",,')).toEqual(['a', 'say "hi"', '', '']);
  });
});

describe(tsvParser.name, () => {
  it('checks the header by name and every row by column count', () => {
    const parser = tsvParser(['code', /^n_\d{4}$/], (f) => [[f[0]!, f[1]!]]);
    expect(() => tsvParser(['code', 'x'], () => []).line('code\ty', 1)).toThrow(
      'expected the columns code, x; found code, y',
    );
    expect(parser.line('code\tn_2025', 1)).toEqual([]);
    expect(parser.line('A\t1', 2)).toEqual([['A', '1']]);
    expect(() => parser.line('B', 3)).toThrow(
      'line 3: expected 2 tab-separated columns, found 1 (is the file cut short?)',
    );
    expect(parser.end(3)).toEqual([]);
  });
});

describe(requireInteger.name, () => {
  it('keeps whole numbers within a Postgres integer and the range given', () => {
    expect(requireInteger('2147483647', 7, 'n')).toBe(2_147_483_647);
    expect(() => requireInteger('2147483648', 7, 'n')).toThrow(
      new ImportLineError(7, 'n 2147483648 is out of range (0 to 2,147,483,647)'),
    );
    expect(() => requireInteger('99999999999999999999999', 7, 'n')).toThrow(/out of range/);
    expect(() => requireInteger('12', 7, 'year', undefined, { min: 1990, max: 2199 })).toThrow(
      new ImportLineError(7, 'year 12 is out of range (1,990 to 2,199)'),
    );
    expect(() => requireInteger('-1', 7, 'n')).toThrow(/is not a whole number/);
    expect(() => requireInteger('3', 7, 'n', [0, 1, 9])).toThrow(/is not one of 0, 1, 9/);
  });
});

describe(requireDecimal.name, () => {
  it('keeps numbers within the range given, by default what numeric(8, 2) holds', () => {
    expect(requireDecimal('12.34', 1, 'rvu', { min: 0, max: 99_999.99 })).toBe('12.34');
    expect(() => requireDecimal('-0.5', 1, 'rvu', { min: 0, max: 99_999.99 })).toThrow(
      new ImportLineError(1, 'rvu -0.5 is out of range (0 to 99999.99)'),
    );
    expect(() => requireDecimal('1000000', 1, 'x')).toThrow(/out of range/);
    expect(() => requireDecimal('1e5', 1, 'x')).toThrow(/is not a number/);
    expect(() => requireDecimal(`1${'0'.repeat(40)}`, 1, 'x')).toThrow(/is not a number/);
  });
});

describe('parseDate ranges', () => {
  it('refuses days that do not exist and years outside 1900-2199', () => {
    expect(() => parseDate('2026-13-45', 3, 'effective date')).toThrow(
      new ImportLineError(3, 'effective date "2026-13-45" is not a date'),
    );
    expect(() => parseDate('2026-02-30', 3, 'd')).toThrow(/is not a date/);
    expect(() => parseDate('18991231', 3, 'd')).toThrow(
      new ImportLineError(3, 'd 1899-12-31 is out of range (years 1900 to 2199)'),
    );
    expect(parseDate('2028-02-29', 3, 'd')).toBe('2028-02-29');
  });
});

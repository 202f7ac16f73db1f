import { ImportLineError, defaultEffectiveDate, editionFromFileName, parseDate, splitCsv, tsvParser } from './import-format.js';

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
    expect([parseDate('', 1, 'd'), parseDate('*', 1, 'd'), parseDate('99991231', 1, 'd')]).toEqual([null, null, null]);
  });

  it('names the line of a date that does not exist', () => {
    expect(() => parseDate('20240231', 7, 'deletion date')).toThrow(new ImportLineError(7, 'deletion date "20240231" is not a date'));
  });
});

describe(splitCsv.name, () => {
  it('handles quotes, commas inside quotes and doubled quotes', () => {
    expect(splitCsv('"20610","2","3 Date of Service Edit: Clinical","a, b"')).toEqual(['20610', '2', '3 Date of Service Edit: Clinical', 'a, b']);
    expect(splitCsv('a,"say ""hi""",,')).toEqual(['a', 'say "hi"', '', '']);
  });
});

describe(tsvParser.name, () => {
  it('checks the header by name and every row by column count', () => {
    const parser = tsvParser(['code', /^n_\d{4}$/], (f) => [[f[0]!, f[1]!]]);
    expect(() => tsvParser(['code', 'x'], () => []).line('code\ty', 1)).toThrow('expected the columns code, x; found code, y');
    expect(parser.line('code\tn_2025', 1)).toEqual([]);
    expect(parser.line('A\t1', 2)).toEqual([['A', '1']]);
    expect(() => parser.line('B', 3)).toThrow('line 3: expected 2 tab-separated columns, found 1 (is the file cut short?)');
    expect(parser.end(3)).toEqual([]);
  });
});

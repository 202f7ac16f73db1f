import { CatalogSearchIndex, type IndexedCode } from './catalog-search-index.js';

const row = (system: IndexedCode['system'], code: string, short: string, extra: Partial<IndexedCode> = {}): IndexedCode => ({
  system,
  code,
  edition: '2026',
  effectiveDate: '2025-10-01',
  terminationDate: null,
  shortDescription: short,
  longDescription: short,
  billable: true,
  ...extra,
});

const index = new CatalogSearchIndex([
  row('ICD10CM', 'E11', 'Type 2 diabetes mellitus', { billable: false }),
  row('ICD10CM', 'E119', 'Type 2 diabetes mellitus without complications'),
  row('ICD10CM', 'E1122', 'Type 2 diabetes mellitus with diabetic chronic kidney disease'),
  row('ICD10CM', 'E109', 'Type 1 diabetes mellitus without complications'),
  row('ICD10CM', 'M1711', 'Unilateral primary osteoarthritis, right knee'),
  row('ICD10CM', 'N183', 'Chronic kidney disease, stage 3 (moderate)', { billable: false }),
  row('HCPCS', 'J1030', 'Methylprednisolone 40 mg inj', { effectiveDate: '2005-01-01', terminationDate: '2024-03-31' }),
  row('HCPCS', 'J1010', 'Methylprednisolone acetate', { effectiveDate: '2024-04-01' }),
  row('CPT', '99213', 'Office visit, established patient, low MDM', { edition: 'demo-2026', effectiveDate: '2025-01-01' }),
  row('CPT', '99213', 'Office visit, established patient, low MDM (2024)', { edition: '2024', effectiveDate: '2024-01-01' }),
  row('MODIFIER', '25', 'Significant, separately identifiable E/M service'),
]);

const codes = (hits: Array<{ code: string }>) => hits.map((h) => h.code);

describe(CatalogSearchIndex.name, () => {
  it('finds a code with or without the ICD-10 dot, exact first, then the codes it prefixes in order', () => {
    expect(codes(index.search('E11'))).toEqual(['E11', 'E1122', 'E119']);
    expect(index.search('e11.9')[0]).toMatchObject({ code: 'E119', match: 'exact' });
    expect(index.search('E11.')[0]!.match).toBe('exact');
  });

  it('ANDs partial words, in any order, and ranks whole-word matches first', () => {
    expect(codes(index.search('diab mell typ'))).toEqual(['E11', 'E109', 'E119', 'E1122']);
    expect(codes(index.search('kidney chronic'))).toEqual(['N183', 'E1122']);
    expect(codes(index.search('diabetes kidney'))).toEqual(['E1122']);
    expect(index.search('diab xyz')).toEqual([]);
  });

  it('lets a code prefix stand as one of the words', () => {
    expect(codes(index.search('e11 kidney'))).toEqual(['E1122']);
  });

  it('filters by code system, billable and the date of service', () => {
    expect(codes(index.search('type 2', { billable: true }))).toEqual(['E119', 'E1122']);
    expect(codes(index.search('methylpred', { date: '2026-03-02' }))).toEqual(['J1010']);
    expect(codes(index.search('methylpred', { date: '2024-01-15' }))).toEqual(['J1030']);
    expect(codes(index.search('25', { systems: ['MODIFIER'] }))).toEqual(['25']);
    expect(index.search('99213', { systems: ['ICD10CM'] })).toEqual([]);
  });

  it('returns one row per code: the newest edition, or the one in effect on the date', () => {
    expect(index.search('99213')).toHaveLength(1);
    expect(index.search('99213')[0]!.edition).toBe('demo-2026');
    expect(index.search('99213', { date: '2024-06-01' })[0]!.edition).toBe('2024');
  });

  it('returns at most the limit', () => {
    expect(index.search('e', { limit: 2 })).toHaveLength(2);
    expect(index.search('')).toEqual([]);
  });
});

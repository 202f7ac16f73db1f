import { CatalogSearchIndex, stem, type IndexedCode } from './catalog-search-index.js';

const row = (
  system: IndexedCode['system'],
  code: string,
  short: string,
  extra: Partial<IndexedCode> = {},
): IndexedCode => ({
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
  row('HCPCS', 'J1030', 'Methylprednisolone 40 mg inj', {
    effectiveDate: '2005-01-01',
    terminationDate: '2024-03-31',
  }),
  row('HCPCS', 'J1010', 'Methylprednisolone acetate', { effectiveDate: '2024-04-01' }),
  row('CPT', '99213', 'Office visit, established patient, low MDM', {
    edition: 'demo-2026',
    effectiveDate: '2025-01-01',
  }),
  row('CPT', '99213', 'Office visit, established patient, low MDM (2024)', {
    edition: '2024',
    effectiveDate: '2024-01-01',
  }),
  row('MODIFIER', '25', 'Significant, separately identifiable E/M service'),
]);

const codes = (hits: Array<{ code: string }>) => hits.map((h) => h.code);

describe(CatalogSearchIndex.name, () => {
  it('finds a code with or without the ICD-10 dot, exact first, then the codes it prefixes in order', () => {
    expect(codes(index.search('E11'))).toEqual(['E11', 'E1122', 'E119']);
    expect(index.search('e11.9')[0]).toMatchObject({ code: 'E119', match: 'exact' });
    expect(index.search('E11.')[0]!.match).toBe('exact');
  });

  it('ANDs partial words, in any order, and ranks whole-word matches first, billable codes before headers', () => {
    expect(codes(index.search('diab mell typ'))).toEqual(['E109', 'E119', 'E1122', 'E11']);
    expect(codes(index.search('kidney chronic'))).toEqual(['E1122', 'N183']);
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

describe(stem.name, () => {
  it('brings the forms of a word to one stem, which is always a prefix of the word', () => {
    for (const [forms, root] of [
      [['fracture', 'fractures', 'fractured'], 'fractur'],
      [['replace', 'replaced', 'replacement', 'replacements', 'replacing'], 'replac'],
      [['screen', 'screening', 'screenings'], 'screen'],
      [['injury', 'injuries'], 'injur'],
      [['diabetes'], 'diabet'],
      [['knee', 'knees'], 'knee'],
    ] as const) {
      for (const form of forms) {
        expect([form, stem(form), form.startsWith(stem(form))]).toEqual([form, root, true]);
      }
    }
  });

  it('keeps short words and words that only look like a suffix whole', () => {
    expect(
      ['cane', 'stage', 'bleed', 'abscess', 'status', 'pelvis', 'bed', 'arm'].map(stem),
    ).toEqual(['cane', 'stage', 'bleed', 'abscess', 'status', 'pelvis', 'bed', 'arm']);
  });
});

describe('ranking the codes people mean', () => {
  const ranked = new CatalogSearchIndex([
    row('ICD10CM', 'I1', 'Hypertensive diseases', { billable: false }),
    row('ICD10CM', 'I10', 'Essential (primary) hypertension'),
    row('ICD10CM', 'I15', 'Secondary hypertension', { billable: false }),
    row('ICD10CM', 'I150', 'Renovascular hypertension'),
    row('ICD10CM', 'K766', 'Portal hypertension'),
    row('ICD10CM', 'H4005', 'Ocular hypertension', { billable: false }),
    row('ICD10CM', 'P292', 'Neonatal hypertension'),
    row('ICD10CM', 'S72001A', 'Fracture of unsp part of neck of right femur, init'),
    row('ICD10CM', 'S7200', 'Fracture of unspecified part of neck of femur', { billable: false }),
    row('ICD10CM', 'T84010A', 'Broken internal right hip prosthesis, init', {
      longDescription: 'Broken internal joint prosthesis, right hip joint, initial encounter',
    }),
    row('ICD10CM', 'Z96651', 'Presence of right artificial knee joint'),
    row('HCPCS', 'L8699', 'Prosthetic implant nos'),
    row('HCPCS', 'C1776', 'Joint device (implantable)'),
    row('CPT', '27447', 'Total knee replacement (arthroplasty)', {
      edition: 'demo-2026',
      longDescription: 'Replacement of both sides of the knee joint with a prosthesis.',
    }),
    row('CPT', '27486', 'Revision of a knee replacement, one component', { edition: 'demo-2026' }),
    row(
      'ICD10CM',
      'T8450XA',
      'Infection and inflammatory reaction due to unsp joint prosthesis, init',
      { longDescription: 'Infection following a joint replacement' },
    ),
    row('ICD10CM', 'W19XXXA', 'Unspecified fall, initial encounter'),
    row('ICD10CM', 'S0990XA', 'Unspecified injury of head, initial encounter'),
    row('ICD10CM', 'T07XXXA', 'Unspecified multiple injuries, initial encounter'),
    row('ICD10CM', 'Y929', 'Unspecified place or not applicable', {
      longDescription: 'Injurious event at an unspecified place',
    }),
  ]);

  it('puts the general billable code first: hypertension -> I10', () => {
    expect(codes(ranked.search('hypertension'))).toEqual([
      'I10',
      'K766',
      'P292',
      'I150',
      'I15',
      'H4005',
    ]);
  });

  it('matches the other forms of each word: knee replacement, fractures, injuries', () => {
    expect(codes(ranked.search('knee replacement'))).toEqual(['27447', '27486']);
    expect(codes(ranked.search('knees replaced'))).toEqual(['27447', '27486']);
    expect(codes(ranked.search('fractures femur'))).toEqual(['S72001A', 'S7200']);
    expect(codes(ranked.search('injury'))).toEqual(['S0990XA', 'T07XXXA', 'Y929']);
  });

  it('still matches by prefix while a word is being typed', () => {
    expect(codes(ranked.search('knee replacem'))).toEqual(['27447', '27486']);
    expect(codes(ranked.search('hypert'))[0]).toBe('I10');
  });
});

import {
  cptCategory,
  cptSection,
  cptSections,
  isEvaluationAndManagement,
  isOfficeVisit,
} from './code-sections.js';

describe(cptSections.name, () => {
  it.each([
    ['99213', 'Evaluation and Management'],
    ['00100', 'Anesthesia'],
    ['99100', 'Anesthesia'],
    ['20610', 'Surgery'],
    ['71046', 'Radiology'],
    ['80053', 'Pathology and Laboratory'],
    ['96372', 'Medicine'],
    ['99500', 'Medicine'],
  ])('%s is in %s', (code, section) => {
    expect(cptSection(code)).toBe(section);
  });

  it('returns every overlapping section of a 99xxx code and none for other kinds', () => {
    expect(cptSections('99140')).toEqual(['Anesthesia', 'Medicine']);
    expect(cptSections('3074F')).toEqual([]);
    expect(cptSections('J1100')).toEqual([]);
  });
});

describe(isEvaluationAndManagement.name, () => {
  it('knows E/M and office visits', () => {
    expect(isEvaluationAndManagement('99213')).toBe(true);
    expect(isEvaluationAndManagement('20610')).toBe(false);
    expect(isOfficeVisit('99215')).toBe(true);
    expect(isOfficeVisit('99210')).toBe(false);
    expect(isOfficeVisit('99221')).toBe(false);
  });
});

describe(cptCategory.name, () => {
  it.each([
    ['99213', 'I'],
    ['3074F', 'II'],
    ['0042T', 'III'],
    ['0001U', 'PLA'],
    ['0002M', 'other'],
    ['J1100', null],
  ])('%s is category %s', (code, category) => {
    expect(cptCategory(code)).toBe(category);
  });
});

import { procedureCodeKind, type ProcedureCodeKind } from './formats.js';

/**
 * CPT sections by code number (docs/domain.md section 2). The ranges are facts about the numbering,
 * not AMA text. They overlap in 99xxx, so a code may belong to several sections; the first in
 * this list is the one a person would name (E/M before Medicine).
 */
export const CPT_SECTIONS = [
  { section: 'Evaluation and Management', from: 99202, to: 99499 },
  { section: 'Anesthesia', from: 100, to: 1999 },
  { section: 'Anesthesia', from: 99100, to: 99140 },
  { section: 'Surgery', from: 10004, to: 69990 },
  { section: 'Radiology', from: 70010, to: 79999 },
  { section: 'Pathology and Laboratory', from: 80047, to: 89398 },
  { section: 'Medicine', from: 90281, to: 99199 },
  { section: 'Medicine', from: 99500, to: 99607 },
] as const;

export type CptSection = (typeof CPT_SECTIONS)[number]['section'];

/** Every section whose range holds a Category I code, most specific first; empty for other codes. */
export function cptSections(code: string): CptSection[] {
  if (procedureCodeKind(code) !== 'CPT-I') return [];
  const n = Number(code);
  const sections: CptSection[] = [];
  for (const range of CPT_SECTIONS)
    if (n >= range.from && n <= range.to && !sections.includes(range.section))
      sections.push(range.section);
  return sections;
}

/** The section a person would name for a Category I code, or null. */
export function cptSection(code: string): CptSection | null {
  return cptSections(code)[0] ?? null;
}

/** Evaluation and management services, 99202-99499. */
export function isEvaluationAndManagement(code: string): boolean {
  return cptSections(code).includes('Evaluation and Management');
}

/** Office or other outpatient visits, new (99202-99205) or established (99211-99215). */
export function isOfficeVisit(code: string): boolean {
  if (procedureCodeKind(code) !== 'CPT-I') return false;
  const n = Number(code);
  return (n >= 99202 && n <= 99205) || (n >= 99211 && n <= 99215);
}

/** CPT category of a procedure code: 'I', 'II', 'III', 'PLA', 'other' or null for HCPCS Level II. */
export function cptCategory(code: string): 'I' | 'II' | 'III' | 'PLA' | 'other' | null {
  const kind: ProcedureCodeKind | null = procedureCodeKind(code);
  switch (kind) {
    case 'CPT-I':
      return 'I';
    case 'CPT-II':
      return 'II';
    case 'CPT-III':
      return 'III';
    case 'CPT-PLA':
      return 'PLA';
    case 'CPT-OTHER':
      return 'other';
    case 'HCPCS-II':
    case null:
      return null;
  }
}

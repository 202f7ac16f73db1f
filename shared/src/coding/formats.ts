/**
 * Code formats, validated in one place (docs/domain.md section 2). Pure functions: no I/O.
 * Format says whether a string can be a code of a system; whether it exists on a date of
 * service is the catalogue's business.
 */

/** Procedure code systems a claim line may carry. */
export type ProcedureCodeKind =
  'CPT-I' | 'CPT-II' | 'CPT-III' | 'CPT-PLA' | 'CPT-OTHER' | 'HCPCS-II';

const CPT_CATEGORY_I = /^\d{5}$/;
/** Four digits and a letter suffix; the suffix list is data, not a closed set. */
const CPT_SUFFIXED = /^(\d{4})([A-Z])$/;
const CPT_SUFFIX_KIND: Readonly<Record<string, ProcedureCodeKind>> = {
  F: 'CPT-II',
  T: 'CPT-III',
  U: 'CPT-PLA',
};
/** HCPCS Level II: a letter A-V and four digits; D (dental, CDT) is not ours. */
const HCPCS_LEVEL_II = /^[A-CE-V]\d{4}$/;
/** ICD-10-CM stored form: letter (U codes included: U07.1, U09.9), digit, then 1-5 letters/digits; 3-7 characters. */
const ICD10CM_STORED = /^[A-Z]\d[0-9A-Z]{1,5}$/;
const MODIFIER = /^[0-9A-Z]{2}$/;

/** Upper-cases and trims a code as typed; removes an ICD-10-CM display dot. */
export function normalizeCode(raw: string): string {
  return raw.trim().toUpperCase().replace(/\./g, '');
}

/** The kind of a procedure code by format alone, or null when it is no procedure code. */
export function procedureCodeKind(code: string): ProcedureCodeKind | null {
  if (CPT_CATEGORY_I.test(code)) return 'CPT-I';
  const suffixed = CPT_SUFFIXED.exec(code);
  if (suffixed) return CPT_SUFFIX_KIND[suffixed[2]!] ?? 'CPT-OTHER';
  if (HCPCS_LEVEL_II.test(code)) return 'HCPCS-II';
  return null;
}

export function isProcedureCode(code: string): boolean {
  return procedureCodeKind(code) !== null;
}

/** True for an ICD-10-CM code in stored form (no dot). */
export function isIcd10CmCode(code: string): boolean {
  return ICD10CM_STORED.test(code);
}

/**
 * The shape of any code the CDC publishes in an ICD-10-CM release, stored form: a letter, a
 * letter or digit, then 1-5 letters or digits. Looser than `isIcd10CmCode`: the files hold the
 * emergency U codes (U07.1, U09.9) and, from FY2026, codes with a letter second (QA00.101).
 * The importer accepts what the publisher ships; claim entry keeps the stricter rule.
 */
export function isIcd10CmCatalogCode(code: string): boolean {
  return /^[A-Z][0-9A-Z][0-9A-Z]{1,5}$/.test(code);
}

/** `E119` -> `E11.9`; codes of three characters have no dot. */
export function formatIcd10Cm(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

export function isModifier(value: string): boolean {
  return MODIFIER.test(value);
}

/** Diagnosis pointer letters, CMS-1500 box 21 order. */
export const DIAGNOSIS_LETTERS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
] as const;
export type DiagnosisLetter = (typeof DIAGNOSIS_LETTERS)[number];
export const MAX_DIAGNOSES = DIAGNOSIS_LETTERS.length;
export const MAX_MODIFIERS = 4;
export const MAX_POINTERS = 4;

/** The letter that points at the diagnosis at `index` (0 -> A). */
export function diagnosisLetter(index: number): DiagnosisLetter {
  const letter = DIAGNOSIS_LETTERS[index];
  if (!letter) throw new RangeError(`No diagnosis letter for index ${index}`);
  return letter;
}

/** The index a pointer letter points at (A -> 0). */
export function diagnosisIndex(letter: DiagnosisLetter): number {
  return DIAGNOSIS_LETTERS.indexOf(letter);
}

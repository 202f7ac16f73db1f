import { DIAGNOSIS_LETTERS, type DiagnosisLetter } from './formats.js';

/**
 * Diagnosis pointers follow their diagnosis when the list changes: a pointer names a letter,
 * but what the coder meant is the code behind it. When diagnoses are reordered, inserted or
 * removed, each pointer is moved to the letter its code now has; a pointer whose diagnosis
 * was removed is dropped (the line then needs a new pointer, which the edits catch).
 */
export function remapPointers(
  pointers: readonly DiagnosisLetter[],
  before: readonly string[],
  after: readonly string[],
): DiagnosisLetter[] {
  const remapped: DiagnosisLetter[] = [];
  for (const pointer of pointers) {
    const code = before[DIAGNOSIS_LETTERS.indexOf(pointer)];
    const index = code === undefined ? -1 : after.indexOf(code);
    const letter = DIAGNOSIS_LETTERS[index];
    if (letter && !remapped.includes(letter)) remapped.push(letter);
  }
  return remapped;
}

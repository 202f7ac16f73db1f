/**
 * Made-up patient details for a practice chart copied from a real one (docs/domain.md section
 * 11.1): a plausible name, an MRN that says it is practice (`PR-` and six digits) and a date of
 * birth within a year of the real one, so the age the note implies still fits. Deterministic:
 * the same seed gives the same patient, so tests and the demo seed are repeatable.
 */

const GIVEN = [
  'Avery',
  'Blake',
  'Cameron',
  'Dana',
  'Elliot',
  'Frankie',
  'Gray',
  'Harper',
  'Indra',
  'Jules',
  'Kendall',
  'Lane',
  'Marlow',
  'Noel',
  'Oakley',
  'Parker',
  'Quinn',
  'Rowan',
  'Sasha',
  'Tatum',
];
const FAMILY = [
  'Abernathy',
  'Bellweather',
  'Castellano',
  'Dunmore',
  'Ellery',
  'Fairbanks',
  'Galloway',
  'Hollis',
  'Ingram',
  'Jessop',
  'Kingsley',
  'Lockhart',
  'Merriweather',
  'Northcott',
  'Ormsby',
  'Pendleton',
  'Quayle',
  'Rutherford',
  'Stanhope',
  'Thackeray',
];

/** mulberry32: a small seeded generator, good enough to pick names. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from any text (the source chart's id), for when the supervisor gives none. */
export function seedOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

export function madeUpPatient(
  seed: number,
  realDateOfBirth: string,
): { mrn: string; name: string; dateOfBirth: string } {
  const next = generator(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const name = `${pick(FAMILY)}, ${pick(GIVEN)}`;
  const mrn = `PR-${String(Math.floor(next() * 1_000_000)).padStart(6, '0')}`;
  // Only earlier, so the patient is never born after the date of service.
  const shiftDays = -Math.floor(next() * 365);
  const dob = new Date(`${realDateOfBirth}T00:00:00Z`);
  dob.setUTCDate(dob.getUTCDate() + shiftDays);
  return { mrn, name, dateOfBirth: dob.toISOString().slice(0, 10) };
}

/**
 * Which edition of a data set is in force on a date of service: one function, one order, used
 * by every data set (code sets, NCCI PTP, MUE, add-on edits, RVUs, the clinical lab fee
 * schedule). Pure, so the order is tested by hand-built cases.
 *
 * The order, in full:
 * 1. Only editions that took effect on or before the date of service cover it.
 * 2. Among those, an official edition always wins over a demo one (a demo edition is one
 *    imported by the demo seed: import kind `demo`, or edition `demo` / `demo-*`), whatever
 *    their dates: the demo only fills in where nothing official is loaded.
 * 3. Then the newest effective date wins; a same-day tie goes to the edition imported last
 *    (`importedAt`), then to the edition name, so the result never depends on row order.
 * 4. When no edition covers the date (it precedes them all), nothing is in force: the caller
 *    gets `not-covered` with the editions loaded and the nearest one (the oldest official, else
 *    the oldest demo), and decides, in words the user sees, whether to use it.
 */

export interface EditionCandidate {
  edition: string;
  effectiveDate: string;
  /** The import kind (`demo` for the demo seed); optional. */
  kind?: string;
  /** When it was imported (ISO timestamp or any sortable text); optional tie-break. */
  importedAt?: string;
}

export type EditionChoice<T extends EditionCandidate> =
  | { status: 'in-force'; edition: T; loaded: readonly T[] }
  | { status: 'not-covered'; nearest: T; loaded: readonly T[] }
  | { status: 'none-loaded'; loaded: readonly T[] };

/** True for an edition the demo seed brought in: never preferred over an official one. */
export function isDemoEdition(edition: Pick<EditionCandidate, 'edition' | 'kind'>): boolean {
  return (
    edition.kind === 'demo' || edition.edition === 'demo' || edition.edition.startsWith('demo-')
  );
}

/** Plain code-unit order (ISO dates, padded ids): no locale, so it is cheap and the same everywhere. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Official before demo, then newest effective date, then last imported, then edition name. */
function preference(a: EditionCandidate, b: EditionCandidate): number {
  return (
    Number(isDemoEdition(a)) - Number(isDemoEdition(b)) ||
    cmp(b.effectiveDate, a.effectiveDate) ||
    cmp(b.importedAt ?? '', a.importedAt ?? '') ||
    cmp(b.edition, a.edition)
  );
}

/** The edition of one data set in force on `date` (YYYY-MM-DD), by the order documented above. */
export function editionInForce<T extends EditionCandidate>(
  editions: readonly T[],
  date: string,
): EditionChoice<T> {
  if (editions.length === 0) return { status: 'none-loaded', loaded: editions };
  const covering = editions.filter((e) => e.effectiveDate <= date).sort(preference);
  if (covering.length) return { status: 'in-force', edition: covering[0]!, loaded: editions };
  const nearest = [...editions].sort(
    (a, b) =>
      Number(isDemoEdition(a)) - Number(isDemoEdition(b)) ||
      cmp(a.effectiveDate, b.effectiveDate) ||
      preference(a, b),
  )[0]!;
  return { status: 'not-covered', nearest, loaded: editions };
}

/** `2026-03-02` -> `2026Q1`. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Whole quarters from `from` to `to` (`2024Q3` to `2026Q1` is 6). */
export function quartersBetween(from: string, to: string): number {
  const n = (q: string) => Number(q.slice(0, 4)) * 4 + Number(q.slice(5)) - 1;
  return n(to) - n(from);
}

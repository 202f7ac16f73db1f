import { CODE_SYSTEMS, type CatalogSearchHit, type CodeSystem } from '@countersign/shared';

/** One catalogue row as the index keeps it. */
export interface IndexedCode {
  system: CodeSystem;
  code: string;
  edition: string;
  effectiveDate: string;
  terminationDate: string | null;
  shortDescription: string;
  longDescription: string;
  billable: boolean;
}

export interface SearchOptions {
  systems?: readonly CodeSystem[];
  /** Only codes in effect on this date (`YYYY-MM-DD`). */
  date?: string;
  billable?: boolean;
  limit?: number;
}

const NO_END = 99_999_999;
/** Candidates kept beyond those asked for, to be ordered by how tightly the query covers them. */
const CANDIDATES_EXTRA = 10;
/** Words of a short description that qualify rather than name (ICD-10-CM's "unspecified", "initial encounter"). */
const QUALIFIERS = new Set([
  'unspecified',
  'unsp',
  'other',
  'oth',
  'nos',
  'uncomplicated',
  'initial',
  'init',
  'encounter',
  'encntr',
  'for',
  'of',
  'and',
  'the',
  'with',
  'w',
  'in',
  'a',
  'to',
  'or',
  'due',
]);
const dayNumber = (iso: string) =>
  Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
const tokenize = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * A light suffix stripper, so the forms of a word meet: fractures, fractured, fracture ->
 * `fractur`; replacement, replaced, replace -> `replac`; screening -> `screen`; injuries, injury
 * -> `injur`. It only ever cuts the end of a word (the stem is a prefix of the word, so a query
 * word's stem still matches by prefix whatever the person is halfway through typing) and keeps
 * short words whole (`cane` is not `can`).
 */
export function stem(word: string): string {
  let w = word;
  for (;;) {
    const before = w;
    if (w.length >= 7 && w.endsWith('ment')) w = w.slice(0, -4);
    else if (w.length >= 6 && w.endsWith('ing')) w = w.slice(0, -3);
    else if (w.length >= 6 && w.endsWith('ed') && !w.endsWith('eed')) w = w.slice(0, -2);
    else if (w.length >= 5 && w.endsWith('ies')) w = w.slice(0, -3);
    else if (w.length >= 4 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    else if (w.length >= 6 && w.endsWith('e')) w = w.slice(0, -1);
    else if (w.length >= 5 && w.endsWith('y')) w = w.slice(0, -1);
    if (w === before) return w;
  }
}

/**
 * How general an ICD-10-CM code is, by its length: a category (`I10`) before a subcategory
 * (`I15.0`) before a seven-character code. CPT and HCPCS codes rank with the subcategories.
 */
const depth = (row: IndexedCode) => (row.system === 'ICD10CM' ? row.code.length - 3 : 1);

/**
 * The rank of rows that match a query equally well: billable codes before headers, general
 * codes before specific ones, then the shorter description, then the code.
 */
function compareRank(a: IndexedCode, b: IndexedCode): number {
  return (
    Number(b.billable) - Number(a.billable) ||
    depth(a) - depth(b) ||
    a.shortDescription.length - b.shortDescription.length ||
    compareCode(a, b)
  );
}

/** First index in sorted `items` whose value is >= `value`. */
function lowerBound(items: readonly string[], value: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [from, to) of the items of sorted `items` that start with `prefix`. */
function prefixRange(items: readonly string[], prefix: string): [number, number] {
  return [lowerBound(items, prefix), lowerBound(items, `${prefix}\uffff`)];
}

/** True when the sorted `ids` hold a value in [from, to). */
function hasInRange(ids: Int32Array, from: number, to: number): boolean {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < ids.length && ids[lo]! < to;
}

/**
 * The typeahead's in-memory index of the whole catalogue. A code prefix is a binary search in
 * the codes sorted alphabetically and a contiguous run of them. Words go through a sorted
 * vocabulary (a partial word is a run of it) and posting lists; several partial words are
 * ANDed, the way the NLM Clinical Tables search works. A typed word matches every word that
 * starts with its stem, and counts as a whole-word match where a word has the same stem.
 * Rows are numbered in rank order (billable, general, short description first), so walking a
 * posting list in order meets the best rows first and a search stops as soon as nothing later
 * can beat what it holds.
 */
export class CatalogSearchIndex {
  /** Rows by rank (see compareRank). */
  private readonly rows: IndexedCode[];
  /** Row ids sorted by code (then newest edition first), and their codes, for prefix search. */
  private readonly byCode: Int32Array;
  private readonly codes: string[];
  private readonly effective: Int32Array;
  private readonly termination: Int32Array;
  private readonly systemBits: Uint8Array;
  private readonly vocabulary: string[];
  private readonly postings: Int32Array[];
  private readonly rowWords: Int32Array[];
  /** Each row's short-description words that say what the code is (sorted ids; no qualifiers). */
  private readonly contentWords: Int32Array[];
  /** Sorted stems, each word's stem id, each stem's rows and each row's stem ids. */
  private readonly stems: string[];
  private readonly wordStem: Int32Array;
  private readonly stemPostings: Int32Array[];
  private readonly rowStems: Int32Array[];
  private readonly marks: Uint32Array;
  private stamp = 0;

  constructor(input: readonly IndexedCode[]) {
    this.rows = [...input].sort(compareRank);
    const n = this.rows.length;
    this.byCode = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) =>
      compareCode(this.rows[a]!, this.rows[b]!),
    );
    this.codes = Array.from(this.byCode, (row) => this.rows[row]!.code);
    this.effective = Int32Array.from(this.rows, (r) => dayNumber(r.effectiveDate));
    this.termination = Int32Array.from(this.rows, (r) =>
      r.terminationDate ? dayNumber(r.terminationDate) : NO_END,
    );
    this.systemBits = Uint8Array.from(this.rows, (r) => 1 << CODE_SYSTEMS.indexOf(r.system));

    const shortOfRow = this.rows.map((r) => tokenize(r.shortDescription));
    const wordsOfRow = this.rows.map((r, row) =>
      r.longDescription === r.shortDescription
        ? shortOfRow[row]!
        : [...shortOfRow[row]!, ...tokenize(r.longDescription)],
    );
    const wordId = new Map<string, number>();
    for (const words of wordsOfRow) for (const w of words) wordId.set(w, 0);
    this.vocabulary = [...wordId.keys()].sort();
    this.vocabulary.forEach((w, i) => wordId.set(w, i));
    const counts = new Int32Array(this.vocabulary.length);
    this.rowWords = wordsOfRow.map((words) =>
      countIds(uniqueIds(words.map((w) => wordId.get(w)!)), counts),
    );
    this.postings = postingLists(this.rowWords, counts);
    this.contentWords = shortOfRow.map((words) =>
      uniqueIds(words.filter((w) => !QUALIFIERS.has(w)).map((w) => wordId.get(w)!)),
    );

    const stemOfWord = this.vocabulary.map(stem);
    this.stems = [...new Set(stemOfWord)].sort();
    const stemId = new Map(this.stems.map((w, i) => [w, i]));
    this.wordStem = Int32Array.from(stemOfWord, (w) => stemId.get(w)!);
    const stemCounts = new Int32Array(this.stems.length);
    this.rowStems = this.rowWords.map((words) =>
      countIds(uniqueIds(Array.from(words, (w) => this.wordStem[w]!)), stemCounts),
    );
    this.stemPostings = postingLists(this.rowStems, stemCounts);
    this.marks = new Uint32Array(n);
  }

  get size(): number {
    return this.rows.length;
  }

  search(query: string, options: SearchOptions = {}): CatalogSearchHit[] {
    const limit = options.limit ?? 20;
    const accept = this.filter(options);
    const hits: CatalogSearchHit[] = [];
    const seen = new Set<string>();
    const take = (row: number, match: CatalogSearchHit['match']) => {
      const r = this.rows[row]!;
      const key = `${r.system}:${r.code}`;
      if (seen.has(key)) return;
      seen.add(key);
      hits.push({ ...r, match });
    };

    const code = query.trim().toUpperCase().replace(/\./g, '');
    if (/^[A-Z0-9]{1,7}$/.test(code)) {
      const [from, to] = prefixRange(this.codes, code);
      for (let i = from; i < to && this.codes[i] === code; i++)
        if (accept(this.byCode[i]!)) take(this.byCode[i]!, 'exact');
      for (let i = from; i < to && hits.length < limit; i++)
        if (this.codes[i] !== code && accept(this.byCode[i]!)) take(this.byCode[i]!, 'prefix');
    }
    if (hits.length < limit) {
      for (const row of this.words(query, accept, limit - hits.length + seen.size + 5)) {
        if (hits.length >= limit) break;
        take(row, 'words');
      }
    }
    return hits.slice(0, limit);
  }

  private filter(options: SearchOptions): (row: number) => boolean {
    const mask = options.systems?.length
      ? options.systems.reduce((m, s) => m | (1 << CODE_SYSTEMS.indexOf(s)), 0)
      : 0xff;
    const day = options.date ? dayNumber(options.date) : null;
    const billable = options.billable;
    return (row) =>
      (this.systemBits[row]! & mask) !== 0 &&
      (day === null || (this.effective[row]! <= day && this.termination[row]! >= day)) &&
      (billable === undefined || this.rows[row]!.billable === billable);
  }

  /**
   * Rows matching every partial word (a word of the description starting with it, or the code
   * starting with it), best first: more whole-word matches, then the shorter description.
   * The rarest word's rows are walked in rank order, those where it is a whole word first;
   * the walk stops once the kept rows cannot be beaten by any row still to come.
   */
  private words(query: string, accept: (row: number) => boolean, want: number): number[] {
    const tokens = [...new Set(tokenize(query))];
    if (tokens.length === 0 || query.trim().length < 2) return [];
    const terms = tokens.map((token) => {
      const root = stem(token);
      const [wordFrom, wordTo] = prefixRange(this.vocabulary, root);
      const [codeFrom, codeTo] = prefixRange(this.codes, token.toUpperCase());
      const stemAt = lowerBound(this.stems, root);
      // One or two letters are a word still being typed, and "of" or "unspecified" say nothing
      // of what the code is: such terms must match, but earn no whole-word credit.
      const exact =
        this.stems[stemAt] === root && token.length >= 3 && !QUALIFIERS.has(token) ? stemAt : -1;
      let size = codeTo - codeFrom;
      for (let w = wordFrom; w < wordTo; w++) size += this.postings[w]!.length;
      return { upper: token.toUpperCase(), wordFrom, wordTo, codeFrom, codeTo, exact, size };
    });
    terms.sort((a, b) => a.size - b.size);
    const [rarest, ...others] = terms;
    if (!rarest || rarest.size === 0) return [];
    const bestPossible = terms.filter((t) => t.exact >= 0).length;

    this.stamp = (this.stamp + 1) >>> 0 || 1;
    const best: Array<{ row: number; score: number }> = [];
    // A few more than wanted, so that among equal scores the tighter descriptions can come first.
    const keep = Math.max(want, 1) + CANDIDATES_EXTRA;
    // Returns true when no row still to come in this tier can beat the rows kept.
    const consider = (row: number, tierBest: number): boolean => {
      if (this.marks[row] === this.stamp) return false;
      this.marks[row] = this.stamp;
      if (!accept(row)) return false;
      const words = this.rowWords[row]!;
      const stems = this.rowStems[row]!;
      let score = rarest.exact >= 0 && hasInRange(stems, rarest.exact, rarest.exact + 1) ? 1 : 0;
      for (const term of others) {
        if (
          !this.rows[row]!.code.startsWith(term.upper) &&
          !hasInRange(words, term.wordFrom, term.wordTo)
        )
          return false;
        if (term.exact >= 0 && hasInRange(stems, term.exact, term.exact + 1)) score += 1;
      }
      let at = best.length;
      while (
        at > 0 &&
        (score > best[at - 1]!.score || (score === best[at - 1]!.score && row < best[at - 1]!.row))
      )
        at--;
      if (at < keep) {
        best.splice(at, 0, { row, score });
        if (best.length > keep) best.pop();
      }
      return best.length === keep && best[keep - 1]!.score >= tierBest;
    };

    const ranked = () => this.tighterFirst(best, terms).slice(0, want);
    // Tier 1: rows where the rarest word is a whole word (same stem), in rank order.
    if (rarest.exact >= 0) {
      for (const row of this.stemPostings[rarest.exact]!)
        if (consider(row, bestPossible)) return ranked();
    }
    // Tier 2: every other row of the rarest word, merged in rank order across its words and codes.
    const lists: Int32Array[] = [];
    for (let w = rarest.wordFrom; w < rarest.wordTo; w++)
      if (this.wordStem[w] !== rarest.exact) lists.push(this.postings[w]!);
    if (rarest.codeTo > rarest.codeFrom)
      lists.push(this.byCode.slice(rarest.codeFrom, rarest.codeTo).sort());
    const tierBest = bestPossible - (rarest.exact >= 0 ? 1 : 0);
    mergeInOrder(lists, (row) => consider(row, tierBest));
    return ranked();
  }

  /**
   * Orders the candidates by score, then by how tightly the query covers the short description
   * ("Fever, unspecified" is all the query "fever" names; "Q fever" names one more thing; a HCPCS
   * code whose long text mentions atrial fibrillation among twenty other words comes after every
   * code whose short description is about it), then by rank.
   */
  private tighterFirst(
    best: ReadonlyArray<{ row: number; score: number }>,
    terms: ReadonlyArray<{ wordFrom: number; wordTo: number }>,
  ): number[] {
    const tightness = (row: number) => {
      const words = this.contentWords[row]!;
      let covered = 0;
      for (const w of words) if (terms.some((t) => w >= t.wordFrom && w < t.wordTo)) covered += 1;
      if (words.length > 0 && covered === words.length) return 2;
      return terms.every((t) => hasInRange(words, t.wordFrom, t.wordTo)) ? 1 : 0;
    };
    return best
      .map((b) => ({ ...b, tight: tightness(b.row) }))
      .sort((a, b) => b.score - a.score || b.tight - a.tight || a.row - b.row)
      .map((b) => b.row);
  }
}

function compareCode(a: IndexedCode, b: IndexedCode): number {
  return a.code < b.code
    ? -1
    : a.code > b.code
      ? 1
      : b.effectiveDate < a.effectiveDate
        ? -1
        : b.effectiveDate > a.effectiveDate
          ? 1
          : 0;
}

/** The distinct values of `ids`, sorted. */
function uniqueIds(ids: readonly number[]): Int32Array {
  const sorted = Int32Array.from(ids).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** Counts each id once in `counts` and returns the ids. */
function countIds(ids: Int32Array, counts: Int32Array): Int32Array {
  for (let i = 0; i < ids.length; i++) counts[ids[i]!]! += 1;
  return ids;
}

/** For each id, the rows (ascending) whose sorted id list holds it. */
function postingLists(idsOfRow: readonly Int32Array[], counts: Int32Array): Int32Array[] {
  const lists = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  idsOfRow.forEach((ids, row) => {
    for (const id of ids) lists[id]![fill[id]!++] = row;
  });
  return lists;
}

/** Visits the values of sorted lists in ascending order (a k-way merge) until `visit` returns true. */
function mergeInOrder(lists: readonly Int32Array[], visit: (value: number) => boolean): void {
  const heap: Array<{ list: Int32Array; at: number }> = lists
    .filter((l) => l.length > 0)
    .map((list) => ({ list, at: 0 }));
  const key = (i: number) => heap[i]!.list[heap[i]!.at]!;
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && key(l) < key(m)) m = l;
      if (r < heap.length && key(r) < key(m)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length) {
    const top = heap[0]!;
    if (visit(top.list[top.at]!)) return;
    top.at += 1;
    if (top.at === top.list.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    if (heap.length) down(0);
  }
}

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
const dayNumber = (iso: string) => Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
const tokenize = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

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
 * The typeahead's in-memory index of the whole catalogue. Rows are sorted by code, so a code
 * prefix is a binary search and a contiguous run; words go through a sorted vocabulary (a
 * partial word is a run of it) and posting lists. Several partial words are ANDed, the way the
 * NLM Clinical Tables search works: the rarest word gives the candidates, the others filter
 * them through each row's sorted word ids. Exact code first, then code prefix, then words.
 */
export class CatalogSearchIndex {
  private readonly rows: IndexedCode[];
  private readonly codes: string[];
  private readonly effective: Int32Array;
  private readonly termination: Int32Array;
  private readonly systemBits: Uint8Array;
  private readonly vocabulary: string[];
  private readonly postings: Int32Array[];
  private readonly rowWords: Int32Array[];
  private readonly marks: Uint32Array;
  private stamp = 0;

  constructor(input: readonly IndexedCode[]) {
    this.rows = [...input].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : b.effectiveDate.localeCompare(a.effectiveDate)));
    const n = this.rows.length;
    this.codes = this.rows.map((r) => r.code);
    this.effective = Int32Array.from(this.rows, (r) => dayNumber(r.effectiveDate));
    this.termination = Int32Array.from(this.rows, (r) => (r.terminationDate ? dayNumber(r.terminationDate) : NO_END));
    this.systemBits = Uint8Array.from(this.rows, (r) => 1 << CODE_SYSTEMS.indexOf(r.system));

    const wordsOfRow = this.rows.map((r) => [...new Set(tokenize(`${r.shortDescription} ${r.longDescription}`))]);
    this.vocabulary = [...new Set(wordsOfRow.flat())].sort();
    const wordId = new Map(this.vocabulary.map((w, i) => [w, i]));
    const counts = new Int32Array(this.vocabulary.length);
    this.rowWords = wordsOfRow.map((words) => {
      const ids = Int32Array.from(words, (w) => wordId.get(w)!).sort();
      for (const id of ids) counts[id]! += 1;
      return ids;
    });
    this.postings = Array.from(counts, (c) => new Int32Array(c));
    const fill = new Int32Array(this.vocabulary.length);
    for (let row = 0; row < n; row++) for (const id of this.rowWords[row]!) this.postings[id]![fill[id]!++] = row;
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
      for (let row = from; row < to && this.codes[row] === code; row++) if (accept(row)) take(row, 'exact');
      for (let row = from; row < to && hits.length < limit; row++) if (this.codes[row] !== code && accept(row)) take(row, 'prefix');
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
    const mask = options.systems?.length ? options.systems.reduce((m, s) => m | (1 << CODE_SYSTEMS.indexOf(s)), 0) : 0xff;
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
   */
  private words(query: string, accept: (row: number) => boolean, want: number): number[] {
    const tokens = [...new Set(tokenize(query))];
    if (tokens.length === 0 || query.trim().length < 2) return [];
    const terms = tokens.map((token) => {
      const [wordFrom, wordTo] = prefixRange(this.vocabulary, token);
      const [codeFrom, codeTo] = prefixRange(this.codes, token.toUpperCase());
      const exact = this.vocabulary[wordFrom] === token ? wordFrom : -1;
      let size = codeTo - codeFrom;
      for (let w = wordFrom; w < wordTo; w++) size += this.postings[w]!.length;
      return { token, wordFrom, wordTo, codeFrom, codeTo, exact, size };
    });
    terms.sort((a, b) => a.size - b.size);
    const [rarest, ...others] = terms;
    if (!rarest || rarest.size === 0) return [];

    // Union of the rarest term's rows, each once (a generation stamp instead of clearing a set).
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    const candidates: number[] = [];
    const mark = (row: number) => {
      if (this.marks[row] === this.stamp) return;
      this.marks[row] = this.stamp;
      candidates.push(row);
    };
    for (let w = rarest.wordFrom; w < rarest.wordTo; w++) for (const row of this.postings[w]!) mark(row);
    for (let row = rarest.codeFrom; row < rarest.codeTo; row++) mark(row);

    const best: Array<{ row: number; score: number; length: number }> = [];
    const keep = Math.max(want, 1);
    for (const row of candidates) {
      if (!accept(row)) continue;
      const words = this.rowWords[row]!;
      let whole = rarest.exact >= 0 && hasInRange(words, rarest.exact, rarest.exact + 1) ? 1 : 0;
      let all = true;
      for (const term of others) {
        const inCode = row >= term.codeFrom && row < term.codeTo;
        if (!inCode && !hasInRange(words, term.wordFrom, term.wordTo)) {
          all = false;
          break;
        }
        if (term.exact >= 0 && hasInRange(words, term.exact, term.exact + 1)) whole += 1;
      }
      if (!all) continue;
      const length = this.rows[row]!.shortDescription.length;
      if (best.length === keep && !better(whole, length, row, best[keep - 1]!)) continue;
      let at = best.length;
      while (at > 0 && better(whole, length, row, best[at - 1]!)) at--;
      best.splice(at, 0, { row, score: whole, length });
      if (best.length > keep) best.pop();
    }
    return best.map((b) => b.row);
  }
}

function better(score: number, length: number, row: number, than: { row: number; score: number; length: number }): boolean {
  if (score !== than.score) return score > than.score;
  if (length !== than.length) return length < than.length;
  return row < than.row;
}

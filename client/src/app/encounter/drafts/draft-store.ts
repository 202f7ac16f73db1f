import { DOCUMENT } from '@angular/common';
import { Injectable, InjectionToken, effect, inject, signal, untracked } from '@angular/core';
import { AuthService } from '../../core/auth/auth.service';

/**
 * Where unsent drafts are kept: the tab's sessionStorage. Drafts may hold patient details, and
 * workstations are shared, so not localStorage (it stays on disk for whoever uses the browser
 * next). sessionStorage belongs to one tab, survives a reload and a reconnect in it, and is gone
 * when the tab closes; on top of that the store empties it when its person signs out (or the
 * session ends) and when someone else signs in in the same tab. Null when the browser refuses it:
 * drafts then live in memory for the page's life.
 */
export const DRAFT_STORAGE = new InjectionToken<Storage | null>('DRAFT_STORAGE', {
  providedIn: 'root',
  factory: () => {
    try {
      return inject(DOCUMENT).defaultView?.sessionStorage ?? null;
    } catch {
      return null;
    }
  },
});

const PREFIX = 'cs.draft.v1:';

/** Which text a draft is: of one chart, and within it one target (see `draftTargets`). */
export interface DraftRef {
  encounterId: string;
  target: string;
}

export interface Draft {
  text: string;
  /** The line it is about, when it is about one (a dispute of a suggestion on that line). */
  lineId: string | null;
  savedAt: string;
}

/** The targets a chart's drafts are kept under. */
export const draftTargets = {
  /** A new thread on a line, or on the chart (lineId null). */
  newThread: (lineId: string | null) => (lineId ? `comment:line:${lineId}` : 'comment:chart'),
  reply: (threadId: string) => `comment:reply:${threadId}`,
  dispute: (suggestionId: string) => `dispute:${suggestionId}`,
  reason: (transition: string) => `reason:${transition}`,
} as const;

/**
 * Unsent text (comments, replies, disputes, transition reasons) kept per signed-in person, per
 * chart and per target until it is sent, so a dropped connection, a re-render, a withdrawn
 * suggestion or a reload does not lose it. Reactive: components read drafts as signals.
 */
@Injectable({ providedIn: 'root' })
export class DraftStore {
  private readonly storage = inject(DRAFT_STORAGE);
  private readonly auth = inject(AuthService);
  /** The signed-in person's drafts, by `encounterId|target`. */
  private readonly drafts = signal<ReadonlyMap<string, Draft>>(new Map());
  private owner: string | null = null;

  constructor() {
    this.follow(this.auth.user()?.id ?? null);
    effect(() => {
      const userId = this.auth.user()?.id ?? null;
      untracked(() => this.follow(userId));
    });
  }

  /** The draft of `ref`, or null (reactive). */
  get(ref: DraftRef): Draft | null {
    return this.drafts().get(mapKey(ref)) ?? null;
  }

  /** The drafts of one chart whose target starts with `prefix` (reactive). */
  ofChart(encounterId: string, prefix = ''): Array<{ target: string; draft: Draft }> {
    const start = `${encounterId}|${prefix}`;
    return [...this.drafts()]
      .filter(([key]) => key.startsWith(start))
      .map(([key, draft]) => ({ target: key.slice(encounterId.length + 1), draft }));
  }

  /** Keeps `text` as the draft of `ref`; blank text discards it. */
  save(ref: DraftRef, text: string, lineId: string | null = null): void {
    if (!this.owner) return;
    if (!text.trim()) {
      this.discard(ref);
      return;
    }
    const draft: Draft = { text, lineId, savedAt: new Date().toISOString() };
    this.drafts.update((all) => new Map(all).set(mapKey(ref), draft));
    this.write(storageKey(this.owner, ref), JSON.stringify(draft));
  }

  /** Forgets the draft of `ref`: it was sent, or the person threw it away. */
  discard(ref: DraftRef): void {
    const key = mapKey(ref);
    if (this.drafts().has(key)) {
      this.drafts.update((all) => {
        const next = new Map(all);
        next.delete(key);
        return next;
      });
    }
    if (this.owner) this.remove(storageKey(this.owner, ref));
  }

  /** Follows who is signed in: a sign-out empties the store; another person never sees the last one's drafts. */
  private follow(userId: string | null): void {
    if (userId === this.owner) return;
    if (userId === null) {
      // Signed out (or the session ended): nothing typed stays behind in the tab.
      this.removeAll(() => true);
      this.owner = null;
      this.drafts.set(new Map());
      return;
    }
    this.removeAll((key) => !key.startsWith(`${PREFIX}${userId}:`));
    this.owner = userId;
    this.drafts.set(this.load(userId));
  }

  private load(userId: string): Map<string, Draft> {
    const drafts = new Map<string, Draft>();
    const own = `${PREFIX}${userId}:`;
    for (const key of this.keys()) {
      if (!key.startsWith(own)) continue;
      const draft = parseDraft(this.read(key));
      if (draft) drafts.set(key.slice(own.length), draft);
      else this.remove(key);
    }
    return drafts;
  }

  private keys(): string[] {
    if (!this.storage) return [];
    try {
      return Array.from({ length: this.storage.length }, (_, i) => this.storage!.key(i)).filter(
        (k): k is string => !!k?.startsWith(PREFIX),
      );
    } catch {
      return [];
    }
  }

  private removeAll(which: (key: string) => boolean): void {
    for (const key of this.keys()) if (which(key)) this.remove(key);
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value);
    } catch {
      // Full or refused: the draft still lives in memory for this page.
    }
  }

  private remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // Nothing to do: it could not have been written either.
    }
  }
}

function mapKey(ref: DraftRef): string {
  return `${ref.encounterId}|${ref.target}`;
}

function storageKey(userId: string, ref: DraftRef): string {
  return `${PREFIX}${userId}:${mapKey(ref)}`;
}

function parseDraft(raw: string | null): Draft | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Draft>;
    if (typeof value.text !== 'string' || !value.text) return null;
    return {
      text: value.text,
      lineId: typeof value.lineId === 'string' ? value.lineId : null,
      savedAt: String(value.savedAt ?? ''),
    };
  } catch {
    return null;
  }
}

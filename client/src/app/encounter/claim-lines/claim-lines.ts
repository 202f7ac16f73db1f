import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { map } from 'rxjs';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  diagnosisLetter,
  initials,
  type ClaimLine,
  type CodeSystem,
  type Encounter,
  type PresenceMember,
  type Suggestion,
} from '@countersign/shared';
import { CodeTypeahead } from '../../core/catalog/code-typeahead';
import { Notifier } from '../../core/errors/notifier';
import { ConflictError, lastChangeOf } from '../../core/realtime/conflict';
import { LiveRoom } from '../../core/realtime/live-room';
import { colourOf } from '../presence-avatars/presence-avatars';
import { DraftStore } from '../drafts/draft-store';
import { RoomView } from '../room-view';
import { ClaimLineRow } from './claim-line-row';
import {
  EMPTY_DRAFT,
  draftOf,
  linePatch,
  parseDraft,
  type ClaimLineDraft,
} from './claim-line-form';
import {
  LINE_FIELD_LABELS,
  draftValues,
  lineValues,
  rebaseLineDraft,
  showValue,
  takeField,
  type LineConflict,
  type LineEditDraft,
  type LineField,
  type LineRebase,
} from './line-rebase';
import { LineDetail } from './line-detail';
import type { Focuser, LineRow, OrphanedDispute } from './line-row';
import { LineRebaseNotice } from './line-rebase-notice';

/** The edit draft after it was rebased on someone else's change: what it took, and what waits for a choice. */
interface RebaseState {
  /** The form opening it belongs to. */
  opened: number;
  /** Who changed the line: a name, "You (in another window)" or "Someone". */
  who: string;
  taken: LineRebase['taken'];
  conflicts: LineConflict[];
}

function draftForm(draft: ClaimLineDraft) {
  return new FormGroup({
    code: new FormControl(draft.code, { nonNullable: true }),
    modifiers: new FormControl(draft.modifiers, { nonNullable: true }),
    units: new FormControl<number | null>(draft.units),
    pointers: new FormControl(draft.pointers, { nonNullable: true }),
    /** The coder's rationale, or the reviewer's comment on a missed line. */
    note: new FormControl('', { nonNullable: true }),
  });
}

const WORKING: Readonly<Record<PresenceMember['role'], string>> = {
  coder: 'editing',
  reviewer: 'reviewing',
  supervisor: 'looking at',
  admin: 'looking at',
  operator: 'looking at',
};

/**
 * The claim lines of the review room. The coder adds, edits and removes lines with rationale
 * and evidence; the reviewer accepts, suggests, rejects and adds missed lines; everyone sees
 * each line's review, its suggestions as a diff, its comment count and who is working on it.
 * Every change is a command to the room; the table changes when the committed event comes back.
 */
@Component({
  selector: 'cs-claim-lines',
  imports: [
    NgTemplateOutlet,
    ReactiveFormsModule,
    MatAutocompleteModule,
    CodeTypeahead,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    ClaimLineRow,
    LineDetail,
    LineRebaseNotice,
  ],
  templateUrl: './claim-lines.html',
  styleUrl: './claim-lines.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClaimLines {
  private readonly room = inject(LiveRoom);
  protected readonly view = inject(RoomView);
  private readonly notifier = inject(Notifier);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly drafts = inject(DraftStore);

  /** The chart shown: live, or as it stood at a history event. */
  readonly encounter = input.required<Encounter>();

  protected readonly lines = computed(() => this.encounter().lines);
  protected readonly diagnoses = computed(() => this.encounter().diagnoses);
  protected readonly procedureSystems: readonly CodeSystem[] = ['CPT', 'HCPCS'];
  protected readonly inReview = computed(() => this.encounter().status !== 'draft');

  protected readonly editForm = draftForm(EMPTY_DRAFT);
  protected readonly editError = signal<string | null>(null);
  protected readonly saving = signal(false);
  private readonly rebaseState = signal<RebaseState | null>(null);
  /** The open edit's rebase, if its draft was rebased on a change by someone else. */
  protected readonly rebase = computed(() => {
    const state = this.rebaseState();
    return state && state.opened === this.view.form()?.opened ? state : null;
  });
  /** The edit form's values as a signal, so what the person types shows beside a conflict. */
  private readonly editValues = toSignal(
    this.editForm.valueChanges.pipe(map(() => this.editForm.getRawValue())),
    {
      initialValue: this.editForm.getRawValue(),
    },
  );
  /** The draft's value of each field as it reads now (the person may type on after a conflict). */
  protected readonly mineNow = computed(() => {
    const values = draftValues({ ...this.editValues(), evidence: this.view.editEvidence() });
    return Object.fromEntries(
      (Object.keys(LINE_FIELD_LABELS) as LineField[]).map((f) => [f, showValue(f, values)]),
    ) as Record<LineField, string>;
  });

  protected readonly newForm = draftForm(EMPTY_DRAFT);
  protected readonly newError = signal<string | null>(null);
  protected readonly adding = signal(false);
  /** Lines that just arrived or changed, highlighted briefly so a live change is noticed. */
  protected readonly highlighted = signal<ReadonlySet<string>>(new Set());
  private seenLines: ReadonlyMap<string, string> | null = null;
  private seenViewing: number | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;

  /** The new-line row adds the coder's line, or the reviewer's missed line. */
  protected readonly addMode = computed<'line' | 'missed' | null>(() =>
    this.view.can('line.add') ? 'line' : this.view.can('review.add-missed') ? 'missed' : null,
  );
  protected readonly editingId = computed(() =>
    this.view.form()?.kind === 'edit' ? this.view.form()!.line.id : null,
  );
  protected readonly editingChanged = computed(() => {
    const form = this.view.form();
    if (form?.kind !== 'edit') return false;
    const now = this.lines().find((l) => l.id === form.line.id);
    return !!now && JSON.stringify(now) !== JSON.stringify(form.line);
  });

  /** Per line: its suggestions worth showing (open and disputed in full, accepted briefly). */
  private readonly suggestionsByLine = computed(() => {
    const map = new Map<string, Suggestion[]>();
    for (const s of this.encounter().suggestions) {
      if (s.status === 'withdrawn') continue;
      map.set(s.lineId, [...(map.get(s.lineId) ?? []), s]);
    }
    return map;
  });

  /**
   * Per line: disputes being written whose suggestion can no longer be disputed (withdrawn, or
   * accepted elsewhere). Their text is kept and shown with what happened, with an offer to post it as a comment.
   */
  private readonly orphanDisputes = computed(() => {
    const live = this.view.live();
    const byLine = new Map<string, OrphanedDispute[]>();
    if (!live || this.view.history()) return byLine;
    for (const { target, draft } of this.drafts.ofChart(live.id, 'dispute:')) {
      const suggestionId = target.slice('dispute:'.length);
      const suggestion = live.suggestions.find((s) => s.id === suggestionId);
      // Open: the card shows it. Disputed: that is this dispute arriving (its ack clears the draft).
      if (suggestion?.status === 'open' || suggestion?.status === 'disputed') continue;
      const lineId = suggestion?.lineId ?? draft.lineId;
      if (!lineId) continue;
      const reason =
        suggestion?.status === 'withdrawn' || !suggestion
          ? `${suggestion?.answeredBy?.name ?? suggestion?.author.name ?? 'The reviewer'} withdrew the suggestion while you were writing your dispute.`
          : `The suggestion was ${suggestion.status} elsewhere while you were writing your dispute.`;
      byLine.set(lineId, [
        ...(byLine.get(lineId) ?? []),
        { target, suggestionId, text: draft.text, reason },
      ]);
    }
    return byLine;
  });

  /** Per line: comments in its threads, and whether any thread is unresolved. */
  private readonly commentsByLine = computed(() => {
    const map = new Map<string, { count: number; open: boolean }>();
    for (const thread of this.encounter().threads) {
      if (!thread.lineId) continue;
      const known = map.get(thread.lineId) ?? { count: 0, open: false };
      map.set(thread.lineId, {
        count: known.count + thread.comments.length,
        open: known.open || !thread.resolved,
      });
    }
    return map;
  });

  /** The fee estimate of each line of the live chart, by line id. */
  private readonly fees = computed(
    () => new Map((this.view.edits()?.fees.lines ?? []).map((fee) => [fee.lineId, fee])),
  );

  /** Others in the room by the line they work on, as the soft lock shows them. */
  private readonly focusers = computed(() => {
    const byLine = new Map<string, Focuser[]>();
    for (const [lineId, members] of this.view.focusByLine())
      byLine.set(
        lineId,
        members.map((m) => ({
          id: m.userId,
          initials: initials(m.name),
          colour: colourOf(m.userId),
          label: `${m.name.split(' ')[0]} is ${WORKING[m.role]} this line`,
        })),
      );
    return byLine;
  });

  /** Every line with what the room knows about it, for its row and its detail. */
  protected readonly rows = computed(() => {
    const form = this.view.form();
    const notices = this.view.lineNotices();
    const fees = this.fees();
    return this.lines().map((line, i): LineRow => {
      const focusers = this.focusers().get(line.id) ?? [];
      const suggestions = this.suggestionsByLine().get(line.id) ?? [];
      const orphans = this.orphanDisputes().get(line.id) ?? [];
      const reviewForm =
        form && form.line.id === line.id && form.kind !== 'edit' ? form.kind : null;
      const notice = notices.get(line.id) ?? null;
      return {
        line,
        number: i + 1,
        focusers,
        comments: this.commentsByLine().get(line.id) ?? null,
        fee: fees.get(line.id) ?? null,
        suggestions,
        orphans,
        reviewForm,
        notice,
        detailed:
          !!line.rationale ||
          !!line.evidence ||
          line.review.state === 'rejected' ||
          (line.origin === 'reviewer' && !!line.review.comment) ||
          suggestions.length > 0 ||
          notice !== null ||
          reviewForm !== null ||
          focusers.length > 0 ||
          orphans.length > 0,
      };
    });
  });

  protected readonly pointerHint = computed(() => {
    const count = this.diagnoses().length;
    return count === 0 ? 'No diagnoses' : count === 1 ? 'A' : `A–${diagnosisLetter(count - 1)}`;
  });

  constructor() {
    effect(() => this.dropFormOfRemovedLine());
    effect(() => this.highlightChangedLines());
    effect(() => this.fillEditForm());
    inject(DestroyRef).onDestroy(() => clearTimeout(this.highlightTimer));
  }

  protected hovered(lineId: string): void {
    if (!this.view.form()) this.view.activeLineId.set(lineId);
  }

  protected startEdit(line: ClaimLine): void {
    if (!this.view.canEditLine(line)) return;
    this.view.openForm('edit', line);
    this.editError.set(null);
    this.rebaseState.set(null);
    this.focusAfterRender('[data-testid="edit-line-code"]');
  }

  protected cancelEdit(): void {
    this.editError.set(null);
    this.rebaseState.set(null);
    this.view.closeForm();
  }

  /** Settles one conflicting field: their value into the draft, or the person's own kept (and saved over theirs). */
  protected choose(conflict: LineConflict, choice: 'theirs' | 'mine'): void {
    const state = this.rebase();
    const form = this.view.form();
    if (!state || form?.kind !== 'edit') return;
    if (choice === 'theirs')
      this.setEditDraft(takeField(this.editDraft(), conflict.field, lineValues(form.line)));
    const conflicts = state.conflicts.filter((c) => c.field !== conflict.field);
    this.rebaseState.set({ ...state, conflicts });
    if (!conflicts.length && this.editError()?.startsWith('Choose')) this.editError.set(null);
  }

  protected async saveEdit(): Promise<void> {
    const form = this.view.form();
    if (form?.kind !== 'edit' || this.saving()) return;
    const pending = this.rebase()?.conflicts ?? [];
    if (pending.length) {
      this.editError.set(
        `Choose theirs or yours for ${pending.map((c) => LINE_FIELD_LABELS[c.field]).join(' and ')} before saving, so nobody's change is overwritten unasked.`,
      );
      return;
    }
    const { note, ...fields } = this.editForm.getRawValue();
    const parsed = parseDraft(fields);
    if (!parsed.ok) {
      this.editError.set(parsed.message);
      return;
    }
    const original = form.line;
    const patch = {
      ...linePatch(original, parsed.line),
      ...(note.trim() !== original.rationale ? { rationale: note.trim() } : {}),
      ...(JSON.stringify(this.view.editEvidence()) !== JSON.stringify(original.evidence)
        ? { evidence: this.view.editEvidence() }
        : {}),
    };
    if (Object.keys(patch).length === 0) {
      this.cancelEdit();
      return;
    }
    this.saving.set(true);
    try {
      await this.room.updateLine(original.id, patch, form.seen);
      this.editError.set(null);
      this.rebaseState.set(null);
      this.view.closeForm();
    } catch (error) {
      this.editError.set(this.view.refusalMessage(error));
      // Keep the draft, rebased on the line as it is now: a retry is made against that line.
      const encounter = this.room.encounter();
      const now = encounter?.lines.find((l) => l.id === original.id);
      if (!encounter || !now) {
        this.view.closeForm();
        return;
      }
      this.rebaseOn(
        form.opened,
        original,
        now,
        this.changedBy(error, encounter, original.id, form.seen),
      );
      this.view.form.set({ ...form, line: now, seen: encounter.version });
    } finally {
      this.saving.set(false);
    }
  }

  /**
   * Three-way merge of the draft (base: the line editing started from, theirs: the line now):
   * their changes to fields the person left alone come in; fields both changed wait for a choice.
   */
  private rebaseOn(opened: number, base: ClaimLine, now: ClaimLine, who: string): void {
    const rebase = rebaseLineDraft(base, now, this.editDraft());
    this.setEditDraft(rebase.draft);
    const earlier = this.rebase();
    // A field still undecided from an earlier conflict stays undecided.
    const conflicts = [
      ...rebase.conflicts,
      ...(earlier?.conflicts ?? []).filter(
        (c) => !rebase.conflicts.some((n) => n.field === c.field),
      ),
    ];
    const taken = [
      ...(earlier?.taken ?? []).filter((t) => !rebase.taken.some((n) => n.field === t.field)),
      ...rebase.taken,
    ];
    this.rebaseState.set(
      taken.length || conflicts.length ? { opened, who, taken, conflicts } : null,
    );
  }

  private changedBy(error: unknown, encounter: Encounter, lineId: string, seen: number): string {
    const actor =
      error instanceof ConflictError && error.changedBy
        ? error.changedBy.actor
        : lastChangeOf(this.room.recentEvents(), encounter, { kind: 'line', lineId }, seen)?.actor;
    if (!actor) return 'Someone';
    return actor.id === this.view.user()?.id ? 'You (in another window)' : actor.name;
  }

  private editDraft(): LineEditDraft {
    return { ...this.editForm.getRawValue(), evidence: this.view.editEvidence() };
  }

  private setEditDraft(draft: LineEditDraft): void {
    const { evidence, ...fields } = draft;
    this.editForm.setValue(fields);
    this.view.editEvidence.set(evidence);
  }

  /** Enter in a line field: save the edit, or add the new line. */
  protected submitDraft(kind: 'edit' | 'new'): void {
    void (kind === 'edit' ? this.saveEdit() : this.addLine());
  }

  protected async addLine(): Promise<void> {
    const mode = this.addMode();
    if (this.adding() || !mode) return;
    const { note, ...fields } = this.newForm.getRawValue();
    const parsed = parseDraft(fields);
    if (!parsed.ok) {
      this.newError.set(parsed.message);
      return;
    }
    this.adding.set(true);
    try {
      const line = { ...parsed.line, evidence: this.view.newLineEvidence() };
      if (mode === 'line') await this.room.addLine({ ...line, rationale: note.trim() });
      else await this.room.addMissedLine(line, note.trim());
      this.newForm.setValue({ ...EMPTY_DRAFT, note: '' });
      this.view.newLineEvidence.set(null);
      this.newError.set(null);
    } catch (error) {
      this.newError.set(this.view.refusalMessage(error));
      this.notifier.error(error);
    } finally {
      this.adding.set(false);
      this.focusAfterRender('[data-testid="new-line-code"]');
    }
  }

  /** Fills the edit row when an edit opens; a form carried over a conflict keeps what was typed. */
  private fillEditForm(): void {
    const form = this.view.form();
    if (form?.kind !== 'edit' || form.opened === this.filledFor) return;
    this.filledFor = form.opened;
    untracked(() => this.editForm.reset({ ...draftOf(form.line), note: form.line.rationale }));
  }
  private filledFor = 0;

  private dropFormOfRemovedLine(): void {
    const form = this.view.form();
    if (form && !this.lines().some((line) => line.id === form.line.id)) {
      untracked(() => {
        this.view.form.set(null);
        this.notifier.info('The line you were working on was removed by someone else.');
      });
    }
  }

  /** Flashes lines a live change touched; not when switching between history and live. */
  private highlightChangedLines(): void {
    const current = new Map(this.lines().map((line) => [line.id, JSON.stringify(line)]));
    const viewing = this.view.history()?.seq ?? null;
    const seen = this.seenLines;
    const switched = viewing !== this.seenViewing;
    this.seenLines = current;
    this.seenViewing = viewing;
    if (!seen || switched || viewing !== null) return;
    const changed = [...current].filter(([id, value]) => seen.get(id) !== value).map(([id]) => id);
    if (changed.length === 0) return;
    untracked(() => this.highlighted.set(new Set(changed)));
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => this.highlighted.set(new Set()), 1600);
  }

  private focusAfterRender(selector: string): void {
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>(selector)?.focus(), {
      injector: this.injector,
    });
  }
}

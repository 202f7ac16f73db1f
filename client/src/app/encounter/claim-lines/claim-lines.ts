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
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  CORRECTION_CATEGORY_LABELS,
  diagnosisLetter,
  formatIcd10Cm,
  initials,
  type ClaimLine,
  type CodeSystem,
  type Encounter,
  type FeeLine,
  type Finding,
  type PresenceMember,
  type Suggestion,
} from '@countersign/shared';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { CodeTypeahead } from '../../core/catalog/code-typeahead';
import { Notifier } from '../../core/errors/notifier';
import { LiveRoom } from '../../core/realtime/live-room';
import { feeBasis, formatDollars } from '../fee-summary/money';
import { ruleTitle } from '../findings-panel/findings';
import { colourOf } from '../presence-avatars/presence-avatars';
import { ReviewForm } from '../review-form/review-form';
import { RoomView } from '../room-view';
import { SuggestionCard } from '../suggestion-card/suggestion-card';
import { EMPTY_DRAFT, draftOf, linePatch, parseDraft, type ClaimLineDraft } from './claim-line-form';

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
  imports: [NgTemplateOutlet, ReactiveFormsModule, MatAutocompleteModule, CodeTypeahead, MatButtonModule, MatIconModule, MatTooltipModule, ReviewForm, SuggestionCard],
  templateUrl: './claim-lines.html',
  styleUrl: './claim-lines.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClaimLines {
  private readonly room = inject(LiveRoom);
  protected readonly view = inject(RoomView);
  private readonly catalog = inject(CatalogLookup);
  private readonly notifier = inject(Notifier);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  /** The chart shown: live, or as it stood at a history event. */
  readonly encounter = input.required<Encounter>();

  protected readonly lines = computed(() => this.encounter().lines);
  protected readonly diagnoses = computed(() => this.encounter().diagnoses);
  protected readonly categoryLabels = CORRECTION_CATEGORY_LABELS;
  protected readonly procedureSystems: readonly CodeSystem[] = ['CPT', 'HCPCS'];
  protected readonly inReview = computed(() => this.encounter().status !== 'draft');

  protected readonly editForm = draftForm(EMPTY_DRAFT);
  protected readonly editError = signal<string | null>(null);
  protected readonly saving = signal(false);

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
  protected readonly editingId = computed(() => (this.view.form()?.kind === 'edit' ? this.view.form()!.line.id : null));
  protected readonly editingChanged = computed(() => {
    const form = this.view.form();
    if (form?.kind !== 'edit') return false;
    const now = this.lines().find((l) => l.id === form.line.id);
    return !!now && JSON.stringify(now) !== JSON.stringify(form.line);
  });

  /** Per line: its suggestions worth showing (open and disputed in full, accepted briefly). */
  protected readonly suggestionsByLine = computed(() => {
    const map = new Map<string, Suggestion[]>();
    for (const s of this.encounter().suggestions) {
      if (s.status === 'withdrawn') continue;
      map.set(s.lineId, [...(map.get(s.lineId) ?? []), s]);
    }
    return map;
  });

  /** Per line: comments in its threads, and whether any thread is unresolved. */
  protected readonly commentsByLine = computed(() => {
    const map = new Map<string, { comments: number; open: boolean }>();
    for (const thread of this.encounter().threads) {
      if (!thread.lineId) continue;
      const known = map.get(thread.lineId) ?? { comments: 0, open: false };
      map.set(thread.lineId, { comments: known.comments + thread.comments.length, open: known.open || !thread.resolved });
    }
    return map;
  });

  /** The fee estimate of each line of the live chart, by line id. */
  private readonly fees = computed(() => new Map((this.view.edits()?.fees.lines ?? []).map((fee) => [fee.lineId, fee])));

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

  protected description(code: string): string {
    return this.catalog.find(code, ['CPT', 'HCPCS'])?.shortDescription ?? '';
  }

  protected feeOf(line: ClaimLine): FeeLine | null {
    return this.fees().get(line.id) ?? null;
  }

  protected money(amount: number): string {
    return formatDollars(amount);
  }

  protected feeDetail(fee: FeeLine): string {
    return feeBasis(fee);
  }

  /** The tooltip of a line's finding marker: each finding's rule title. */
  protected markerText(findings: readonly Finding[]): string {
    return findings.map((f) => `${f.severity === 'error' ? 'Error' : 'Warning'}: ${ruleTitle(f)}`).join('\n');
  }

  protected modifierDescription(modifier: string): string {
    return this.catalog.find(modifier, ['MODIFIER'])?.shortDescription ?? `Modifier ${modifier}`;
  }

  protected pointerDescription(letter: string): string {
    const index = letter.charCodeAt(0) - 'A'.charCodeAt(0);
    const code = this.diagnoses()[index];
    if (!code) return `Diagnosis ${letter} does not exist`;
    const description = this.catalog.find(code, ['ICD10CM'])?.shortDescription;
    return `${letter}: ${formatIcd10Cm(code)}${description ? ` ${description}` : ''}`;
  }

  protected focusers(line: ClaimLine): Array<{ id: string; initials: string; colour: string; label: string }> {
    return (this.view.focusByLine().get(line.id) ?? []).map((m) => ({
      id: m.userId,
      initials: initials(m.name),
      colour: colourOf(m.userId),
      label: `${m.name.split(' ')[0]} is ${WORKING[m.role]} this line`,
    }));
  }

  protected reviewForm(line: ClaimLine): 'suggest' | 'reject' | null {
    const form = this.view.form();
    return form && form.line.id === line.id && form.kind !== 'edit' ? form.kind : null;
  }

  protected hovered(line: ClaimLine): void {
    if (!this.view.form()) this.view.activeLineId.set(line.id);
  }

  protected rowKeydown(event: Event, line: ClaimLine): void {
    // Only the row itself, not Enter on one of its buttons.
    if (event.target === event.currentTarget && this.view.can('line.edit')) this.startEdit(line);
  }

  protected startEdit(line: ClaimLine): void {
    if (!this.view.can('line.edit')) return;
    this.view.openForm('edit', line);
    this.editError.set(null);
    this.focusAfterRender('[data-testid="edit-line-code"]');
  }

  protected cancelEdit(): void {
    this.editError.set(null);
    this.view.closeForm();
  }

  protected async saveEdit(): Promise<void> {
    const form = this.view.form();
    if (form?.kind !== 'edit' || this.saving()) return;
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
      ...(JSON.stringify(this.view.editEvidence()) !== JSON.stringify(original.evidence) ? { evidence: this.view.editEvidence() } : {}),
    };
    if (Object.keys(patch).length === 0) {
      this.cancelEdit();
      return;
    }
    this.saving.set(true);
    try {
      await this.room.updateLine(original.id, patch, form.seen);
      this.editError.set(null);
      this.view.closeForm();
    } catch (error) {
      this.editError.set(this.view.refusalMessage(error));
      // Keep the draft; a retry is made against the line as it is now.
      const now = this.room.encounter()?.lines.find((l) => l.id === original.id);
      if (now) this.view.form.set({ ...form, line: now, seen: this.room.encounter()!.version });
      else this.view.closeForm();
    } finally {
      this.saving.set(false);
    }
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
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>(selector)?.focus(), { injector: this.injector });
  }
}

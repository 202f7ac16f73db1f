import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import {
  CORRECTION_CATEGORIES,
  CORRECTION_CATEGORY_LABELS,
  type ClaimLine,
  type CodeSystem,
  type CorrectionCategory,
  type Precedent,
} from '@countersign/shared';
import { catchError, debounceTime, distinctUntilChanged, from, map, of, switchMap } from 'rxjs';
import { CodeTypeahead } from '../../core/catalog/code-typeahead';
import { LiveRoom } from '../../core/realtime/live-room';
import {
  SUGGEST_CATEGORIES,
  draftOf,
  guessCategory,
  linePatch,
  parseDraft,
  type SuggestCategory,
} from '../claim-lines/claim-line-form';
import { rebaseLineDraft } from '../claim-lines/line-rebase';
import { RoomView } from '../room-view';
import { PrecedentsApi, codesPhrase } from '../../precedents/precedents-api';

/** How long typing in "Cite a precedent" pauses before the library is asked. */
const PRECEDENT_TYPEAHEAD_MS = 200;

/** The precedent number a "Cite a precedent" field holds ("12", "#12"), null when empty, NaN when not a number. */
export function citedNumber(value: string): number | null {
  const text = value.trim().replace(/^#/, '');
  if (!text) return null;
  return /^\d{1,9}$/.test(text) ? Number(text) : NaN;
}

const REJECT_CATEGORIES = CORRECTION_CATEGORIES.filter((c) => c !== 'missed-code');

/**
 * The reviewer's form on one line: suggest a correction (changed code, modifiers, units or
 * pointers, a category and a comment) or reject the line (a category and a comment). Sent
 * against the version the form opened at, so a change made meanwhile comes back as a conflict.
 */
@Component({
  selector: 'cs-review-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatAutocompleteModule, CodeTypeahead],
  templateUrl: './review-form.html',
  styleUrl: './review-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReviewForm {
  private readonly room = inject(LiveRoom);
  protected readonly view = inject(RoomView);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly kind = input.required<'suggest' | 'reject'>();
  readonly line = input.required<ClaimLine>();
  readonly diagnosisCount = input(0);

  protected readonly labels = CORRECTION_CATEGORY_LABELS;
  protected readonly procedureSystems: readonly CodeSystem[] = ['CPT', 'HCPCS'];
  protected readonly suggestCategories = SUGGEST_CATEGORIES;
  protected readonly rejectCategories = REJECT_CATEGORIES;
  protected readonly form = new FormGroup({
    code: new FormControl('', { nonNullable: true }),
    modifiers: new FormControl('', { nonNullable: true }),
    units: new FormControl<number | null>(1),
    pointers: new FormControl('', { nonNullable: true }),
    category: new FormControl<CorrectionCategory | ''>('', { nonNullable: true }),
    comment: new FormControl('', { nonNullable: true }),
    precedent: new FormControl('', { nonNullable: true }),
  });
  private readonly precedents = inject(PrecedentsApi);
  protected readonly codesPhrase = codesPhrase;
  /** Active precedents matching what is typed in "Cite a precedent" (number, code or words). */
  protected readonly precedentOptions = toSignal(
    this.form.controls.precedent.valueChanges.pipe(
      debounceTime(PRECEDENT_TYPEAHEAD_MS),
      map((value) => value.trim().replace(/^#/, '')),
      distinctUntilChanged(),
      switchMap((q) =>
        from(this.precedents.search({ q, status: 'active', pageSize: '8' })).pipe(
          map((page): readonly Precedent[] => page.items),
          catchError(() => of([] as readonly Precedent[])),
        ),
      ),
    ),
    { initialValue: [] as readonly Precedent[] },
  );
  protected readonly error = signal<string | null>(null);
  protected readonly sending = signal(false);

  constructor() {
    effect(() => {
      const kind = this.kind();
      const form = this.view.form();
      untracked(() => this.reset(kind, form?.line ?? this.line()));
    });
  }

  /** Picks a category from what changed until the reviewer chooses one. */
  protected fieldsChanged(): void {
    if (this.kind() !== 'suggest' || this.form.controls.category.dirty) return;
    const { category: _c, comment: _m, precedent: _p, ...fields } = this.form.getRawValue();
    const parsed = parseDraft(fields);
    if (parsed.ok) this.form.controls.category.setValue(guessCategory(this.line(), parsed.line));
  }

  protected cancel(): void {
    this.view.closeForm();
  }

  protected async submit(): Promise<void> {
    const form = this.view.form();
    if (this.sending() || !form) return;
    const { category, comment, precedent, ...fields } = this.form.getRawValue();
    if (!category) return this.fail('Pick a category.');
    if (this.kind() === 'reject') {
      if (!comment.trim()) return this.fail('Say why in a comment.');
      return this.send(() =>
        this.room.rejectLine(form.line.id, category, comment.trim(), form.seen),
      );
    }
    const parsed = parseDraft(fields);
    if (!parsed.ok) return this.fail(parsed.message);
    const cited = citedNumber(precedent);
    if (Number.isNaN(cited))
      return this.fail('Pick a precedent from the list, or type its number.');
    const patch = linePatch(form.line, parsed.line);
    if (!patch)
      return this.fail('Change the code, modifiers, units or pointers to suggest a correction.');
    return this.send(() =>
      this.room.suggest(
        form.line.id,
        patch,
        category as SuggestCategory,
        comment.trim(),
        form.seen,
        cited ?? undefined,
      ),
    );
  }

  private async send(command: () => Promise<unknown>): Promise<void> {
    this.sending.set(true);
    this.error.set(null);
    try {
      await command();
      this.view.closeForm();
    } catch (error) {
      this.error.set(this.view.refusalMessage(error));
      // Keep what the reviewer typed, rebased on the line as it is now (fields only the other
      // side changed take their value, so a suggestion does not quietly propose undoing them);
      // a retry is made against that line.
      const form = this.view.form();
      const now = this.room.encounter();
      const line = now?.lines.find((l) => l.id === form?.line.id);
      if (form && now && line) {
        if (this.kind() === 'suggest') this.rebaseFields(form.line, line);
        this.view.form.set({ ...form, line, seen: now.version });
      }
    } finally {
      this.sending.set(false);
    }
  }

  private rebaseFields(base: ClaimLine, now: ClaimLine): void {
    const { code, modifiers, units, pointers } = this.form.getRawValue();
    const { draft } = rebaseLineDraft(base, now, {
      code,
      modifiers,
      units,
      pointers,
      note: base.rationale,
      evidence: base.evidence,
    });
    this.form.patchValue({
      code: draft.code,
      modifiers: draft.modifiers,
      units: draft.units,
      pointers: draft.pointers,
    });
  }

  private fail(message: string): void {
    this.error.set(message);
  }

  private reset(kind: 'suggest' | 'reject', line: ClaimLine): void {
    if (this.form.dirty) return;
    this.form.reset({ ...draftOf(line), category: '', comment: '', precedent: '' });
    this.error.set(null);
    afterNextRender(
      () =>
        this.host.nativeElement
          .querySelector<HTMLElement>(kind === 'reject' ? 'select' : 'input')
          ?.focus(),
      {
        injector: this.injector,
      },
    );
  }
}

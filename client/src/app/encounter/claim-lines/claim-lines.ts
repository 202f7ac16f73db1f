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
  viewChild,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { diagnosisLetter, formatIcd10Cm, type ClaimLine } from '@countersign/shared';
import { toApiError } from '../../core/api/api-error';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { Notifier } from '../../core/errors/notifier';
import { LiveRoom } from '../../core/realtime/live-room';
import { EMPTY_DRAFT, draftOf, linePatch, parseDraft, type ClaimLineDraft } from './claim-line-form';

function draftForm(draft: ClaimLineDraft) {
  return new FormGroup({
    code: new FormControl(draft.code, { nonNullable: true }),
    modifiers: new FormControl(draft.modifiers, { nonNullable: true }),
    units: new FormControl<number | null>(draft.units),
    pointers: new FormControl(draft.pointers, { nonNullable: true }),
  });
}

/**
 * The claim lines of the live room: view, inline edit, remove, and a new-line row. Every change
 * is a command to the room; the table changes when the committed event comes back.
 */
@Component({
  selector: 'cs-claim-lines',
  imports: [ReactiveFormsModule, MatButtonModule, MatIconModule, MatTooltipModule],
  templateUrl: './claim-lines.html',
  styleUrl: './claim-lines.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClaimLines {
  private readonly room = inject(LiveRoom);
  private readonly catalog = inject(CatalogLookup);
  private readonly notifier = inject(Notifier);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly lines = input.required<readonly ClaimLine[]>();
  readonly diagnoses = input.required<readonly string[]>();
  /** True while the room is not live: commands would not reach the server. */
  readonly disabled = input(false);

  private readonly newCode = viewChild<ElementRef<HTMLInputElement>>('newCode');

  /** The line being edited, as it stood when editing began. */
  protected readonly editing = signal<ClaimLine | null>(null);
  protected readonly editForm = draftForm(EMPTY_DRAFT);
  protected readonly editError = signal<string | null>(null);
  protected readonly saving = signal(false);

  protected readonly newForm = draftForm(EMPTY_DRAFT);
  protected readonly newError = signal<string | null>(null);
  protected readonly adding = signal(false);
  protected readonly removing = signal<string | null>(null);
  /** Lines that just arrived or changed, highlighted briefly so a live change is noticed. */
  protected readonly highlighted = signal<ReadonlySet<string>>(new Set());
  private seenLines: ReadonlyMap<string, string> | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly pointerHint = computed(() => {
    const count = this.diagnoses().length;
    return count === 0 ? 'No diagnoses' : count === 1 ? 'A' : `A–${diagnosisLetter(count - 1)}`;
  });

  constructor() {
    effect(() => this.dropEditOfRemovedLine());
    effect(() => this.highlightChangedLines());
    inject(DestroyRef).onDestroy(() => clearTimeout(this.highlightTimer));
  }

  protected description(code: string): string {
    return this.catalog.find(code, ['CPT', 'HCPCS'])?.shortDescription ?? '';
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

  protected rowKeydown(event: Event, line: ClaimLine): void {
    // Only the row itself, not Enter on one of its buttons.
    if (event.target === event.currentTarget) this.startEdit(line);
  }

  protected startEdit(line: ClaimLine): void {
    if (this.disabled()) return;
    this.editing.set(line);
    this.editForm.setValue(draftOf(line));
    this.editError.set(null);
    this.focusAfterRender('[data-testid="edit-line-code"]');
  }

  protected cancelEdit(): void {
    const line = this.editing();
    if (!line) return;
    this.editing.set(null);
    this.editError.set(null);
    this.focusAfterRender(`[data-line-id="${line.id}"]`);
  }

  protected async saveEdit(): Promise<void> {
    const original = this.editing();
    if (!original || this.saving()) return;
    const parsed = parseDraft(this.editForm.getRawValue());
    if (!parsed.ok) {
      this.editError.set(parsed.message);
      return;
    }
    const patch = linePatch(original, parsed.line);
    if (!patch) {
      this.cancelEdit();
      return;
    }
    this.saving.set(true);
    try {
      await this.room.updateLine(original.id, patch);
      this.editing.set(null);
      this.editError.set(null);
      this.focusAfterRender(`[data-line-id="${original.id}"]`);
    } catch (error) {
      this.editError.set(toApiError(error).message);
      this.notifier.error(error);
    } finally {
      this.saving.set(false);
    }
  }

  protected async addLine(): Promise<void> {
    if (this.adding()) return;
    const parsed = parseDraft(this.newForm.getRawValue());
    if (!parsed.ok) {
      this.newError.set(parsed.message);
      return;
    }
    this.adding.set(true);
    try {
      await this.room.addLine(parsed.line);
      this.newForm.setValue({ ...EMPTY_DRAFT });
      this.newError.set(null);
    } catch (error) {
      this.newError.set(toApiError(error).message);
      this.notifier.error(error);
    } finally {
      this.adding.set(false);
      this.newCode()?.nativeElement.focus();
    }
  }

  protected async removeLine(line: ClaimLine): Promise<void> {
    if (this.removing()) return;
    this.removing.set(line.id);
    try {
      await this.room.removeLine(line.id);
    } catch (error) {
      this.notifier.error(error);
    } finally {
      this.removing.set(null);
    }
  }

  private dropEditOfRemovedLine(): void {
    const editing = this.editing();
    if (editing && !this.lines().some((line) => line.id === editing.id)) {
      this.editing.set(null);
      this.notifier.info('The line you were editing was removed by someone else.');
    }
  }

  private highlightChangedLines(): void {
    const current = new Map(this.lines().map((line) => [line.id, JSON.stringify(line)]));
    const seen = this.seenLines;
    this.seenLines = current;
    if (!seen) return;
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

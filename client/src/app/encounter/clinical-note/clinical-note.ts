import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { Encounter, Evidence } from '@countersign/shared';
import { RoomView } from '../room-view';
import { evidenceOf, noteOffset, segmentNote, type NoteSpan } from './note-segments';

const DRAFT = 'draft';

/**
 * The clinical note with each line's evidence highlighted. Hovering or focusing a line lights
 * up its evidence and scrolls it into view; clicking a highlight goes to its line. Text the
 * coder selects can be attached as evidence to the new line or the line being edited.
 */
@Component({
  selector: 'cs-clinical-note',
  imports: [MatButtonModule, MatIconModule],
  templateUrl: './clinical-note.html',
  styleUrl: './clinical-note.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:selectionchange)': 'selectionChanged()' },
})
export class ClinicalNote {
  protected readonly view = inject(RoomView);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);
  private readonly text = viewChild.required<ElementRef<HTMLElement>>('text');

  readonly encounter = input.required<Encounter>();

  /** The note in pieces; a piece that is some line's evidence carries what its highlight shows. */
  protected readonly segments = computed(() => {
    const encounter = this.encounter();
    const spans: NoteSpan[] = encounter.lines.flatMap((line) =>
      line.evidence ? [{ lineId: line.id, ...line.evidence }] : [],
    );
    if (!this.view.history()) {
      for (const draft of [this.view.newLineEvidence(), this.view.editEvidence()])
        if (draft) spans.push({ lineId: DRAFT, ...draft });
    }
    const active = this.view.activeLineId();
    return segmentNote(encounter.clinicalNote, spans).map((segment) => ({
      start: segment.start,
      text: segment.text,
      mark: segment.lineIds.length ? this.markOf(segment.lineIds, active) : null,
    }));
  });
  protected readonly lineNumbers = computed(
    () => new Map(this.encounter().lines.map((line, i) => [line.id, i + 1])),
  );

  /** Where a selection can go: the new line, the line being edited, or both. */
  protected readonly targets = computed(() => {
    const targets: Array<{ kind: 'new' | 'edit'; label: string }> = [];
    const form = this.view.form();
    if (form?.kind === 'edit')
      targets.push({
        kind: 'edit',
        label: `Attach to line ${this.lineNumbers().get(form.line.id) ?? ''}`.trim(),
      });
    if (this.view.can('line.add') || this.view.can('review.add-missed'))
      targets.push({ kind: 'new', label: 'Attach to new line' });
    return targets;
  });

  constructor() {
    effect(() => this.revealActive());
  }

  private markOf(lineIds: readonly string[], active: string | null) {
    const numbers = lineIds.filter((id) => id !== DRAFT).map((id) => this.lineNumbers().get(id));
    return {
      active: !!active && lineIds.includes(active),
      draft: lineIds.includes(DRAFT),
      /** The line a click goes to: the first real one (a draft's highlight goes nowhere). */
      lineId: lineIds.find((id) => id !== DRAFT) ?? null,
      label: numbers.length
        ? `Evidence for line ${numbers.join(', ')}`
        : 'Evidence you are attaching',
    };
  }

  protected goToLine(lineId: string | null): void {
    if (lineId) this.view.focusLine(lineId);
  }

  protected attach(target: 'new' | 'edit'): void {
    const selection = this.view.noteSelection();
    if (!selection) return;
    (target === 'new' ? this.view.newLineEvidence : this.view.editEvidence).set(selection);
    this.document.getSelection()?.removeAllRanges();
    this.view.noteSelection.set(null);
  }

  protected selectionChanged(): void {
    this.view.noteSelection.set(this.readSelection());
  }

  private readSelection(): Evidence | null {
    const selection = this.document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const root = this.text().nativeElement;
    const range = selection.getRangeAt(0);
    const start = noteOffset(root, range.startContainer, range.startOffset);
    const end = noteOffset(root, range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    return evidenceOf(this.encounter().clinicalNote, start, end);
  }

  private revealActive(): void {
    if (!this.view.activeLineId()) return;
    afterNextRender(
      () => {
        const mark = this.text().nativeElement.querySelector<HTMLElement>('.mark--active');
        mark?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
      },
      { injector: this.injector },
    );
  }
}

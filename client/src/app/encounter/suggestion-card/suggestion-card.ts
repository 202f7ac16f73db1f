import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import {
  CORRECTION_CATEGORY_LABELS,
  type DisputeDecision,
  type ProposedLine,
  type Suggestion,
} from '@countersign/shared';
import { firstValueFrom } from 'rxjs';
import { LiveRoom } from '../../core/realtime/live-room';
import { DraftStore, draftTargets, type DraftRef } from '../drafts/draft-store';
import { ReasonDialog, type ReasonDialogData } from '../reason-dialog/reason-dialog';
import { RoomView } from '../room-view';

/** One changed field of a suggestion: old -> new. */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const NONE = '—';

/** The fields a suggestion changes, as the diff shows them. */
export function suggestionDiff(before: ProposedLine, after: ProposedLine): FieldChange[] {
  const changes: FieldChange[] = [];
  const list = (items: readonly string[]) => (items.length ? items.join(', ') : NONE);
  if (before.code !== after.code)
    changes.push({ field: 'Code', before: before.code, after: after.code });
  if (list(before.modifiers) !== list(after.modifiers))
    changes.push({
      field: 'Modifiers',
      before: list(before.modifiers),
      after: list(after.modifiers),
    });
  if (before.units !== after.units)
    changes.push({ field: 'Units', before: String(before.units), after: String(after.units) });
  if (list(before.pointers) !== list(after.pointers))
    changes.push({ field: 'Pointers', before: list(before.pointers), after: list(after.pointers) });
  return changes;
}

const STATUS_LABELS: Readonly<Record<Suggestion['status'], string>> = {
  open: 'Waiting for the coder',
  accepted: 'Accepted',
  disputed: 'Disputed',
  withdrawn: 'Withdrawn',
  escalated: 'Waiting for a supervisor',
  upheld: 'Upheld',
  overruled: 'Coder’s line kept',
};

/** The reason dialog of each decision a supervisor can make. */
const DECISIONS: Readonly<Record<DisputeDecision, Omit<ReasonDialogData, 'draft'>>> = {
  uphold: {
    title: 'Uphold the suggestion',
    prompt:
      'Why does the suggestion stand? The coder and the reviewer read this, and it is kept as a precedent.',
    confirm: 'Uphold suggestion',
  },
  overrule: {
    title: 'Keep the coder’s line',
    prompt:
      'Why does the coder’s line stand? The coder and the reviewer read this, and it is kept as a precedent.',
    confirm: 'Keep the coder’s line',
  },
};

/**
 * A reviewer's suggestion on its line, as a diff (old -> new per changed field) with its
 * category, comment and author. The coder accepts or disputes it (a dispute opens a thread);
 * a dispute is accepted after all, withdrawn by the reviewer, or escalated by either to a
 * supervisor, who upholds it or keeps the coder's line with a reason. Buttons show only for
 * whoever the policy lets use them.
 */
@Component({
  selector: 'cs-suggestion-card',
  imports: [ReactiveFormsModule, MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './suggestion-card.html',
  styleUrl: './suggestion-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SuggestionCard {
  private readonly room = inject(LiveRoom);
  protected readonly view = inject(RoomView);
  private readonly drafts = inject(DraftStore);
  private readonly dialog = inject(MatDialog);

  readonly suggestion = input.required<Suggestion>();
  /** Where the unsent dispute is kept: it outlives this card (a withdrawal, a re-render, a reload). */
  private readonly draftRef = computed<DraftRef | null>(() => {
    const encounterId = this.view.live()?.id;
    return encounterId ? { encounterId, target: draftTargets.dispute(this.suggestion().id) } : null;
  });

  protected readonly changes = computed(() =>
    suggestionDiff(this.suggestion().before, this.suggestion().proposed),
  );
  protected readonly category = computed(
    () => CORRECTION_CATEGORY_LABELS[this.suggestion().category],
  );
  protected readonly statusLabel = computed(() => STATUS_LABELS[this.suggestion().status]);
  private readonly status = computed(() => this.suggestion().status);
  protected readonly canAnswer = computed(
    () => this.status() === 'open' && this.view.can('suggestion.answer'),
  );
  /** A disputed suggestion can still be accepted by the coder: that settles the dispute. */
  protected readonly canAccept = computed(
    () =>
      (this.status() === 'open' || this.status() === 'disputed') &&
      this.view.can('suggestion.answer'),
  );
  protected readonly canWithdraw = computed(
    () =>
      (this.status() === 'open' || this.status() === 'disputed') &&
      this.view.can('suggestion.withdraw'),
  );
  protected readonly canEscalate = computed(
    () => this.status() === 'disputed' && this.view.can('suggestion.escalate'),
  );
  protected readonly canDecide = computed(
    () => this.status() === 'escalated' && this.view.can('suggestion.decide'),
  );
  protected readonly hasActions = computed(
    () => this.canAccept() || this.canWithdraw() || this.canEscalate() || this.canDecide(),
  );
  protected readonly disputing = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly disputeComment = new FormControl('', { nonNullable: true });

  constructor() {
    // A dispute being written comes back with its text when the card appears again.
    effect(() => {
      const ref = this.draftRef();
      const open = this.suggestion().status === 'open';
      untracked(() => {
        const kept = ref && open ? this.drafts.get(ref) : null;
        if (!kept || this.disputing()) return;
        this.disputeComment.setValue(kept.text, { emitEvent: false });
        this.disputing.set(true);
      });
    });
    this.disputeComment.valueChanges.pipe(takeUntilDestroyed()).subscribe((text) => {
      const ref = this.draftRef();
      if (ref && this.disputing()) this.drafts.save(ref, text, this.suggestion().lineId);
    });
  }

  protected async accept(): Promise<void> {
    await this.send(() => this.room.answerSuggestion(this.suggestion().id, 'accept'));
  }

  protected startDispute(): void {
    this.disputing.set(true);
    this.error.set(null);
  }

  protected async dispute(): Promise<void> {
    const comment = this.disputeComment.value.trim();
    if (!comment) {
      this.error.set('Say why you dispute it: your comment opens a thread with the reviewer.');
      return;
    }
    if (
      await this.send(() => this.room.answerSuggestion(this.suggestion().id, 'dispute', comment))
    ) {
      this.disputing.set(false);
      this.forgetDispute();
    }
  }

  /** Cancel: the person throws the dispute away. */
  protected cancelDispute(): void {
    this.disputing.set(false);
    this.forgetDispute();
  }

  private forgetDispute(): void {
    this.disputeComment.setValue('', { emitEvent: false });
    const ref = this.draftRef();
    if (ref) this.drafts.discard(ref);
  }

  protected async withdraw(): Promise<void> {
    await this.send(() => this.room.withdrawSuggestion(this.suggestion().id));
  }

  /** Sends the dispute to a supervisor, with why if the person says (closing the dialog sends nothing). */
  protected async escalate(): Promise<void> {
    const draft = this.reasonDraft('escalate');
    const comment = await this.askReason({
      title: 'Escalate to a supervisor',
      prompt: 'Why should a supervisor decide? (optional)',
      confirm: 'Escalate',
      required: false,
      draft,
    });
    if (comment === undefined) return;
    if (await this.send(() => this.room.escalateSuggestion(this.suggestion().id, comment)))
      this.forgetReason(draft);
  }

  protected async decide(decision: DisputeDecision): Promise<void> {
    const draft = this.reasonDraft(decision);
    const reason = await this.askReason({ ...DECISIONS[decision], draft });
    if (!reason) return;
    if (await this.send(() => this.room.decideSuggestion(this.suggestion().id, decision, reason)))
      this.forgetReason(draft);
  }

  private askReason(data: ReasonDialogData): Promise<string | undefined> {
    return firstValueFrom(
      this.dialog
        .open<ReasonDialog, ReasonDialogData, string>(ReasonDialog, { data, width: '460px' })
        .afterClosed(),
      { defaultValue: undefined },
    );
  }

  private reasonDraft(what: string): DraftRef | null {
    const encounterId = this.view.live()?.id;
    return encounterId
      ? { encounterId, target: draftTargets.reason(`${what}:${this.suggestion().id}`) }
      : null;
  }

  private forgetReason(draft: DraftRef | null): void {
    if (draft) this.drafts.discard(draft);
  }

  protected openThread(): void {
    this.view.openThreads(this.suggestion().lineId);
  }

  private async send(command: () => Promise<unknown>): Promise<boolean> {
    if (this.busy()) return false;
    this.busy.set(true);
    this.error.set(null);
    try {
      await command();
      return true;
    } catch (error) {
      this.error.set(this.view.refusalMessage(error));
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}

import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { TeamMember } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { TeamDirectory } from '../../core/team/team-directory';
import { DraftStore, type DraftRef } from '../drafts/draft-store';
import { mentionCandidates, mentionQuery, mentionedIds } from './mentions';

/** What a comment box sends: the text and the ids of the teammates it @mentions. */
export interface CommentDraft {
  body: string;
  mentions: string[];
}

/**
 * A comment field with @mention autocomplete from the team: type `@` and a few letters, pick
 * with the arrows and Enter (or a click). Ctrl+Enter sends. Keeps the text when sending fails,
 * and, given a `draft`, in the draft store until it is sent: a dropped connection, a re-render
 * or a reload brings it back. While `disabled` (not connected) the field stays editable and
 * only sending waits.
 */
@Component({
  selector: 'cs-comment-box',
  imports: [MatButtonModule],
  templateUrl: './comment-box.html',
  styleUrl: './comment-box.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CommentBox {
  private readonly team = inject(TeamDirectory);
  private readonly auth = inject(AuthService);
  private readonly drafts = inject(DraftStore);
  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');

  readonly placeholder = input('Write a comment… @ to mention');
  readonly action = input('Comment');
  /** Sending is not possible now (not connected): the text can still be written. */
  readonly disabled = input(false);
  /** Where the unsent text is kept; null: only in the field. */
  readonly draft = input<DraftRef | null>(null);
  /** Sends the draft; resolves true when it was taken, so the field clears. */
  readonly send = input.required<(draft: CommentDraft) => Promise<boolean>>();

  protected readonly text = signal('');
  private readonly query = signal<{ start: number; query: string } | null>(null);
  protected readonly candidates = computed(() => {
    const q = this.query();
    return q ? mentionCandidates(this.team.members(), q.query, this.auth.user()?.id ?? null) : [];
  });
  protected readonly highlighted = signal(0);
  protected readonly sending = signal(false);
  protected readonly listId = `mentions-${Math.random().toString(36).slice(2, 8)}`;

  constructor() {
    void this.team.ensure();
    // The kept draft fills the field when the box appears (again) for its target.
    effect(() => {
      const ref = this.draft();
      untracked(() => {
        if (ref) this.text.set(this.drafts.get(ref)?.text ?? '');
      });
    });
  }

  /** Puts the caret in the field. */
  focus(): void {
    this.field().nativeElement.focus();
  }

  protected typed(): void {
    const field = this.field().nativeElement;
    this.setText(field.value);
    this.query.set(mentionQuery(field.value, field.selectionStart ?? field.value.length));
    this.highlighted.set(0);
  }

  protected keydown(event: KeyboardEvent): void {
    const candidates = this.candidates();
    if (candidates.length) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.highlighted.set((this.highlighted() + step + candidates.length) % candidates.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.pick(candidates[this.highlighted()]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.query.set(null);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.submit();
    }
    // Esc leaves the field, so the next Esc (a page shortcut) closes the panel.
    if (event.key === 'Escape') this.field().nativeElement.blur();
  }

  protected pick(member: TeamMember): void {
    const q = this.query();
    const field = this.field().nativeElement;
    if (!q) return;
    const caret = q.start + 1 + q.query.length;
    const inserted = `@${member.name} `;
    field.value = field.value.slice(0, q.start) + inserted + field.value.slice(caret);
    const at = q.start + inserted.length;
    field.setSelectionRange(at, at);
    field.focus();
    this.setText(field.value);
    this.query.set(null);
  }

  protected async submit(): Promise<void> {
    const body = this.text().trim();
    if (!body || this.sending() || this.disabled()) return;
    this.sending.set(true);
    try {
      if (await this.send()({ body, mentions: mentionedIds(body, this.team.members()) })) {
        this.field().nativeElement.value = '';
        this.text.set('');
        const ref = this.draft();
        if (ref) this.drafts.discard(ref);
      }
    } finally {
      this.sending.set(false);
    }
  }

  private setText(value: string): void {
    this.text.set(value);
    const ref = this.draft();
    if (ref) this.drafts.save(ref, value);
  }
}

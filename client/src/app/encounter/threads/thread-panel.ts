import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { initials, type Comment, type Encounter, type Thread } from '@countersign/shared';
import { Notifier } from '../../core/errors/notifier';
import { LiveRoom } from '../../core/realtime/live-room';
import { TeamDirectory } from '../../core/team/team-directory';
import { colourOf } from '../presence-avatars/presence-avatars';
import { draftTargets, type DraftRef } from '../drafts/draft-store';
import { RoomView } from '../room-view';
import { CommentBox, type CommentDraft } from './comment-box';
import { mentionParts } from './mentions';

/**
 * The comment threads on one line, or on the whole chart: read, reply, start a thread,
 * @mention a teammate, resolve and reopen. A dispute of a suggestion is a thread of its line.
 */
@Component({
  selector: 'cs-thread-panel',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatTooltipModule, CommentBox],
  templateUrl: './thread-panel.html',
  styleUrl: './thread-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ThreadPanel {
  private readonly room = inject(LiveRoom);
  private readonly team = inject(TeamDirectory);
  private readonly notifier = inject(Notifier);
  protected readonly view = inject(RoomView);

  readonly encounter = input.required<Encounter>();
  /** The line whose threads to show; null: the chart's own discussion. */
  readonly lineId = input<string | null>(null);

  protected readonly line = computed(() => {
    const id = this.lineId();
    const index = this.encounter().lines.findIndex((l) => l.id === id);
    return index < 0 ? null : { n: index + 1, line: this.encounter().lines[index]! };
  });
  protected readonly title = computed(() => {
    const line = this.line();
    return line ? `Line ${line.n} · ${line.line.code}` : 'Chart discussion';
  });
  protected readonly threads = computed(() =>
    this.encounter().threads.filter((t) => t.lineId === this.lineId()),
  );
  protected readonly busy = signal<string | null>(null);
  /** Where the unsent text of a new thread here is kept. */
  protected readonly newThreadDraft = computed<DraftRef>(() => ({
    encounterId: this.encounter().id,
    target: draftTargets.newThread(this.lineId()),
  }));
  /** Where each thread's unsent reply is kept (one object per thread, so the boxes keep theirs). */
  private readonly replyDrafts = computed(() => {
    const encounterId = this.encounter().id;
    return new Map(
      this.threads().map((t) => [
        t.id,
        { encounterId, target: draftTargets.reply(t.id) } satisfies DraftRef,
      ]),
    );
  });
  private readonly newComment = viewChild<CommentBox>('newComment');
  private readonly injector = inject(Injector);

  constructor() {
    // Opening the comments of a line (c, or its comment button) puts the caret where a comment starts.
    effect(() => {
      this.lineId();
      afterNextRender(() => this.newComment()?.focus(), { injector: this.injector });
    });
  }

  protected readonly startThread = (draft: CommentDraft): Promise<boolean> =>
    this.post(() =>
      this.room.comment({ lineId: this.lineId(), body: draft.body, mentions: draft.mentions }),
    );

  protected reply(thread: Thread): (draft: CommentDraft) => Promise<boolean> {
    return (draft) =>
      this.post(() =>
        this.room.comment({
          threadId: thread.id,
          lineId: thread.lineId,
          body: draft.body,
          mentions: draft.mentions,
        }),
      );
  }

  protected replyDraft(thread: Thread): DraftRef | null {
    return this.replyDrafts().get(thread.id) ?? null;
  }

  protected isDispute(thread: Thread): boolean {
    return !!thread.suggestionId;
  }

  protected avatar(comment: Comment): { initials: string; colour: string } {
    return { initials: initials(comment.author.name), colour: colourOf(comment.author.id) };
  }

  protected parts(comment: Comment): Array<{ text: string; mention: boolean }> {
    const names = comment.mentions.map(
      (id) => this.team.members().find((m) => m.id === id)?.name ?? '',
    );
    return mentionParts(comment.body, names);
  }

  protected async resolve(thread: Thread, resolved: boolean): Promise<void> {
    if (this.busy()) return;
    this.busy.set(thread.id);
    try {
      await this.room.resolveThread(thread.id, resolved);
    } catch (error) {
      this.notifier.error(error);
    } finally {
      this.busy.set(null);
    }
  }

  protected close(): void {
    this.view.panel.set(null);
    const line = this.lineId();
    if (line) this.view.focusLine(line);
  }

  private async post(command: () => Promise<unknown>): Promise<boolean> {
    try {
      await command();
      return true;
    } catch (error) {
      this.notifier.error(new Error(this.view.refusalMessage(error)));
      return false;
    }
  }
}

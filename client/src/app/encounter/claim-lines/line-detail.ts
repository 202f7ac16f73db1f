import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { CORRECTION_CATEGORY_LABELS } from '@countersign/shared';
import { LiveRoom } from '../../core/realtime/live-room';
import { DraftStore, draftTargets } from '../drafts/draft-store';
import { OrphanDispute } from '../drafts/orphan-dispute';
import { ReviewForm } from '../review-form/review-form';
import { RoomView } from '../room-view';
import { SuggestionCard } from '../suggestion-card/suggestion-card';
import type { LineRow, OrphanedDispute } from './line-row';

/**
 * What shows under a claim line: who is working on it, its rationale and evidence, its review
 * outcome, its suggestions, disputes whose suggestion went away, the reviewer's open form, and a
 * refused command's notice.
 */
@Component({
  // A table row must stay a `tr` (see ClaimLineRow).
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'tr[cs-line-detail]',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    OrphanDispute,
    ReviewForm,
    SuggestionCard,
  ],
  templateUrl: './line-detail.html',
  styleUrl: './line-detail.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'detail',
    'data-testid': 'line-detail',
    '[attr.data-line-id]': 'line().id',
  },
})
export class LineDetail {
  private readonly room = inject(LiveRoom);
  private readonly drafts = inject(DraftStore);
  protected readonly view = inject(RoomView);

  readonly row = input.required<LineRow>();
  /** How many diagnoses the chart has: the review form checks pointers against it. */
  readonly diagnosisCount = input.required<number>();

  protected readonly categoryLabels = CORRECTION_CATEGORY_LABELS;
  protected readonly line = computed(() => this.row().line);
  /** The reviewer's comment on a line they added as missed. */
  protected readonly missedNote = computed(() => {
    const line = this.line();
    return line.origin === 'reviewer' ? line.review.comment : null;
  });
  /** The dispute being posted as a comment, if any. */
  protected readonly posting = signal<string | null>(null);
  protected readonly canPost = computed(
    () => this.view.allowed('comment') && this.view.connected() && this.posting() === null,
  );

  /** Posts a dispute whose suggestion was withdrawn as a comment on its line; the draft goes once it is taken. */
  protected async post(orphan: OrphanedDispute): Promise<void> {
    const live = this.view.live();
    const lineId = this.line().id;
    if (!live || this.posting()) return;
    this.posting.set(orphan.target);
    try {
      await this.room.comment({ lineId, body: orphan.text, mentions: [] });
      this.drafts.discard({ encounterId: live.id, target: orphan.target });
      this.view.openThreads(lineId);
    } catch (error) {
      this.view.showNotice(lineId, this.view.refusalMessage(error));
    } finally {
      this.posting.set(null);
    }
  }

  protected discard(orphan: OrphanedDispute): void {
    const live = this.view.live();
    if (live)
      this.drafts.discard({
        encounterId: live.id,
        target: draftTargets.dispute(orphan.suggestionId),
      });
  }
}

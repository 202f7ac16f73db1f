import { DatePipe } from '@angular/common';
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
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { encounterAt, initials, type EncounterEvent } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { colourOf } from '../presence-avatars/presence-avatars';
import { RoomView } from '../room-view';
import { historyOf, type HistoryEntry } from './describe-event';

/**
 * The timeline of every event on the chart (who, when, what), read from the event log and
 * kept current while open. Selecting an event shows the chart as it stood right after it.
 */
@Component({
  selector: 'cs-history-panel',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatProgressBarModule, MatTooltipModule],
  templateUrl: './history-panel.html',
  styleUrl: './history-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HistoryPanel {
  private readonly api = inject(ApiClient);
  protected readonly view = inject(RoomView);

  readonly encounterId = input.required<string>();
  /** The live version: the log is read again up to it when it moves on. */
  readonly version = input.required<number>();

  private readonly events = signal<readonly EncounterEvent[]>([]);
  protected readonly entries = computed(() => historyOf(this.events()));
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  private fetching = false;

  private readonly timeline = viewChild<ElementRef<HTMLElement>>('timeline');
  private readonly injector = inject(Injector);

  constructor() {
    effect(() => {
      const version = this.version();
      untracked(() => void this.load(version));
    });
    effect(() => this.followLatest(this.entries().length));
  }

  /** Keeps the newest event in sight as events arrive, unless a past one is being looked at. */
  private followLatest(count: number): void {
    if (!count || untracked(() => this.view.history())) return;
    afterNextRender(
      () => {
        const list = this.timeline()?.nativeElement;
        if (list) list.scrollTop = list.scrollHeight;
      },
      { injector: this.injector },
    );
  }

  protected avatar(entry: HistoryEntry): { initials: string; colour: string } {
    return { initials: initials(entry.actor), colour: colourOf(entry.actorId) };
  }

  protected select(entry: HistoryEntry, latest: boolean): void {
    if (latest) {
      this.view.history.set(null);
      return;
    }
    this.view.form.set(null);
    this.view.history.set({
      seq: entry.seq,
      encounter: encounterAt(this.events(), entry.seq),
      caption: `${entry.actor} ${entry.what}`,
      at: entry.at,
    });
  }

  protected close(): void {
    this.view.history.set(null);
    this.view.panel.set(null);
  }

  protected retry(): void {
    void this.load(this.version());
  }

  /** Reads the events after the last one known, up to `version`; the whole log the first time. */
  private async load(version: number): Promise<void> {
    const known = this.events().at(-1)?.seq ?? 0;
    if (this.fetching || (known >= version && known > 0)) return;
    this.fetching = true;
    try {
      const more = await this.api.events(this.encounterId(), known);
      this.events.update((events) => [
        ...events,
        ...more.filter((e) => e.seq > (events.at(-1)?.seq ?? 0)),
      ]);
      this.error.set(null);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.fetching = false;
      this.loading.set(false);
    }
    // The chart moved on while reading: read the rest.
    if (!this.error() && (this.events().at(-1)?.seq ?? 0) < this.version())
      void this.load(this.version());
  }
}

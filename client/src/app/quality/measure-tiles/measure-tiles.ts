import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { RouterLink } from '@angular/router';
import type { AccuracyFigures } from '@countersign/shared';
import {
  dollars,
  impactDirection,
  measureCounts,
  measureValue,
  pointsChange,
  signedDollars,
} from '../quality-format';

interface Tile {
  id: 'line' | 'chart' | 'dollar' | 'impact';
  label: string;
  value: string;
  counts: string;
  change: string | null;
  hint: string;
}

/**
 * The three accuracy measures side by side, each with its counts ("97%" over "291 of 300
 * lines"), and the net dollar impact: never blended into one score. With `link`, each tile opens
 * the charts behind it; with `before`, each shows its change since then.
 */
@Component({
  selector: 'cs-measure-tiles',
  imports: [NgTemplateOutlet, RouterLink],
  templateUrl: './measure-tiles.html',
  styleUrl: './measure-tiles.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeasureTiles {
  readonly figures = input.required<AccuracyFigures>();
  /** Query parameters of /quality/charts for these figures; no links without it. */
  readonly link = input<Record<string, string> | null>(null);
  /** The figures to compare with (last week), for "what changed". */
  readonly before = input<AccuracyFigures | null>(null);
  readonly compact = input(false);

  protected readonly tiles = computed((): Tile[] => {
    const f = this.figures();
    const b = this.before();
    return [
      {
        id: 'line',
        label: 'Line accuracy',
        value: measureValue(f.line),
        counts: measureCounts(f.line, 'line'),
        change: b ? pointsChange(f.line, b.line) : null,
        hint: 'Lines accepted unchanged, of the lines coded plus the lines missed',
      },
      {
        id: 'chart',
        label: 'Chart accuracy',
        value: measureValue(f.chart),
        counts: measureCounts(f.chart, 'chart'),
        change: b ? pointsChange(f.chart, b.chart) : null,
        hint: 'Charts approved with no correction, of the charts reviewed',
      },
      {
        id: 'dollar',
        label: 'Dollar accuracy',
        value: measureValue(f.dollar),
        counts: measureCounts(f.dollar, 'dollar'),
        change: b ? pointsChange(f.dollar, b.dollar) : null,
        hint: 'The reviewed amount the review did not move',
      },
      {
        id: 'impact',
        label: 'Net dollar impact',
        value: f.tally.chartsReviewed ? signedDollars(f.tally.netImpactCents) : '—',
        counts: f.tally.chartsReviewed
          ? `${impactDirection(f.tally.netImpactCents)}; ${dollars(f.tally.absImpactCents)} moved in all, ${f.tally.chartsReviewed} ${f.tally.chartsReviewed === 1 ? 'chart' : 'charts'}`
          : 'no charts reviewed',
        change: null,
        hint: 'Money the review found (+) or took off over-coded lines (-)',
      },
    ];
  });
}

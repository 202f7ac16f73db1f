import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  InjectionToken,
  afterNextRender,
  effect,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { EChartsCoreOption } from 'echarts/core';
import type { ChartPalette, ChartPoint } from './chart-options';

/** What the component needs of a chart instance (ECharts' own, or a test's fake). */
export interface ChartInstance {
  setOption(option: EChartsCoreOption, notMerge?: boolean): void;
  resize(): void;
  dispose(): void;
  on(event: 'click', handler: (params: { data?: unknown }) => void): void;
}
export interface ChartLibrary {
  init(element: HTMLElement, theme?: null, options?: { renderer: 'svg' | 'canvas' }): ChartInstance;
}

/** Loads ECharts when the first chart is drawn (a lazy chunk; tests provide a fake). */
export const CHART_LIBRARY = new InjectionToken<() => Promise<ChartLibrary>>('chart library', {
  providedIn: 'root',
  factory: () => () => import('./echarts-setup').then((m) => m.echarts as unknown as ChartLibrary),
});

/** The theme's colours for charts, read from the CSS tokens (client/src/styles.scss). */
export function chartPalette(element: Element): ChartPalette {
  const style = getComputedStyle(element);
  const token = (name: string) => style.getPropertyValue(name).trim();
  return {
    series: [
      '--cs-accent',
      '--cs-success',
      '--cs-suggestion',
      '--cs-warning',
      '--cs-done',
      '--cs-error',
      '--cs-text-strong',
    ].map(token),
    text: token('--cs-text-secondary'),
    muted: token('--cs-muted'),
    grid: token('--cs-border-subtle'),
    positive: token('--cs-accent'),
    negative: token('--cs-error'),
  };
}

/**
 * One ECharts chart, drawn once ECharts has loaded, redrawn when its option changes and resized
 * with its box. `summary` is what a screen reader gets (the figures are in a table beside it);
 * a click on a point emits the charts behind it.
 */
@Component({
  selector: 'cs-echart',
  template: `<div
    #box
    class="box"
    role="img"
    [attr.aria-label]="summary()"
    [style.height.px]="height()"
    [attr.data-ready]="ready() ? 'true' : null"
  ></div>`,
  styles: `
    :host {
      display: block;
    }
    .box {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EChart {
  /** Builds the option from the theme's colours. */
  readonly option = input.required<(palette: ChartPalette) => EChartsCoreOption>();
  readonly summary = input.required<string>();
  readonly height = input(260);
  readonly pointClick = output<ChartPoint>();

  private readonly box = viewChild.required<ElementRef<HTMLElement>>('box');
  private readonly load = inject(CHART_LIBRARY);
  private readonly chart = signal<ChartInstance | null>(null);
  protected readonly ready = signal(false);
  private resizeObserver: ResizeObserver | null = null;
  private destroyed = false;

  constructor() {
    afterNextRender(() => void this.start());
    effect(() => {
      const chart = this.chart();
      const build = this.option();
      if (!chart) return;
      chart.setOption(build(chartPalette(this.box().nativeElement)), true);
      this.ready.set(true);
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.resizeObserver?.disconnect();
      this.chart()?.dispose();
    });
  }

  private async start(): Promise<void> {
    const library = await this.load();
    if (this.destroyed) return;
    const element = this.box().nativeElement;
    const chart = library.init(element, null, { renderer: 'svg' });
    chart.on('click', (params) => {
      const point = params.data as ChartPoint | undefined;
      if (point?.link) this.pointClick.emit(point);
    });
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => chart.resize());
      this.resizeObserver.observe(element);
    }
    this.chart.set(chart);
  }
}

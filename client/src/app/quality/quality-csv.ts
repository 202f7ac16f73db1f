import {
  csvSafe,
  type AccuracyFigures,
  type CategoryRow,
  type Measure,
  type QualityChartRow,
  type QualityGroupRow,
} from '@countersign/shared';
import { saveFile } from '../export/save-file';

/** A CSV as rows of cells, the header first; numbers stay numbers. */
export type CsvRows = (string | number)[][];

/** A share with 4 decimals (0.9733), empty with no data: what a spreadsheet computes with. */
function share(m: Measure): string | number {
  return m.value === null ? '' : Math.round(m.value * 10000) / 10000;
}

/** Dollars as a number (a negative stays a number, not a text a spreadsheet could take for a formula). */
const money = (cents: number): number => Math.round(cents) / 100;

const FIGURE_HEADERS = [
  'line_accuracy',
  'lines_accepted_unchanged',
  'lines_counted',
  'chart_accuracy',
  'charts_clean',
  'charts_reviewed',
  'dollar_accuracy',
  'reviewed_dollars',
  'dollar_impact_abs',
  'dollar_impact_net',
  'lines_corrected',
  'lines_rejected',
  'lines_missed',
];

function figureCells(f: AccuracyFigures): (string | number)[] {
  return [
    share(f.line),
    f.line.numerator,
    f.line.denominator,
    share(f.chart),
    f.chart.numerator,
    f.chart.denominator,
    share(f.dollar),
    money(f.tally.reviewedCents),
    money(f.tally.absImpactCents),
    money(f.tally.netImpactCents),
    f.tally.corrected,
    f.tally.rejected,
    f.tally.missedLines,
  ];
}

/** A grouped table (by coder, reviewer, family, provider, week): key, label, the three measures with counts. */
export function groupCsvRows(keyHeader: string, rows: readonly QualityGroupRow[]): CsvRows {
  return [
    [keyHeader, 'label', ...FIGURE_HEADERS],
    ...rows.map((r) => [r.key, r.label, ...figureCells(r.figures)]),
  ];
}

export function categoryCsvRows(rows: readonly CategoryRow[]): CsvRows {
  return [
    [
      'category',
      'label',
      'corrections',
      'lines',
      'share',
      'dollar_impact_net',
      'dollar_impact_abs',
    ],
    ...rows.map((r) => [
      r.category,
      r.label,
      r.corrections,
      r.lines,
      r.lines > 0 ? Math.round((r.corrections / r.lines) * 10000) / 10000 : '',
      money(r.netImpactCents),
      money(r.absImpactCents),
    ]),
  ];
}

/** The charts behind a figure; patient names are in it, as on the page the supervisor sees. */
export function chartCsvRows(rows: readonly QualityChartRow[]): CsvRows {
  return [
    [
      'encounter_id',
      'patient',
      'date_of_service',
      'coder',
      'reviewer',
      'approved_at',
      'categories',
      ...FIGURE_HEADERS,
    ],
    ...rows.map((r) => [
      r.encounterId,
      r.patientName,
      r.dateOfService,
      r.coder?.name ?? '',
      r.reviewer?.name ?? '',
      r.approvedAt,
      r.categories.join(' '),
      ...figureCells(r.figures),
    ]),
  ];
}

/**
 * Writes the rows as CSV with csv-stringify (loaded when the first export is asked for), every
 * text cell guarded against spreadsheet formulas, and hands the file to the browser.
 */
export async function downloadCsv(fileName: string, rows: CsvRows): Promise<void> {
  const { stringify } = await import('csv-stringify/browser/esm/sync');
  const text = stringify(rows, {
    cast: { string: (value) => String(csvSafe(value)) },
    record_delimiter: 'windows',
  });
  saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName);
}

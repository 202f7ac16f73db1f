import type { QualityChartRow } from '@countersign/shared';
import { CODER_ID, makeReport, REVIEWER_ID, TWO_CLEAN } from '../../testing/quality-fixtures';
import { saveFile } from '../export/save-file';
import { categoryCsvRows, chartCsvRows, downloadCsv, groupCsvRows } from './quality-csv';

jest.mock('../export/save-file', () => ({ saveFile: jest.fn() }));

describe('quality CSV exports', () => {
  it('writes a grouped table with every measure and its counts, numbers as numbers', () => {
    const rows = groupCsvRows('coder_id', makeReport().byCoder);
    expect(rows[0]).toEqual([
      'coder_id',
      'label',
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
    ]);
    expect(rows[1]).toEqual([
      CODER_ID,
      'Casey Coder',
      0.97,
      291,
      300,
      0.9333,
      28,
      30,
      0.98,
      3000,
      60,
      40,
      3,
      2,
      4,
    ]);
    expect(rows).toHaveLength(3);
  });

  it('leaves a measure over nothing empty, not 0', () => {
    const [, row] = groupCsvRows('week', [
      {
        key: '2026-11-23',
        label: 'Week of Nov 23',
        figures: { ...TWO_CLEAN, line: { value: null, numerator: 0, denominator: 0 } },
      },
    ]);
    expect(row![2]).toBe('');
    expect(row![4]).toBe(0);
  });

  it('writes categories with their share of lines', () => {
    expect(categoryCsvRows(makeReport().byCategory)).toEqual([
      [
        'category',
        'label',
        'corrections',
        'lines',
        'share',
        'dollar_impact_net',
        'dollar_impact_abs',
      ],
      ['missing-modifier', 'Missing modifier', 3, 300, 0.01, 25, 25],
      ['units', 'Units', 0, 300, 0, 0, 0],
    ]);
  });

  it('writes the charts behind a figure', () => {
    const chart: QualityChartRow = {
      encounterId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      patientName: 'Avery Review',
      dateOfService: '2026-11-20',
      coder: { id: CODER_ID, name: 'Casey Coder' },
      reviewer: null,
      approvedAt: '2026-11-24T15:00:00.000Z',
      figures: TWO_CLEAN,
      categories: ['missing-modifier', 'units'],
    };
    const [header, row] = chartCsvRows([chart]);
    expect(header!.slice(0, 7)).toEqual([
      'encounter_id',
      'patient',
      'date_of_service',
      'coder',
      'reviewer',
      'approved_at',
      'categories',
    ]);
    expect(row!.slice(0, 8)).toEqual([
      chart.encounterId,
      'Avery Review',
      '2026-11-20',
      'Casey Coder',
      '',
      '2026-11-24T15:00:00.000Z',
      'missing-modifier units',
      1,
    ]);
  });

  it('writes the file with csv-stringify, quoting as needed and guarding formulas', async () => {
    await downloadCsv('quality-by-reviewer.csv', [
      ['reviewer_id', 'label', 'dollar_impact_net'],
      [REVIEWER_ID, '=HYPERLINK("x")', -12.5],
      ['b', 'Whitfield, Dana', 3],
    ]);
    const [blob, name] = (saveFile as jest.Mock).mock.calls[0] as [Blob, string];
    expect(name).toBe('quality-by-reviewer.csv');
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.readAsText(blob);
    });
    expect(text).toBe(
      `reviewer_id,label,dollar_impact_net\r\n${REVIEWER_ID},"'=HYPERLINK(""x"")",-12.5\r\nb,"Whitfield, Dana",3\r\n`,
    );
  });
});

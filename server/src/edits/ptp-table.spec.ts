import { PtpTable, type PtpRow } from './ptp-table.js';

const row = (
  column1: string,
  column2: string,
  modifierIndicator: 0 | 1 | 9,
  rowNo: number,
  extra: Partial<PtpRow> = {},
): PtpRow => ({
  column1,
  column2,
  modifierIndicator,
  rationale: 'Mutually exclusive procedures',
  effectiveDate: '2024-07-01',
  deletionDate: null,
  row: rowNo,
  ...extra,
});

describe(PtpTable.name, () => {
  const table = PtpTable.from(
    [
      row('20610', '99213', 1, 2),
      row('29881', '29877', 0, 3, { rationale: 'Misuse of Column Two code with Column One code' }),
      row('29881', '29877', 1, 4, { effectiveDate: '1996-01-01', deletionDate: '2023-12-31' }),
      row('99213', '20610', 9, 5),
      row('11402', '12032', 1, 6),
    ],
    2,
  );

  it('finds every pair among the codes in both directions, with its row and dates', () => {
    const found = table.among(['99213', '20610', '36415']);
    expect(found.map((e) => [e.column1, e.column2, e.modifierIndicator, e.row]).sort()).toEqual([
      ['20610', '99213', 1, 2],
      ['99213', '20610', 9, 5],
    ]);
    expect(table.among(['29877', '29881'])).toEqual([
      {
        column1: '29881',
        column2: '29877',
        modifierIndicator: 0,
        rationale: 'Misuse of Column Two code with Column One code',
        effectiveDate: '2024-07-01',
        deletionDate: null,
        row: 3,
      },
      {
        column1: '29881',
        column2: '29877',
        modifierIndicator: 1,
        rationale: 'Mutually exclusive procedures',
        effectiveDate: '1996-01-01',
        deletionDate: '2023-12-31',
        row: 4,
      },
    ]);
  });

  it('finds nothing for codes it does not know or a code alone', () => {
    expect(table.among(['99999', '20610'])).toEqual([]);
    expect(table.among(['20610', '20610'])).toEqual([]);
    expect(table.size).toBe(5);
  });
});

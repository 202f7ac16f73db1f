import { editionInForce, isDemoEdition, quarterOf, quartersBetween } from './editions.js';

const e = (edition: string, effectiveDate: string, kind?: string) => ({
  edition,
  effectiveDate,
  kind,
});

describe(editionInForce.name, () => {
  it('an official edition wins a same-day tie with a demo one, whatever the names', () => {
    const choice = editionInForce(
      [e('demo-2025', '2025-01-01', 'rvu-tsv'), e('2025', '2025-01-01', 'rvu-tsv')],
      '2025-06-01',
    );
    expect(choice).toMatchObject({ status: 'in-force', edition: { edition: '2025' } });
  });

  it('an official edition wins over a newer demo one; the demo fills in only when nothing official covers the date', () => {
    expect(
      editionInForce([e('2025', '2025-01-01'), e('demo-2026', '2026-01-01')], '2026-03-01'),
    ).toMatchObject({ edition: { edition: '2025' } });
    expect(
      editionInForce([e('2025', '2025-01-01'), e('cf', '2024-01-01', 'demo')], '2024-06-01'),
    ).toMatchObject({ status: 'in-force', edition: { edition: 'cf' } });
  });

  it('the newest official edition effective on or before the date', () => {
    const editions = [
      e('2024Q3', '2024-07-01'),
      e('2024Q4', '2024-10-01'),
      e('2025Q1', '2025-01-01'),
    ];
    expect(editionInForce(editions, '2024-12-31')).toMatchObject({
      status: 'in-force',
      edition: { edition: '2024Q4' },
    });
    expect(editionInForce(editions, '2025-01-01')).toMatchObject({
      edition: { edition: '2025Q1' },
    });
  });

  it('a same-day tie between official editions goes to the one imported last, then to the name', () => {
    expect(
      editionInForce(
        [
          { ...e('b', '2025-01-01'), importedAt: '1' },
          { ...e('a', '2025-01-01'), importedAt: '2' },
        ],
        '2025-02-01',
      ),
    ).toMatchObject({ edition: { edition: 'a' } });
    expect(
      editionInForce([e('a', '2025-01-01'), e('b', '2025-01-01')], '2025-02-01'),
    ).toMatchObject({ edition: { edition: 'b' } });
  });

  it('says explicitly when no edition covers the date, with the nearest (oldest official) and all loaded', () => {
    const editions = [
      e('2026', '2025-10-01'),
      e('2027', '2026-10-01'),
      e('demo-2024', '2023-01-01'),
    ];
    const choice = editionInForce(editions.slice(0, 2), '2025-03-10');
    expect(choice).toMatchObject({ status: 'not-covered', nearest: { edition: '2026' } });
    expect(choice.loaded).toHaveLength(2);
    expect(editionInForce(editions, '2025-03-10')).toMatchObject({
      status: 'in-force',
      edition: { edition: 'demo-2024' },
    });
  });

  it('none loaded', () => {
    expect(editionInForce([], '2025-03-10')).toEqual({ status: 'none-loaded', loaded: [] });
  });
});

describe(isDemoEdition.name, () => {
  it('is the demo import kind, or an edition named demo or demo-*', () => {
    expect(
      [e('demo-2025', 'x'), e('demo', 'x'), e('2026', 'x', 'demo')].map(isDemoEdition),
    ).toEqual([true, true, true]);
    expect([e('2025', 'x', 'rvu-tsv'), e('demonstration', 'x')].map(isDemoEdition)).toEqual([
      false,
      false,
    ]);
  });
});

describe('quarters', () => {
  it('of a date, and between two quarters', () => {
    expect([quarterOf('2026-03-02'), quarterOf('2024-07-01'), quarterOf('2024-12-31')]).toEqual([
      '2026Q1',
      '2024Q3',
      '2024Q4',
    ]);
    expect(quartersBetween('2024Q3', '2026Q1')).toBe(6);
    expect(quartersBetween('2024Q3', '2024Q3')).toBe(0);
  });
});

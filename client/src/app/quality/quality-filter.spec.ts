import { CODER_ID, REVIEWER_ID } from '../../testing/quality-fixtures';
import {
  chartsLink,
  chartsParamsFrom,
  describeFilter,
  filterParamsFrom,
  presetOf,
  presetRange,
  toQueryParams,
} from './quality-filter';

const from = (query: Record<string, string>) => (key: string) => query[key] ?? null;

describe('the dashboards filter in the address', () => {
  it('reads the filter, dropping what does not parse', () => {
    expect(
      chartsParamsFrom(
        from({
          from: '2026-09-01',
          to: 'yesterday',
          coderId: CODER_ID,
          reviewerId: 'not-a-uuid',
          category: 'missing-modifier',
          family: 'dentistry',
          providerNpi: '123',
          week: '2026-11-23',
          outcome: 'corrected',
          page: '3',
        }),
      ),
    ).toEqual({
      from: '2026-09-01',
      coderId: CODER_ID,
      category: 'missing-modifier',
      week: '2026-11-23',
      outcome: 'corrected',
    });
  });

  it('keeps week and outcome out of the team filter, and a start after the end out of both', () => {
    expect(
      filterParamsFrom(from({ from: '2026-12-01', to: '2026-11-01', week: '2026-11-23' })),
    ).toEqual({ to: '2026-11-01' });
  });

  it('writes every key, null when unset, so a navigation clears the others', () => {
    const params = toQueryParams({ coderId: CODER_ID, family: 'em' });
    expect(params['coderId']).toBe(CODER_ID);
    expect(params['family']).toBe('em');
    expect(params['from']).toBeNull();
    expect(params['outcome']).toBeNull();
    expect(chartsParamsFrom((k) => params[k] ?? null)).toEqual({ coderId: CODER_ID, family: 'em' });
  });

  it('links a figure to its charts: the filter narrowed by what the figure counted', () => {
    expect(
      chartsLink(
        { from: '2026-09-01', coderId: CODER_ID },
        { week: '2026-11-23', coderId: CODER_ID },
      ),
    ).toEqual({ from: '2026-09-01', coderId: CODER_ID, week: '2026-11-23' });
    expect(chartsLink({ family: 'em' }, { category: 'units', outcome: 'corrected' })).toEqual({
      family: 'em',
      category: 'units',
      outcome: 'corrected',
    });
  });

  it('turns period presets into dates and recognises them', () => {
    expect(presetRange('4w', '2026-11-30')).toEqual({ from: '2026-11-03', to: '2026-11-30' });
    expect(presetRange('ytd', '2026-11-30')).toEqual({ from: '2026-01-01', to: '2026-11-30' });
    expect(presetOf({ from: '2026-11-03', to: '2026-11-30' }, '2026-11-30')).toBe('4w');
    expect(presetOf({}, '2026-11-30')).toBe('12w');
    expect(presetOf({ from: '2026-10-01', to: '2026-10-31' }, '2026-11-30')).toBe('custom');
  });

  it('says the filter in words', () => {
    const names = { person: (id: string) => (id === CODER_ID ? 'Casey Coder' : null) };
    expect(
      describeFilter(
        {
          from: '2026-09-01',
          to: '2026-11-30',
          coderId: CODER_ID,
          reviewerId: REVIEWER_ID,
          family: 'em',
          category: 'missing-modifier',
          providerNpi: '1234567893',
          week: '2026-11-23',
          outcome: 'corrected',
        },
        names,
      ),
    ).toBe(
      'Approved 2026-09-01 to 2026-11-30 · week of 2026-11-23 · coder Casey Coder · reviewer not on the team list · E/M codes · corrections: Missing modifier · provider NPI 1234567893 · charts with a corrected line',
    );
    expect(describeFilter({}, names)).toBe('Approved in the last 12 weeks');
  });
});

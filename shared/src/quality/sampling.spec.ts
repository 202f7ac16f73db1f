import fc from 'fast-check';
import { DEFAULT_SAMPLING_POLICY, type SamplingPolicy } from './sampling.schema.js';
import {
  reviewLevel,
  samplingDecision,
  samplingDraw,
  type ChartLineTally,
  type SamplingChartFacts,
} from './sampling.js';

const policy: SamplingPolicy = DEFAULT_SAMPLING_POLICY;
const clean: ChartLineTally = { coderLines: 4, acceptedUnchanged: 4, missedLines: 0 };
const oneWrong: ChartLineTally = { coderLines: 4, acceptedUnchanged: 3, missedLines: 0 };
const charts = (n: number, tally: ChartLineTally): ChartLineTally[] =>
  Array.from({ length: n }, () => tally);
const now = new Date('2026-06-01T12:00:00Z');
const quiet: SamplingChartFacts = {
  lines: [{ code: '99213', modifiers: [] }],
  estimateCents: 9_000,
  recentFailureCategories: [],
  newestEdition: null,
  resubmission: false,
};
const sampled = reviewLevel(policy, charts(30, clean));

describe('reviewLevel', () => {
  it('keeps a new coder at full review, counting their charts', () => {
    expect(reviewLevel(policy, charts(12, clean))).toEqual({
      level: 'full',
      explanation: '100% review: 12 of 30 reviewed charts so far',
      reviewedCharts: 12,
      lineAccuracy: 1,
      sampleRate: 1,
    });
    expect(reviewLevel(policy, []).explanation).toBe('100% review: 0 of 30 reviewed charts so far');
  });

  it('samples a coder with 30 charts at or above the threshold', () => {
    expect(sampled).toEqual({
      level: 'sampled',
      explanation: '25% sample: 100% line accuracy over the last 30 charts',
      reviewedCharts: 30,
      lineAccuracy: 1,
      sampleRate: 0.25,
    });
    // 95% exactly is at the threshold: 19 of 20 lines per 5 charts.
    const at = [...charts(6, { coderLines: 20, acceptedUnchanged: 19, missedLines: 0 })];
    expect(reviewLevel({ ...policy, newCoderCharts: 6 }, at).level).toBe('sampled');
  });

  it('puts a coder below the threshold back at full review, with the figure', () => {
    // 120 lines, 11 wrong: 109/120 = 90.8%.
    const history = [...charts(11, oneWrong), ...charts(19, clean), ...charts(40, clean)];
    expect(reviewLevel(policy, history, 70)).toMatchObject({
      level: 'full',
      explanation: '100% review: line accuracy 90.8% over the last 30 charts is below 95%',
      reviewedCharts: 70,
    });
  });

  it('counts missed lines against the coder and reads only the last N charts', () => {
    const missed: ChartLineTally = { coderLines: 2, acceptedUnchanged: 2, missedLines: 1 };
    // Newest first: the old bad charts beyond 30 do not count.
    expect(reviewLevel(policy, [...charts(30, clean), ...charts(30, missed)]).level).toBe(
      'sampled',
    );
    // 100 accepted of 30 + 80 lines = 90.9%.
    expect(reviewLevel(policy, [...charts(10, missed), ...charts(20, clean)]).explanation).toBe(
      '100% review: line accuracy 90.9% over the last 30 charts is below 95%',
    );
  });

  it('moves a simulated coder full -> sampled -> full -> sampled as the policy says', () => {
    const history: ChartLineTally[] = []; // newest first
    const levels: string[] = [];
    let last = '';
    const approve = (chart: ChartLineTally) => {
      history.unshift(chart);
      const level = reviewLevel(policy, history).level;
      if (last !== level) levels.push(`${level}@${history.length}`);
      last = level;
    };
    for (let i = 0; i < 40; i++) approve(clean); // sampled from the 30th chart
    for (let i = 0; i < 3; i++) approve(oneWrong); // 117/120 = 97.5%: still sampled
    for (let i = 0; i < 4; i++) approve(oneWrong); // 7 wrong of 120 = 94.2%: back to full
    // The bad charts age out of the window: 24 clean charts later only 6 of 120 lines are wrong.
    for (let i = 0; i < 30; i++) approve(clean);
    expect(levels).toEqual(['full@1', 'sampled@30', 'full@47', 'sampled@71']);
  });
});

describe('samplingDecision', () => {
  it('reviews every chart of a coder at full review, with the level as the reason', () => {
    const level = reviewLevel(policy, charts(12, clean));
    expect(samplingDecision(policy, level, quiet, now, 0.99)).toEqual({
      review: true,
      reasons: ['Coder at 100% review: 12 of 30 reviewed charts so far'],
      level: 'full',
    });
  });

  it('samples by the draw for a sampled coder with no risk', () => {
    expect(samplingDecision(policy, sampled, quiet, now, 0.1)).toEqual({
      review: true,
      reasons: ['Sampled (draw 0.1000 under the 25% sample)'],
      level: 'sampled',
    });
    expect(samplingDecision(policy, sampled, quiet, now, 0.25)).toEqual({
      review: false,
      reasons: ['Not sampled (25% sample)'],
      level: 'sampled',
    });
  });

  it.each<[string, Partial<SamplingChartFacts>, string]>([
    [
      'modifier 25',
      { lines: [{ code: '99213', modifiers: ['25'] }] },
      'Modifier 25 on line 1 (99213)',
    ],
    [
      'modifier 59',
      {
        lines: [
          { code: '99213', modifiers: [] },
          { code: '20610', modifiers: ['RT', '59'] },
        ],
      },
      'Modifier 59 on line 2 (20610)',
    ],
    [
      'a dollar amount above the limit',
      { estimateCents: 100_001 },
      'Estimate $1,000.01 is above the $1,000.00 limit',
    ],
    [
      'a category failed recently',
      { recentFailureCategories: ['units', 'other'] },
      'Corrected in the last 30 days: Units',
    ],
    [
      'a new code-set edition',
      { newestEdition: { label: 'NCCI PTP 2026Q2', loadedAt: new Date('2026-05-29T12:00:00Z') } },
      'New code-set edition: NCCI PTP 2026Q2, loaded 3 days ago',
    ],
    ['a resubmission', { resubmission: true }, 'Resubmitted after the reviewer asked for changes'],
  ])('pulls a sampled coder’s chart in for %s, whatever the draw', (_, facts, reason) => {
    expect(samplingDecision(policy, sampled, { ...quiet, ...facts }, now, 0.999)).toEqual({
      review: true,
      reasons: [reason],
      level: 'sampled',
    });
  });

  it('lists every risk reason, also for a coder at full review', () => {
    const facts: SamplingChartFacts = {
      ...quiet,
      lines: [{ code: '99214', modifiers: ['25', '59'] }],
      estimateCents: 200_000,
    };
    const level = reviewLevel(policy, []);
    expect(samplingDecision(policy, level, facts, now, 0.5).reasons).toEqual([
      'Coder at 100% review: 0 of 30 reviewed charts so far',
      'Modifier 25 on line 1 (99214)',
      'Modifier 59 on line 1 (99214)',
      'Estimate $2,000.00 is above the $1,000.00 limit',
    ]);
  });

  it('does not count risks the policy turned off or that are too old', () => {
    const off: SamplingPolicy = {
      ...policy,
      risk: {
        modifiers: [],
        dollarLimitCents: null,
        recentFailureDays: 0,
        recentFailureCategories: ['units'],
        newEditionDays: 30,
      },
    };
    const facts: SamplingChartFacts = {
      ...quiet,
      lines: [{ code: '99214', modifiers: ['25'] }],
      estimateCents: 10_000_000,
      recentFailureCategories: ['units'],
      newestEdition: { label: 'HCPCS 2026', loadedAt: new Date('2026-05-01T12:00:00Z') },
    };
    expect(samplingDecision(off, sampled, facts, now, 0.9).review).toBe(false);
  });
});

describe('samplingDraw', () => {
  const uuid = fc.uuid();

  it('is reproducible and in [0, 1)', () => {
    fc.assert(
      fc.property(uuid, fc.integer({ min: 1, max: 100_000 }), (id, seq) => {
        const draw = samplingDraw(id, seq);
        expect(draw).toBeGreaterThanOrEqual(0);
        expect(draw).toBeLessThan(1);
        expect(samplingDraw(id.toUpperCase(), seq)).toBe(draw);
      }),
    );
  });

  it('samples about sampleRate of many submissions', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(uuid, { minLength: 4000, maxLength: 4000 }),
        fc.constantFrom(0.1, 0.25, 0.5),
        fc.integer({ min: 1, max: 50 }),
        (ids, rate, seq) => {
          const level = { ...sampled, sampleRate: rate };
          const reviewed = ids.filter(
            (id) => samplingDecision(policy, level, quiet, now, samplingDraw(id, seq)).review,
          ).length;
          // 4000 Bernoulli draws: the standard deviation is under 0.008; 0.03 is ~4 of them.
          expect(Math.abs(reviewed / ids.length - rate)).toBeLessThan(0.03);
        },
      ),
      { numRuns: 20 },
    );
  });
});

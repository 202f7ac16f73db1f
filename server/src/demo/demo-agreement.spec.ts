import { agreementReport } from '@countersign/shared';
import { agreementHistory } from './demo-agreement.js';

const coders = [
  '00000000-0000-4000-8000-00000000000c',
  '00000000-0000-4000-8000-00000000000a',
  '00000000-0000-4000-8000-00000000000b',
];
const end = new Date('2026-11-30T12:00:00Z');
const history = agreementHistory({ coders, charts: 36, weeks: 12, seed: 1313, end });

describe('the demo double-coding history', () => {
  it('is the same for the same seed', () => {
    expect(agreementHistory({ coders, charts: 36, weeks: 12, seed: 1313, end })).toEqual(history);
  });

  it('has 36 charts, two blind copies each by two different coders, every pair used', () => {
    expect(history.doubleCodings).toHaveLength(36);
    expect(history.copies).toHaveLength(72);
    const byChart = new Map<string, string[]>();
    for (const c of history.copies)
      byChart.set(c.double_coding_id, [...(byChart.get(c.double_coding_id) ?? []), c.coder_id]);
    for (const [, pair] of byChart) expect(new Set(pair).size).toBe(2);
    expect(new Set([...byChart.values()].map((p) => [...p].sort().join('|'))).size).toBe(3);
    for (const dc of history.doubleCodings) {
      expect(Date.parse(dc.both_submitted_at)).toBeLessThanOrEqual(end.getTime());
      expect(Date.parse(dc.both_submitted_at)).toBeGreaterThan(end.getTime() - 12 * 7 * 86_400_000);
      expect(dc.reconciled_at > dc.both_submitted_at).toBe(true);
    }
  });

  it('covers every line of both copies by exactly one decision, each with a reason', () => {
    const copyLines = history.lines.filter((l) =>
      history.copies.some((c) => c.encounter_id === l.encounter_id),
    );
    const covered = history.decisions.flatMap((d) =>
      [d.first_line?.id, d.second_line?.id].filter(Boolean),
    );
    expect(covered.sort()).toEqual(copyLines.map((l) => l.id).sort());
    for (const d of history.decisions) {
      expect(d.reason.trim()).not.toBe('');
      expect(d.final_line === null).toBe(d.source === 'dropped');
      if (d.source === 'both') {
        expect(d.first_line).toMatchObject({
          code: d.final_line!.code,
          units: d.final_line!.units,
        });
        expect(d.second_line).toMatchObject({
          code: d.final_line!.code,
          modifiers: d.final_line!.modifiers,
        });
        expect(d.reason).toBe('Both coders agree');
      }
    }
    // A line both coders got wrong ('new') is rare at these slip rates; the other four all occur.
    const sources = new Set(history.decisions.map((d) => d.source));
    for (const s of ['both', 'first', 'second', 'dropped']) expect(sources).toContain(s);
  });

  it('gives the dashboard agreement that is high but not perfect', () => {
    const charts = history.doubleCodings.map((dc) => {
      const copies = history.copies
        .filter((c) => c.double_coding_id === dc.id)
        .sort((a, b) => a.slot - b.slot);
      return {
        doubleCodingId: dc.id,
        encounterId: dc.encounter_id,
        chartLabel: '',
        status: 'reconciled' as const,
        bothSubmittedAt: dc.both_submitted_at,
        coders: copies.map((c) => ({ id: c.coder_id, name: c.coder_id })) as [
          { id: string; name: string },
          { id: string; name: string },
        ],
        lines: copies.map((c) =>
          history.lines.filter((l) => l.encounter_id === c.encounter_id),
        ) as [never[], never[]],
      };
    });
    const report = agreementReport({ from: '2026-09-07', to: '2026-12-06' }, charts);
    expect(report.pairs).toHaveLength(3);
    expect(report.team.codes.percent.value).toBeGreaterThan(0.6);
    expect(report.team.codes.percent.value).toBeLessThan(1);
    expect(report.team.lines.percent.value!).toBeLessThan(report.team.codes.percent.value!);
    expect(report.team.emLevel.alpha).not.toBeNull();
  });
});

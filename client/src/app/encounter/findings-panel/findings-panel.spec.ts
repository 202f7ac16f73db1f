import {
  CODER,
  ENCOUNTER_ID,
  event,
  makeEdits,
  makeEncounter,
  makeFinding,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { FindingsPanel } from './findings-panel';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe(FindingsPanel.name, () => {
  const visit = makeLine({ code: '99213', pointers: ['A'] });
  const injection = makeLine({ code: '20610', pointers: [] });
  const second = makeLine({ code: '99214', pointers: ['A'] });
  const error = makeFinding([injection.id], {
    codes: ['20610'],
    message: 'Line 20610 has no diagnosis pointer.',
  });
  const warning = makeFinding([visit.id, second.id], {
    id: 'office-visit-repeated:99213,99214',
    ruleId: 'office-visit-repeated',
    severity: 'warning',
    codes: ['99213', '99214'],
    message: 'Two office visits on one date: 99213 and 99214.',
    source: {
      dataset: 'NCCI PTP practitioner',
      edition: '2024Q3',
      file: 'ncci-ptp-practitioner-2024q3.tsv',
      row: 1832,
      effectiveDate: '2024-07-01',
      text: 'NCCI PTP practitioner 2024Q3: 99214 / 99213, modifier indicator 1',
    },
  });
  const encounter = makeEncounter({ version: 6, lines: [visit, injection, second] });

  function open(role: 'coder' | 'supervisor' = 'coder'): Promise<RoomHarness> {
    return RoomHarness.open(
      encounter,
      role,
      undefined,
      makeEdits(6, { findings: [warning, error] }),
    );
  }

  it('shows chart-level findings (no line) in their own group at the top, before line errors', async () => {
    const coverage = makeFinding([], {
      id: 'edition-not-covering::ICD10CM',
      ruleId: 'edition-not-covering',
      severity: 'warning',
      codes: ['ICD10CM'],
      message:
        'No loaded ICD-10-CM code set edition covers the date of service 2025-03-10: loaded 2026 (from 2025-10-01); its codes are not checked against any edition.',
    });
    const room = await RoomHarness.open(
      encounter,
      'coder',
      undefined,
      makeEdits(6, { findings: [warning, error, coverage] }),
    );
    expect(room.text(room.one('findings-group-chart'))).toBe('Whole chart');
    const chart = room.all('finding', room.one('chart-findings'));
    expect(chart.map((f) => f.dataset['rule'])).toEqual(['edition-not-covering']);
    expect(room.text(room.one('finding-lines', chart[0]))).toBe('The chart');
    expect(room.all('finding', room.one('line-findings')).map((f) => f.dataset['rule'])).toEqual([
      'line-without-pointer',
      'office-visit-repeated',
    ]);
    expect(room.all('finding')[0]!.dataset['rule']).toBe('edition-not-covering');
  });

  it('shows no group headings when every finding is about a line', async () => {
    const room = await open();
    expect(room.one('chart-findings')).toBeNull();
    expect(room.one('findings-group-chart')).toBeNull();
  });

  it('lists errors before warnings with rule title, message, source, file row and the lines concerned', async () => {
    const room = await open();
    const items = room.all('finding');
    expect(items.map((i) => i.dataset['severity'])).toEqual(['error', 'warning']);
    expect(room.text(items[0]!.querySelector('.title'))).toBe('Line without a diagnosis pointer');
    expect(room.text(room.one('finding-lines', items[0]))).toBe('Line 2 (20610)');
    expect(room.text(room.one('finding-message', items[1]))).toBe(
      'Two office visits on one date: 99213 and 99214.',
    );
    expect(room.text(room.one('finding-source', items[1]))).toBe(
      'NCCI PTP practitioner 2024Q3: 99214 / 99213, modifier indicator 1 ncci-ptp-practitioner-2024q3.tsv, row 1832',
    );
    expect(room.text(room.one('finding-lines', items[1]))).toBe('Lines 1 and 3 (99213, 99214)');
    expect(room.text(room.one('findings-summary'))).toBe('1 error, 1 warning');
    expect(room.text(room.one('findings-count'))).toBe('1 error, 1 warning');
  });

  it('marks each line with its worst finding', async () => {
    const room = await open();
    expect(room.one('line-finding-marker', room.row(visit.id)).dataset['severity']).toBe('warning');
    expect(room.one('line-finding-marker', room.row(injection.id)).dataset['severity']).toBe(
      'error',
    );
    expect(room.one('line-finding-marker', room.row(second.id)).dataset['severity']).toBe(
      'warning',
    );
  });

  it('takes the reader to the line of a finding, focused and highlighted', async () => {
    const room = await open();
    room.one<HTMLButtonElement>('finding-jump', room.all('finding')[0]).click();
    await room.settle();
    expect(document.activeElement).toBe(room.row(injection.id));
    expect(room.row(injection.id).classList).toContain('line--jumped');
  });

  it('follows newer edits: a fixed error disappears, an older push does not bring it back', async () => {
    const room = await open();
    room.socket.push('encounter:edits', makeEdits(7, { findings: [warning] }));
    await room.settle();
    expect(room.all('finding')).toHaveLength(1);
    room.socket.push('encounter:edits', makeEdits(6, { findings: [warning, error] }));
    await room.settle();
    expect(room.all('finding')).toHaveLength(1);
    expect(room.one('line-finding-marker', room.row(injection.id))).toBeNull();
  });

  it('acknowledges a warning with a reason, then shows who acknowledged it and why', async () => {
    const room = await open();
    expect(room.all('acknowledge-finding')).toHaveLength(1);
    room.one<HTMLButtonElement>('acknowledge-finding').click();
    await room.settle();
    const reason = document.querySelector<HTMLTextAreaElement>('[data-testid="reason"]')!;
    room.type(reason, 'Separate problem, documented in the note');
    room.socket.answer('finding:acknowledge', () => ({
      ok: true,
      data: { seq: 7, duplicate: false },
    }));
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
    await room.settle();
    await room.settle();
    expect(room.socket.sentOf('finding:acknowledge')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 6,
        opId: UUID,
        findingId: warning.id,
        reason: 'Separate problem, documented in the note',
      },
    ]);
    room.socket.push(
      'encounter:event',
      event(7, 'finding.acknowledged', {
        acknowledgement: {
          findingId: warning.id,
          reason: 'Separate problem, documented in the note',
          by: CODER,
          at: '2026-01-01T11:00:07.000Z',
        },
      }),
    );
    await room.settle();
    expect(room.text(room.one('finding-ack'))).toBe(
      'Acknowledged by Casey Coder: Separate problem, documented in the note',
    );
    expect(room.all('acknowledge-finding')).toHaveLength(0);
    expect(room.text(room.one('findings-count'))).toBe('1 error, 1 acknowledged');
    expect(room.one('line-finding-marker', room.row(visit.id))).toBeNull();
  });

  it('offers no acknowledgement to someone the policy does not allow', async () => {
    const room = await open('supervisor');
    expect(room.all('finding')).toHaveLength(2);
    expect(room.all('acknowledge-finding')).toHaveLength(0);
  });

  it('says so when the edits find nothing', async () => {
    const room = await RoomHarness.open(encounter, 'coder', undefined, makeEdits(6));
    expect(room.one('no-findings')).not.toBeNull();
    expect(room.text(room.one('findings-count'))).toBe('No findings');
  });
});

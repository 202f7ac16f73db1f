import type { DataSource } from 'typeorm';
import { seededRandom } from '../testing/seeded-random.js';

/** How many reconciled double codings the demo organization has, over the last 10 weeks. */
export const DEMO_DOUBLE_CODINGS = 36;

interface Line {
  code: string;
  modifiers: string[];
  units: number;
}

interface HistoryLine extends Line {
  id: string;
  encounter_id: string;
  position: number;
}

/** A line as a reconciliation decision stores it (the shape of `CodedLineView`). */
interface StoredLine extends Line {
  id: string;
  pointers: string[];
  pointedDiagnoses: string[];
  rationale: string;
  feeCents: null;
}

export interface AgreementHistory {
  encounters: {
    id: string;
    purpose: 'claim' | 'blind';
    source_encounter_id: string | null;
    patient_mrn: string;
    patient_name: string;
    date_of_service: string;
    coder_id: string;
    status: 'signed_off' | 'submitted';
    submitted_at: string;
    approved_at: string | null;
  }[];
  lines: HistoryLine[];
  doubleCodings: {
    id: string;
    encounter_id: string;
    requested_via: 'supervisor' | 'sampling';
    requested_at: string;
    both_submitted_at: string;
    reconciled_at: string;
  }[];
  copies: {
    double_coding_id: string;
    slot: 1 | 2;
    encounter_id: string;
    coder_id: string;
    submitted_at: string;
  }[];
  decisions: {
    double_coding_id: string;
    position: number;
    source: 'first' | 'second' | 'both' | 'new' | 'dropped';
    first_line: StoredLine | null;
    second_line: StoredLine | null;
    final_line: (Line & { pointers: string[] }) | null;
    reason: string;
    decided_at: string;
  }[];
}

const E_M = ['99212', '99213', '99213', '99214', '99214', '99215', '99203', '99204'];
/** Office visits a level slip moves between. */
const E_M_LEVELS = new Set([
  '99202',
  '99203',
  '99204',
  '99205',
  '99211',
  '99212',
  '99213',
  '99214',
  '99215',
]);
const PROCEDURES: Line[] = [
  { code: '20610', modifiers: ['RT'], units: 1 },
  { code: '20610', modifiers: ['LT'], units: 1 },
  { code: '36415', modifiers: [], units: 1 },
  { code: '73562', modifiers: ['RT'], units: 1 },
  { code: '85025', modifiers: [], units: 1 },
  { code: '96372', modifiers: [], units: 1 },
  { code: '93000', modifiers: [], units: 1 },
  { code: 'J1100', modifiers: [], units: 2 },
];
const EXTRAS: Line[] = [
  { code: '36415', modifiers: [], units: 1 },
  { code: '99211', modifiers: [], units: 1 },
  { code: 'G2211', modifiers: [], units: 1 },
];
const PATIENTS = ['Avery Lane', 'Morgan Hale', 'Rowan Pike', 'Quinn Ellis', 'Sage Moreno'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Slip = 'none' | 'level' | 'modifier' | 'units' | 'missing';

const REASONS: Record<Exclude<Slip, 'none'>, string> = {
  level: 'The documented medical decision making supports this E/M level',
  modifier: 'The documented laterality and distinct service set the modifiers',
  units: 'Units as documented in the note',
  missing: 'Documented and billable: the other coder missed it',
};

const sameLine = (a: Line | null, b: Line | null): boolean =>
  !!a &&
  !!b &&
  a.code === b.code &&
  a.units === b.units &&
  a.modifiers.join(',') === b.modifiers.join(',');

/**
 * A reconciled double-coding history, deterministic for a seed (ids, codes, who coded what;
 * dates are relative to `end`): each chart has a documented "right" claim; each of two coders
 * of a pair slips now and then at their own rate (an E/M level off by one, a modifier, the
 * units, a missed line, an extra line). The reviewer's decisions take the right lines from
 * whichever side had them, with a reason each, and drop the extras. Pure: the rows to insert.
 */
export function agreementHistory(options: {
  coders: readonly string[];
  charts: number;
  weeks: number;
  seed: number;
  end: Date;
}): AgreementHistory {
  const random = seededRandom(options.seed);
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const slipRate = options.coders.map(() => 0.06 + random() * 0.2);
  const pairs: [number, number][] = [];
  for (let a = 0; a < options.coders.length; a++)
    for (let b = a + 1; b < options.coders.length; b++) pairs.push([a, b]);
  const history: AgreementHistory = {
    encounters: [],
    lines: [],
    doubleCodings: [],
    copies: [],
    decisions: [],
  };
  const span = options.weeks * 7 * DAY;
  for (let n = 1; n <= options.charts; n++) {
    const pair = pairs[n % pairs.length]!;
    const [a, b]: [number, number] = random() < 0.5 ? pair : [pair[1], pair[0]];
    const bothAt = new Date(options.end.getTime() - random() * span);
    const reconciledAt = new Date(bothAt.getTime() + (2 + random() * 30) * HOUR);
    const requestedAt = new Date(bothAt.getTime() - (1 + random() * 3) * DAY);
    const dos = new Date(requestedAt.getTime() - 2 * DAY).toISOString().slice(0, 10);
    const chartId = uuid();
    const dcId = uuid();
    const patient = `${pick(PATIENTS)} ${String.fromCharCode(65 + (n % 26))}.`;
    const right: Line[] = [{ code: pick(E_M), modifiers: [], units: 1 }];
    const procedures = Math.floor(random() * 3);
    for (let i = 0; i < procedures; i++) {
      const p = pick(PROCEDURES);
      if (!right.some((l) => l.code === p.code)) right.push(p);
    }
    if (right.length > 1) right[0] = { ...right[0]!, modifiers: ['25'] };

    // Each coder's copy: the right lines with their slips, and now and then an extra line.
    const copies = ([a, b] as const).map((coder, i) => {
      const id = uuid();
      const submittedAt = new Date(bothAt.getTime() - (i === 0 ? 1 + random() * 20 : 0) * HOUR);
      const slips = right.map((line): { slip: Slip; line: Line | null } => {
        if (random() >= slipRate[coder]!) return { slip: 'none', line: line };
        const kinds: Slip[] =
          line.code.startsWith('99') && line === right[0]
            ? ['level', 'level', 'modifier', 'missing']
            : ['modifier', 'units', 'missing'];
        const slip = pick(kinds);
        if (slip === 'missing') return { slip, line: null };
        if (slip === 'level') {
          const step = random() < 0.5 ? -1 : 1;
          const level = (d: number) => String(Number(line.code) + d);
          const code = E_M_LEVELS.has(level(step)) ? level(step) : level(-step);
          return { slip, line: { ...line, code } };
        }
        if (slip === 'units') return { slip, line: { ...line, units: line.units + 1 } };
        return {
          slip,
          line: { ...line, modifiers: line.modifiers.length ? [] : ['59'] },
        };
      });
      const extra = random() < slipRate[coder]! / 2 ? pick(EXTRAS) : null;
      const lines: HistoryLine[] = [];
      for (const l of [...slips.map((s) => s.line), extra])
        if (l && !lines.some((x) => x.code === l.code))
          lines.push({ ...l, id: uuid(), encounter_id: id, position: lines.length + 1 });
      history.encounters.push({
        id,
        purpose: 'blind',
        source_encounter_id: chartId,
        patient_mrn: `DC-${n}`,
        patient_name: patient,
        date_of_service: dos,
        coder_id: options.coders[coder]!,
        status: 'submitted',
        submitted_at: submittedAt.toISOString(),
        approved_at: null,
      });
      history.copies.push({
        double_coding_id: dcId,
        slot: (i + 1) as 1 | 2,
        encounter_id: id,
        coder_id: options.coders[coder]!,
        submitted_at: submittedAt.toISOString(),
      });
      history.lines.push(...lines);
      return { lines, slips, extra };
    });

    // The reviewer's decisions: each right line from the side that had it, extras dropped.
    const stored = (l: HistoryLine | undefined): StoredLine | null =>
      l
        ? {
            id: l.id,
            code: l.code,
            modifiers: l.modifiers,
            units: l.units,
            pointers: ['A'],
            pointedDiagnoses: ['M1711'],
            rationale: '',
            feeCents: null,
          }
        : null;
    const used = [new Set<string>(), new Set<string>()];
    const decide = (
      d: Omit<
        AgreementHistory['decisions'][number],
        'double_coding_id' | 'position' | 'decided_at'
      >,
    ) =>
      history.decisions.push({
        ...d,
        double_coding_id: dcId,
        position: history.decisions.filter((x) => x.double_coding_id === dcId).length + 1,
        decided_at: reconciledAt.toISOString(),
      });
    right.forEach((line, i) => {
      const [first, second] = copies.map((c, side) => {
        const coded = c.slips[i]!.line;
        const found = coded
          ? c.lines.find((l) => l.code === coded.code && !used[side]!.has(l.id))
          : undefined;
        if (found) used[side]!.add(found.id);
        return found;
      });
      const final = { ...line, pointers: ['A'] };
      const firstRight = sameLine(first ?? null, line);
      const secondRight = sameLine(second ?? null, line);
      const slip = copies.map((c) => c.slips[i]!.slip).find((s) => s !== 'none') ?? 'missing';
      decide({
        source:
          firstRight && secondRight
            ? 'both'
            : firstRight
              ? 'first'
              : secondRight
                ? 'second'
                : 'new',
        first_line: stored(first),
        second_line: stored(second),
        final_line: final,
        reason:
          firstRight && secondRight
            ? 'Both coders agree'
            : firstRight || secondRight
              ? REASONS[slip]
              : 'Neither line matched the documentation; written from the note',
      });
    });
    copies.forEach((c, side) => {
      for (const l of c.lines)
        if (!used[side]!.has(l.id))
          decide({
            source: 'dropped',
            first_line: side === 0 ? stored(l) : null,
            second_line: side === 1 ? stored(l) : null,
            final_line: null,
            reason: 'Not supported by the documentation',
          });
    });

    history.encounters.push({
      id: chartId,
      purpose: 'claim',
      source_encounter_id: null,
      patient_mrn: `DC-${n}`,
      patient_name: patient,
      date_of_service: dos,
      coder_id: options.coders[a]!,
      status: 'signed_off',
      submitted_at: reconciledAt.toISOString(),
      approved_at: new Date(reconciledAt.getTime() + 4 * HOUR).toISOString(),
    });
    right.forEach((l, i) =>
      history.lines.push({ ...l, id: uuid(), encounter_id: chartId, position: i + 1 }),
    );
    history.doubleCodings.push({
      id: dcId,
      encounter_id: chartId,
      requested_via: random() < 0.7 ? 'supervisor' : 'sampling',
      requested_at: requestedAt.toISOString(),
      both_submitted_at: bothAt.toISOString(),
      reconciled_at: reconciledAt.toISOString(),
    });
  }
  return history;
}

/**
 * The demo organization's reconciled double codings, so the agreement dashboard has figures:
 * 36 charts over the 10 weeks before yesterday, each coded blind by two of the three demo
 * coders, sent by the supervisor (or the sampling policy) and reconciled by the demo reviewer.
 * Set-based (one statement per table) and seeded. Once only.
 */
export async function seedDemoAgreementHistory(
  dataSource: DataSource,
  organizationId: string,
  team: { coders: string[]; supervisor: string; reviewer: string },
): Promise<number> {
  const [{ existing }] = await dataSource.query<[{ existing: number }]>(
    `SELECT count(*)::int AS existing FROM double_codings WHERE organization_id = $1`,
    [organizationId],
  );
  if (existing > 0 || team.coders.length < 2) return 0;
  const history = agreementHistory({
    coders: team.coders,
    charts: DEMO_DOUBLE_CODINGS,
    // Ten weeks before yesterday: all inside the dashboard's default period (12 weeks to this one).
    weeks: 10,
    seed: 1313,
    end: new Date(Date.now() - 86_400_000),
  });
  await dataSource.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO encounters (id, organization_id, purpose, source_encounter_id, patient_mrn, patient_name,
         patient_dob, date_of_service, provider_name, provider_npi, place_of_service, clinical_note,
         diagnoses, status, coder_id, reviewer_id, version, coded_by, created_at, updated_at,
         submitted_at, approved_at, signed_off_at)
       SELECT x.id, $2, x.purpose, x.source_encounter_id, x.patient_mrn, x.patient_name, date '1961-04-12',
              x.date_of_service, 'Dr. Priya Raman', '1245319599', '11',
              'Double-coded chart (generated demo history).', ARRAY['M1711'], x.status, x.coder_id,
              CASE WHEN x.purpose = 'claim' THEN $3::uuid END, 0, ARRAY[x.coder_id],
              x.submitted_at - interval '1 day', coalesce(x.approved_at, x.submitted_at),
              x.submitted_at, x.approved_at, x.approved_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, purpose text, source_encounter_id uuid,
              patient_mrn text, patient_name text, date_of_service date, coder_id uuid, status text,
              submitted_at timestamptz, approved_at timestamptz)
        ORDER BY x.source_encounter_id NULLS FIRST`,
      [JSON.stringify(history.encounters), organizationId, team.reviewer],
    );
    await tx.query(
      `INSERT INTO claim_lines (id, encounter_id, position, code, modifiers, units, pointers, origin, review_state)
       SELECT x.id, x.encounter_id, x.position, x.code, x.modifiers, x.units, '{A}', 'coder',
              CASE WHEN e.purpose = 'claim' THEN 'accepted' ELSE 'pending' END
         FROM jsonb_to_recordset($1::jsonb)
              AS x(id uuid, encounter_id uuid, position int, code text, modifiers text[], units int)
         JOIN encounters e ON e.id = x.encounter_id`,
      [JSON.stringify(history.lines)],
    );
    await tx.query(
      `INSERT INTO double_codings (id, organization_id, encounter_id, status, requested_via, requested_by,
         requested_at, both_submitted_at, reconciled_by, reconciled_at)
       SELECT x.id, $2, x.encounter_id, 'reconciled', x.requested_via,
              CASE WHEN x.requested_via = 'supervisor' THEN $3::uuid END, x.requested_at,
              x.both_submitted_at, $4, x.reconciled_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, encounter_id uuid, requested_via text,
              requested_at timestamptz, both_submitted_at timestamptz, reconciled_at timestamptz)`,
      [JSON.stringify(history.doubleCodings), organizationId, team.supervisor, team.reviewer],
    );
    await tx.query(
      `INSERT INTO double_coding_copies (double_coding_id, slot, encounter_id, coder_id, submitted_at)
       SELECT x.double_coding_id, x.slot, x.encounter_id, x.coder_id, x.submitted_at
         FROM jsonb_to_recordset($1::jsonb) AS x(double_coding_id uuid, slot smallint,
              encounter_id uuid, coder_id uuid, submitted_at timestamptz)`,
      [JSON.stringify(history.copies)],
    );
    await tx.query(
      `INSERT INTO reconciliation_decisions (double_coding_id, position, source, first_line, second_line,
         final_line, reason, decided_by, decided_at)
       SELECT x.double_coding_id, x.position, x.source, x.first_line, x.second_line, x.final_line,
              x.reason, $2, x.decided_at
         FROM jsonb_to_recordset($1::jsonb) AS x(double_coding_id uuid, position int, source text,
              first_line jsonb, second_line jsonb, final_line jsonb, reason text, decided_at timestamptz)`,
      [JSON.stringify(history.decisions), team.reviewer],
    );
  });
  return history.doubleCodings.length;
}

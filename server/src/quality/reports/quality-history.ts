import { codeFamily } from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import { seededRandom } from '../../testing/seeded-random.js';
import { QualityResultsRepository } from '../results/quality-results.repository.js';

/**
 * A generator of reviewed history (docs/domain.md section 10.5): N charts approved over the past
 * weeks, with their lines, the suggestions a reviewer made, each line's review outcome and the
 * chart's review result, then the roll-ups rebuilt from those base rows. Deterministic for a
 * seed (ids and contents; the dates are relative to `end`). Written set-based, a few statements
 * whatever N, so 100,000 charts load in seconds. For the benchmark, the tests and the demo.
 *
 * The team has habits: each coder has one or two usual reviewers and about three providers, an
 * error rate that some improve on through the year, and a correction category they tend to get.
 * Charts carry no event trail (they were not reviewed live): version 0, as `audit:verify` reads.
 */
export interface HistoryTeam {
  organizationId: string;
  coders: readonly string[];
  reviewers: readonly string[];
  providers: ReadonlyArray<{ name: string; npi: string }>;
}

export interface HistoryOptions {
  charts: number;
  /** Approvals spread evenly over this many weeks before `end`. */
  weeks: number;
  seed: number;
  /** The latest approval instant (default now). */
  end?: Date;
  /** Patient record numbers are `<mrnPrefix><n>` (default `QH-<seed>-`). */
  mrnPrefix?: string;
  /**
   * The benchmark's bulk load, as the schema's owner (a superuser): row triggers, foreign-key
   * checks among them, are off for this transaction, as pg_restore loads. The rows are consistent
   * by construction. Never for the app's pool.
   */
  bulkLoad?: boolean;
  /** Every chart signed off (none left awaiting sign-off), as the demo wants its queues. */
  allSignedOff?: boolean;
}

/** Codes from the demo catalogue, an estimate in cents each, and what a "wrong code" becomes. */
const CODES: ReadonlyArray<{ code: string; cents: number; alt: string }> = [
  { code: '99213', cents: 9_200, alt: '99214' },
  { code: '99214', cents: 13_100, alt: '99213' },
  { code: '99203', cents: 11_000, alt: '99213' },
  { code: '99213', cents: 9_200, alt: '99214' },
  { code: '99214', cents: 13_100, alt: '99213' },
  { code: '73562', cents: 4_100, alt: '71046' },
  { code: '71046', cents: 3_300, alt: '73562' },
  { code: '20610', cents: 6_700, alt: '29881' },
  { code: '29881', cents: 52_000, alt: '20610' },
  { code: '11402', cents: 14_500, alt: '12032' },
  { code: '12032', cents: 26_000, alt: '11402' },
  { code: '36415', cents: 300, alt: '85025' },
  { code: '80053', cents: 1_100, alt: '80061' },
  { code: '85025', cents: 800, alt: '36415' },
  { code: '83036', cents: 1_000, alt: '80061' },
  { code: '80061', cents: 1_400, alt: '80053' },
  { code: '90662', cents: 6_000, alt: 'G0008' },
  { code: 'J3301', cents: 200, alt: 'G0008' },
  { code: 'G0008', cents: 2_500, alt: '90662' },
  { code: 'G0439', cents: 12_800, alt: '99214' },
];
const EM_CODES = [0, 1, 2, 3, 4];

/** Categories a corrected line gets (a coder's weak one first among them), and a rejected line. */
const CORRECTED = [
  'missing-modifier',
  'wrong-level',
  'wrong-code',
  'units',
  'diagnosis-pointer',
  'wrong-modifier',
  'other',
];
const REJECTED = ['unbundling', 'unsupported', 'wrong-code'];

/** What a reviewer writes, per category (plain words, no code descriptors). */
const COMMENTS: Record<string, string> = {
  'missing-modifier':
    'A separately identifiable visit on the day of the procedure needs its modifier.',
  'wrong-level': 'The documented decision making supports a different visit level.',
  'wrong-code': 'The note describes a different service; see the procedure section.',
  units: 'Units follow the documented quantity.',
  'diagnosis-pointer': 'Point the line at the diagnosis that supports it.',
  'wrong-modifier': 'The laterality in the note is the other side.',
  other: 'Adjusted after discussion with the provider.',
  unbundling: 'This service is included in the primary procedure.',
  unsupported: 'The note does not document this service.',
  'missed-code': 'The note documents a billable service that was not coded.',
};

const FIRST = [
  'Avery',
  'Blake',
  'Cameron',
  'Devon',
  'Emery',
  'Finley',
  'Harper',
  'Jules',
  'Kendall',
  'Logan',
  'Marlow',
  'Noel',
  'Oakley',
  'Parker',
  'Reese',
  'Sage',
  'Toby',
  'Wren',
];
const LAST = [
  'Abernathy',
  'Bellweather',
  'Crane',
  'Dunmore',
  'Everly',
  'Fairbanks',
  'Greaves',
  'Holloway',
  'Ingram',
  'Jessup',
  'Kirkland',
  'Lockhart',
  'Merriweather',
  'Northcott',
  'Pembrook',
  'Quill',
  'Rutherford',
  'Stanhope',
  'Thorne',
  'Underhill',
];

/** Builds a team for the benchmark and the tests: users of the organization and providers. */
export async function createHistoryTeam(
  manager: EntityManager,
  organizationId: string,
  counts: { coders: number; reviewers: number; providers: number },
  label = 'history',
): Promise<HistoryTeam> {
  const people = async (role: string, count: number) =>
    (
      await manager.query<Array<{ id: string }>>(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         SELECT $1::uuid, $2::text || '.' || $4::text || n || '.' || left(md5($1::uuid::text), 6) || '@history.example',
                initcap($2::text) || ' ' || initcap($4::text) || ' ' || n, $2::text, 'not-a-login'
           FROM generate_series(1, $3) n ORDER BY n RETURNING id`,
        [organizationId, role, count, label],
      )
    ).map((row) => row.id);
  const coders = await people('coder', counts.coders);
  const reviewers = await people('reviewer', counts.reviewers);
  const providers = Array.from({ length: counts.providers }, (_, i) => ({
    name: `${LAST[(i * 7) % LAST.length]!} ${FIRST[i % FIRST.length]!}, ${['MD', 'DO', 'NP', 'PA'][i % 4]!}`,
    npi: `19${String(10_000_000 + i * 7919).padStart(8, '0')}`,
  }));
  return { organizationId, coders, reviewers, providers };
}

/** A number in [0, 1) from the row's hash and a salt, in SQL (independent per salt). */
const r = (row: string, salt: number) =>
  `((hashint4(hashint4(${row}) # ${salt}) & 1048575)::float8 / 1048576)`;

export interface HistorySummary {
  charts: number;
  lines: number;
}

/**
 * Writes the history in one transaction of the caller's (`manager`), then rebuilds the
 * organization's roll-ups. Returns how many charts and lines it wrote.
 */
export async function generateQualityHistory(
  manager: EntityManager,
  team: HistoryTeam,
  options: HistoryOptions,
): Promise<HistorySummary> {
  if (!team.coders.length || !team.reviewers.length || !team.providers.length)
    throw new Error('A history needs at least one coder, reviewer and provider');
  const random = seededRandom(options.seed);
  const end = options.end ?? new Date();
  const seed = options.seed & 0xffff;
  const prefix = options.mrnPrefix ?? `QH-${options.seed}-`;
  // The coders' habits, drawn once from the seed.
  const coders = team.coders.map((id, idx) => {
    const errStart = 0.04 + random() * 0.22;
    const improving = random() < 0.4;
    const r1 = Math.floor(random() * team.reviewers.length);
    const r2 = random() < 0.6 ? (r1 + 1) % team.reviewers.length : r1;
    const providers = [0, 1, 2].map(() => 1 + Math.floor(random() * team.providers.length));
    return {
      idx: idx + 1,
      id,
      err_start: errStart,
      err_end: improving ? errStart * 0.35 : errStart * (0.85 + random() * 0.3),
      rev1: team.reviewers[r1]!,
      rev2: team.reviewers[r2]!,
      prov: providers,
      weak: Math.floor(random() * CORRECTED.length),
    };
  });

  if (options.bulkLoad) await manager.query(`SET LOCAL session_replication_role = replica`);
  await manager.query(`DROP TABLE IF EXISTS qh_coder, qh_chart, qh_line`);
  await manager.query(
    `CREATE TEMP TABLE qh_coder ON COMMIT DROP AS
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS x(idx int, id uuid, err_start float8, err_end float8, rev1 uuid, rev2 uuid, prov int[], weak int)`,
    [JSON.stringify(coders)],
  );
  const span = options.weeks * 7 * 86_400;
  // One row per chart: who, when, how many lines, and how error-prone the coder was then.
  await manager.query(
    `CREATE TEMP TABLE qh_chart ON COMMIT DROP AS
     SELECT n, md5($2::text || ':chart:' || n)::uuid AS id, c.id AS coder_id, c.weak,
            CASE WHEN ${r('n + $3', 1)} < 0.75 THEN c.rev1 ELSE c.rev2 END AS reviewer_id,
            c.prov[1 + floor(${r('n + $3', 2)} * 3)::int] AS provider,
            a.approved_at,
            a.approved_at - (1 + ${r('n + $3', 3)} * 70) * interval '1 hour' AS submitted_at,
            CASE WHEN $7::boolean OR a.approved_at + (0.5 + ${r('n + $3', 4)} * 60) * interval '1 hour' < $4::timestamptz
                 THEN a.approved_at + (0.5 + ${r('n + $3', 4)} * 60) * interval '1 hour' END AS signed_off_at,
            1 + floor(${r('n + $3', 5)} * 3.4)::int AS lines,
            c.err_start + (c.err_end - c.err_start) * (1 - a.age / $5::float8) AS err
       FROM generate_series(1, $1::int) n
       JOIN qh_coder c ON c.idx = 1 + floor(${r('n + $3', 6)} * $6)::int
       CROSS JOIN LATERAL (SELECT ${r('n + $3', 7)} * $5::float8 AS age) g
       CROSS JOIN LATERAL (SELECT $4::timestamptz - g.age * interval '1 second' AS approved_at, g.age) a`,
    [
      options.charts,
      `${team.organizationId}:${options.seed}`,
      seed,
      end.toISOString(),
      span,
      coders.length,
      options.allSignedOff ?? false,
    ],
  );
  // Lines: the coder's (accepted, corrected or rejected) and, now and then, one they missed.
  await manager.query(
    `CREATE TEMP TABLE qh_line ON COMMIT DROP AS
     WITH raw AS (
       SELECT c.*, p AS position, c.n * 8 + p AS k,
              CASE WHEN p > c.lines THEN 'missed'
                   WHEN ${r('c.n * 8 + p + $3', 11)} < c.err * 0.7 THEN 'corrected'
                   WHEN ${r('c.n * 8 + p + $3', 11)} < c.err THEN 'rejected'
                   ELSE 'accepted' END AS outcome,
              CASE WHEN p = 1 AND ${r('c.n * 8 + p + $3', 12)} < 0.7
                   THEN ($4::int[])[1 + floor(${r('c.n * 8 + p + $3', 13)} * cardinality($4::int[]))::int]
                   ELSE 1 + floor(${r('c.n * 8 + p + $3', 13)} * cardinality($1::text[]))::int END AS ci
         FROM qh_chart c
         CROSS JOIN LATERAL generate_series(1, c.lines + CASE WHEN ${r('c.n + $3', 14)} < c.err * 0.5 THEN 1 ELSE 0 END) p)
     SELECT raw.*, md5($5::text || ':line:' || raw.k)::uuid AS line_id,
            ($1::text[])[ci] AS code, ($2::text[])[ci] AS family, ($6::int[])[ci] AS cents,
            ($7::text[])[ci] AS alt_code,
            CASE outcome
              WHEN 'missed' THEN 'missed-code'
              WHEN 'rejected' THEN ($8::text[])[1 + floor(${r('k + $3', 15)} * cardinality($8::text[]))::int]
              WHEN 'corrected' THEN CASE
                WHEN ${r('k + $3', 16)} < 0.5 THEN ($9::text[])[1 + raw.weak]
                ELSE ($9::text[])[1 + floor(${r('k + $3', 17)} * cardinality($9::text[]))::int] END
            END AS category
       FROM raw`,
    [
      CODES.map((c) => c.code),
      CODES.map((c) => codeFamily(c.code)),
      seed,
      EM_CODES.map((i) => i + 1),
      `${team.organizationId}:${options.seed}`,
      CODES.map((c) => c.cents),
      CODES.map((c) => c.alt),
      REJECTED,
      CORRECTED,
    ],
  );
  // The final line: a wrong code or level becomes the alternative, units go up by one, a
  // modifier is added or swapped, a pointer moves; a rejected line has none.
  await manager.query(
    `ALTER TABLE qh_line ADD COLUMN coder_line jsonb, ADD COLUMN final_line jsonb,
       ADD COLUMN final_code text, ADD COLUMN coder_cents bigint, ADD COLUMN final_cents bigint`,
  );
  await manager.query(
    `UPDATE qh_line SET
       coder_line = CASE WHEN outcome = 'missed' THEN NULL ELSE
         jsonb_build_object('code', code, 'modifiers', '[]'::jsonb, 'units', 1, 'pointers', '["A"]'::jsonb) END,
       final_code = CASE WHEN category IN ('wrong-code', 'wrong-level') AND outcome = 'corrected' THEN alt_code ELSE code END,
       coder_cents = CASE WHEN outcome = 'missed' THEN 0 ELSE cents END`,
  );
  await manager.query(
    `UPDATE qh_line l SET
       final_line = CASE WHEN outcome = 'rejected' THEN NULL ELSE jsonb_build_object(
         'code', final_code,
         'modifiers', CASE category WHEN 'missing-modifier' THEN '["25"]'::jsonb
                                    WHEN 'wrong-modifier' THEN '["LT"]'::jsonb ELSE '[]'::jsonb END,
         'units', CASE WHEN category = 'units' THEN 2 ELSE 1 END,
         'pointers', CASE WHEN category = 'diagnosis-pointer' THEN '["B"]'::jsonb ELSE '["A"]'::jsonb END) END,
       final_cents = CASE WHEN outcome = 'rejected' THEN 0
                          WHEN category = 'units' THEN 2 * cents
                          WHEN final_code <> code THEN coalesce((SELECT x.c FROM unnest($1::text[], $2::int[]) x(code, c) WHERE x.code = l.final_code LIMIT 1), cents)
                          ELSE cents END`,
    [CODES.map((c) => c.code), CODES.map((c) => c.cents)],
  );

  const patients = `(($1::text[])[1 + (hashint4(c.n + $5) & 1023) % cardinality($1::text[])] || ' ' ||
                     ($2::text[])[1 + (hashint4(c.n * 3 + $5) & 1023) % cardinality($2::text[])])`;
  await manager.query(
    `INSERT INTO encounters (id, organization_id, patient_mrn, patient_name, patient_dob, date_of_service,
        provider_name, provider_npi, place_of_service, clinical_note, diagnoses, status, coder_id,
        reviewer_id, version, coded_by, created_at, updated_at, submitted_at, approved_at, signed_off_at)
     SELECT c.id, $3, $4::text || c.n, ${patients},
            date '1940-01-01' + (hashint4(c.n * 5 + $5) & 32767) % 25000,
            (c.submitted_at - (hashint4(c.n * 7 + $5) & 7) * interval '1 day')::date,
            ($6::text[])[c.provider], ($7::text[])[c.provider], '11',
            'Reviewed history chart (generated).', ARRAY['M1711'],
            CASE WHEN c.signed_off_at IS NULL THEN 'approved' ELSE 'signed_off' END,
            c.coder_id, c.reviewer_id, 0, ARRAY[c.coder_id],
            c.submitted_at - interval '2 hours', coalesce(c.signed_off_at, c.approved_at),
            c.submitted_at, c.approved_at, c.signed_off_at
       FROM qh_chart c`,
    [
      FIRST,
      LAST,
      team.organizationId,
      prefix,
      seed,
      team.providers.map((p) => p.name),
      team.providers.map((p) => p.npi),
    ],
  );
  await manager.query(
    `INSERT INTO claim_lines (id, encounter_id, position, code, modifiers, units, pointers, origin,
        review_state, review_category, review_comment, reviewed_by, reviewed_by_name, submitted)
     SELECT l.line_id, l.id, l.position, l.final_code,
            ARRAY(SELECT jsonb_array_elements_text(coalesce(l.final_line, l.coder_line)->'modifiers')),
            (coalesce(l.final_line, l.coder_line)->>'units')::int,
            ARRAY(SELECT jsonb_array_elements_text(coalesce(l.final_line, l.coder_line)->'pointers')),
            CASE WHEN l.outcome = 'missed' THEN 'reviewer' ELSE 'coder' END,
            CASE WHEN l.outcome = 'rejected' THEN 'rejected' ELSE 'accepted' END,
            CASE WHEN l.outcome = 'rejected' THEN l.category END,
            CASE WHEN l.outcome IN ('rejected', 'missed') THEN ($1::jsonb)->>l.category END,
            l.reviewer_id, u.name, l.coder_line
       FROM qh_line l LEFT JOIN users u ON u.id = l.reviewer_id`,
    [JSON.stringify(COMMENTS)],
  );
  await manager.query(
    `INSERT INTO suggestions (encounter_id, line_id, author_id, author_name, before, proposed, category,
        comment, status, answered_by, answered_by_name, created_seq, last_seq, created_at)
     SELECT l.id, l.line_id, l.reviewer_id, coalesce(ru.name, 'Reviewer'), l.coder_line, l.final_line,
            l.category, ($1::jsonb)->>l.category, 'accepted', l.coder_id, cu.name, 0, 0,
            l.approved_at - interval '30 minutes'
       FROM qh_line l LEFT JOIN users ru ON ru.id = l.reviewer_id LEFT JOIN users cu ON cu.id = l.coder_id
      WHERE l.outcome = 'corrected'`,
    [JSON.stringify(COMMENTS)],
  );
  await manager.query(
    `INSERT INTO review_outcomes (encounter_id, approval_seq, line_id, outcome, category, coder_line,
        final_line, coder_id, reviewer_id, approved_at, code, family, coder_cents, final_cents)
     SELECT id, 0, line_id, outcome, category, coder_line, final_line, coder_id, reviewer_id,
            approved_at, CASE WHEN outcome = 'rejected' THEN code ELSE final_code END,
            family, coder_cents, final_cents
       FROM qh_line`,
  );
  await manager.query(
    `INSERT INTO review_results (encounter_id, organization_id, approval_seq, coder_id, reviewer_id,
        provider_npi, submitted_at, approved_at, week, signed_off_at, coder_lines, accepted_unchanged,
        missed_lines, corrected, rejected, clean, coder_cents, reviewed_cents, categories, families)
     SELECT c.id, $1, 0, c.coder_id, c.reviewer_id, ($2::text[])[c.provider], c.submitted_at,
            c.approved_at, date_trunc('week', c.approved_at AT TIME ZONE 'UTC')::date, c.signed_off_at,
            count(*) FILTER (WHERE l.outcome <> 'missed'), count(*) FILTER (WHERE l.outcome = 'accepted'),
            count(*) FILTER (WHERE l.outcome = 'missed'), count(*) FILTER (WHERE l.outcome = 'corrected'),
            count(*) FILTER (WHERE l.outcome = 'rejected'), bool_and(l.outcome = 'accepted'),
            sum(l.coder_cents), sum(l.final_cents),
            coalesce(array_agg(DISTINCT l.category ORDER BY l.category) FILTER (WHERE l.category IS NOT NULL), '{}'),
            array_agg(DISTINCT l.family ORDER BY l.family)
       FROM qh_chart c JOIN qh_line l ON l.n = c.n
      GROUP BY c.id, c.coder_id, c.reviewer_id, c.provider, c.submitted_at, c.approved_at, c.signed_off_at`,
    [team.organizationId, team.providers.map((p) => p.npi)],
  );
  const [{ lines }] = await manager.query<[{ lines: number }]>(
    `SELECT count(*)::int AS lines FROM qh_line`,
  );
  await manager.query(`DROP TABLE qh_coder, qh_chart, qh_line`);
  if (options.bulkLoad) await manager.query(`SET LOCAL session_replication_role = DEFAULT`);
  // The roll-ups from the base rows, as the approval path's rebuild derives them.
  await new QualityResultsRepository().rebuild(manager, team.organizationId);
  await rebuildTurnaround(manager, team.organizationId);
  return { charts: options.charts, lines };
}

/**
 * The organization's turnaround histogram (migration QualityIndexes) recomputed from
 * `review_results`; its trigger keeps it in step otherwise, so this matters after a bulk load.
 */
export async function rebuildTurnaround(
  manager: EntityManager,
  organizationId: string,
): Promise<void> {
  await manager.query(`DELETE FROM quality_turnaround WHERE organization_id = $1`, [
    organizationId,
  ]);
  await manager.query(
    `INSERT INTO quality_turnaround (organization_id, week, family, kind, bucket, charts)
     SELECT r.organization_id, r.week, f, k.kind, quality_duration_bucket(k.hours), count(*)
       FROM review_results r
       CROSS JOIN LATERAL unnest(array_append(r.families, '')) AS f
       CROSS JOIN LATERAL (VALUES (1::smallint, date_part('epoch', r.approved_at - r.submitted_at) / 3600),
                                  (2::smallint, date_part('epoch', r.signed_off_at - r.approved_at) / 3600)) AS k(kind, hours)
      WHERE r.organization_id = $1 AND k.hours IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5`,
    [organizationId],
  );
}

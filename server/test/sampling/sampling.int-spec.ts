import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SAMPLING_POLICY,
  samplingDraw,
  type CoderReviewLevel,
  type Encounter,
  type EncounterEvent,
  type RecordedSamplingDecision,
  type ReviewLevel,
  type SamplingPolicy,
} from '@countersign/shared';
import { CatalogGeneration } from '../../src/catalog/catalog-generation.js';
import type { RunningServer } from '../../src/bootstrap.js';
import { PUBLIC_CODE_SET_FILES } from '../../src/catalog/public-code-sets.js';
import { importReferenceData } from '../../src/testing/code-sets.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  meta,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

type Role = 'coder' | 'reviewer' | 'supervisor' | 'admin';
type Line = { code: string; modifiers?: string[]; units?: number; pointers?: string[] };

const DAY_MS = 24 * 60 * 60 * 1000;

/** One reviewed chart of the coder's history, as the approval would have recorded it. */
interface PastChart {
  coderLines: number;
  accepted: number;
  missed?: number;
  categories?: string[];
  daysAgo?: number;
}
const CLEAN: PastChart = { coderLines: 4, accepted: 4, daysAgo: 60 };

/**
 * Sampling at submit against the real server and Postgres: the policy (who may change it, what
 * is refused), a new coder's chart reviewed with the reason, a proven coder's chart skipped to
 * sign-off with `review.skipped` and no review result, each risk rule pulling a chart back in,
 * and the levels supervisors and coders see. A coder's history is inserted as review_results rows.
 */
describe('sampling at submit', () => {
  let server: RunningServer;
  const sockets: LiveClient[] = [];

  interface Clinic {
    org: TestOrganization;
    cookies: Record<Role, string>;
  }

  async function clinic(
    history: PastChart[] = [],
    policy?: Partial<SamplingPolicy>,
  ): Promise<Clinic> {
    const org = await createOrganization(server.dataSource, 'Sampling Clinic');
    const cookies = {} as Record<Role, string>;
    for (const role of ['coder', 'reviewer', 'supervisor', 'admin'] as const)
      cookies[role] = await login(server.url, org.users[role]);
    await insertHistory(org, history);
    if (policy) {
      const saved = await api(server.url, cookies.supervisor, 'PUT', '/api/sampling/policy', {
        ...DEFAULT_SAMPLING_POLICY,
        ...policy,
      });
      expect(saved.status).toBe(200);
    }
    return { org, cookies };
  }

  async function insertHistory(org: TestOrganization, history: PastChart[]): Promise<void> {
    const { coder, reviewer } = org.users;
    for (const chart of history) {
      const approvedAt = new Date(Date.now() - (chart.daysAgo ?? 60) * DAY_MS);
      const [row] = await server.dataSource.query<[{ id: string }]>(
        `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                                 place_of_service, clinical_note, diagnoses, status, coder_id, reviewer_id, coded_by, version)
         VALUES ($1, $2, 'History Patient', '1960-01-01', '2026-01-05', 'Dr History', '11', 'Note', '{E119}', 'signed_off', $3, $4, ARRAY[$3]::uuid[], 1)
         RETURNING id`,
        [org.id, `H-${randomUUID().slice(0, 8)}`, coder.id, reviewer.id],
      );
      const changed = chart.coderLines - chart.accepted;
      await server.dataSource.query(
        `INSERT INTO review_results (encounter_id, organization_id, approval_seq, coder_id, reviewer_id, approved_at, week,
                                     coder_lines, accepted_unchanged, missed_lines, corrected, rejected, clean,
                                     coder_cents, reviewed_cents, categories)
         VALUES ($1, $2, 5, $3, $4, $5, date_trunc('week', $5::timestamptz)::date, $6, $7, $8, $9, 0, $10, 10000, 10000, $11)`,
        [
          row.id,
          org.id,
          coder.id,
          reviewer.id,
          approvedAt,
          chart.coderLines,
          chart.accepted,
          chart.missed ?? 0,
          changed,
          changed === 0 && !chart.missed,
          chart.categories ?? [],
        ],
      );
    }
  }

  /** The coder creates a chart with `lines` and submits it; returns the chart, its log and decision. */
  async function submit(
    { org, cookies }: Clinic,
    lines: Line[],
  ): Promise<{
    chart: Encounter;
    events: EncounterEvent[];
    decision: RecordedSamplingDecision;
    seq: number;
  }> {
    const created = await api<Encounter>(
      server.url,
      cookies.coder,
      'POST',
      '/api/encounters',
      encounterBody({
        coderId: org.users.coder.id,
        lines: lines.map((l) => ({ pointers: ['A'], ...l })),
      }),
    );
    expect(created.status).toBe(201);
    const socket = await connectSocket(server.url, cookies.coder);
    sockets.push(socket);
    const ack = await emitAck(socket, 'encounter:transition', {
      encounterId: created.body.id,
      ...meta(created.body.version),
      transition: 'submit',
    });
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
    const seq = ack.data.seq;
    const chart = await api<Encounter>(
      server.url,
      cookies.coder,
      'GET',
      `/api/encounters/${created.body.id}`,
    );
    const log = await api<{ items: EncounterEvent[] }>(
      server.url,
      cookies.coder,
      'GET',
      `/api/encounters/${created.body.id}/events?after=0`,
    );
    const decision = await api<RecordedSamplingDecision>(
      server.url,
      cookies.coder,
      'GET',
      `/api/encounters/${created.body.id}/sampling`,
    );
    expect(decision.status).toBe(200);
    return { chart: chart.body, events: log.body.items, decision: decision.body, seq };
  }

  const quiet: Line[] = [{ code: '99213' }];
  const proven = Array.from({ length: 30 }, () => CLEAN);

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  describe('the policy', () => {
    it('reads the defaults until a supervisor saves one, then the saved one, for anyone', async () => {
      const c = await clinic();
      const before = await api<SamplingPolicy>(
        server.url,
        c.cookies.coder,
        'GET',
        '/api/sampling/policy',
      );
      expect(before).toEqual({ status: 200, body: DEFAULT_SAMPLING_POLICY });

      const lowered = { ...DEFAULT_SAMPLING_POLICY, newCoderCharts: 10, sampleRate: 0.1 };
      for (const role of ['supervisor', 'admin'] as const) {
        const put = await api<SamplingPolicy>(
          server.url,
          c.cookies[role],
          'PUT',
          '/api/sampling/policy',
          lowered,
        );
        expect(put).toEqual({ status: 200, body: lowered });
      }
      const after = await api<SamplingPolicy>(
        server.url,
        c.cookies.reviewer,
        'GET',
        '/api/sampling/policy',
      );
      expect(after.body).toEqual(lowered);
      const [{ n }] = await server.dataSource.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM sampling_policy_revisions WHERE organization_id = $1`,
        [c.org.id],
      );
      expect(n).toBe(2);
    });

    it('lets only supervisors and admins change it', async () => {
      const c = await clinic();
      for (const role of ['coder', 'reviewer'] as const) {
        const put = await api<{ code: string }>(
          server.url,
          c.cookies[role],
          'PUT',
          '/api/sampling/policy',
          {
            ...DEFAULT_SAMPLING_POLICY,
            sampleRate: 0,
          },
        );
        expect(put.status).toBe(403);
        expect(put.body.code).toBe('forbidden');
      }
      const still = await api<SamplingPolicy>(
        server.url,
        c.cookies.coder,
        'GET',
        '/api/sampling/policy',
      );
      expect(still.body).toEqual(DEFAULT_SAMPLING_POLICY);
    });

    it('refuses a bad policy with the fields that are wrong, and changes nothing', async () => {
      const c = await clinic();
      const bad = await api<{ code: string; details: { issues: { path: string }[] } }>(
        server.url,
        c.cookies.supervisor,
        'PUT',
        '/api/sampling/policy',
        {
          ...DEFAULT_SAMPLING_POLICY,
          sampleRate: 1.5,
          risk: { ...DEFAULT_SAMPLING_POLICY.risk, modifiers: ['2'] },
        },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
      expect(bad.body.details.issues.map((i) => i.path).sort()).toEqual([
        'risk.modifiers.0',
        'sampleRate',
      ]);
      const unknown = await api(server.url, c.cookies.supervisor, 'PUT', '/api/sampling/policy', {
        ...DEFAULT_SAMPLING_POLICY,
        extra: 1,
      });
      expect(unknown.status).toBe(400);
      const still = await api<SamplingPolicy>(
        server.url,
        c.cookies.coder,
        'GET',
        '/api/sampling/policy',
      );
      expect(still.body).toEqual(DEFAULT_SAMPLING_POLICY);
    });
  });

  describe('the decision at submit', () => {
    it('reviews a new coder’s chart and says why', async () => {
      const c = await clinic(Array.from({ length: 12 }, () => CLEAN));
      const { chart, decision, events, seq } = await submit(c, quiet);
      expect(chart.status).toBe('submitted');
      expect(events.at(-1)?.type).toBe('status.changed');
      expect(decision).toMatchObject({
        encounterId: chart.id,
        seq,
        review: true,
        level: 'full',
        reasons: ['Coder at 100% review: 12 of 30 reviewed charts so far'],
        draw: samplingDraw(chart.id, seq),
      });
    });

    it('skips a proven coder’s chart not drawn: straight to sign-off, recorded, not a review', async () => {
      const c = await clinic(proven, { sampleRate: 0 });
      const { chart, decision, events, seq } = await submit(c, quiet);
      expect(chart.status).toBe('approved');
      expect(chart.reviewer).toBeNull();
      expect(chart.lines.every((l) => l.submitted)).toBe(true);
      const last = events.at(-1)!;
      expect(last).toMatchObject({
        seq,
        type: 'review.skipped',
        actor: { id: c.org.users.coder.id },
        payload: {
          from: 'draft',
          to: 'approved',
          reasons: ['Not sampled (0% sample)'],
          level: 'sampled',
          explanation: '0% sample: 100% line accuracy over the last 30 charts',
        },
      });
      expect(decision).toMatchObject({ review: false, seq, level: 'sampled' });
      const [{ n }] = await server.dataSource.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM review_results WHERE encounter_id = $1`,
        [chart.id],
      );
      expect(n).toBe(0);

      // A supervisor signs it off as any approved chart.
      const socket = await connectSocket(server.url, c.cookies.supervisor);
      sockets.push(socket);
      const signed = await emitAck(socket, 'encounter:transition', {
        encounterId: chart.id,
        ...meta(seq),
        transition: 'sign-off',
      });
      expect(signed.ok).toBe(true);

      // Reopened, a chart that was never reviewed waits for a reviewer like a submission.
      const reopened = await emitAck(socket, 'encounter:transition', {
        encounterId: chart.id,
        ...meta(seq + 1),
        transition: 'reopen',
        reason: 'A payer asked about this visit',
      });
      expect(reopened.ok).toBe(true);
      const after = await api<Encounter>(
        server.url,
        c.cookies.reviewer,
        'GET',
        `/api/encounters/${chart.id}`,
      );
      expect(after.body.status).toBe('submitted');
    });

    it('draws a proven coder’s chart by the hash of its id and seq at the policy’s rate', async () => {
      const c = await clinic(proven);
      const { chart, decision, seq } = await submit(c, quiet);
      const draw = samplingDraw(chart.id, seq);
      expect(decision.draw).toBe(draw);
      expect(decision.review).toBe(draw < 0.25);
      expect(chart.status).toBe(draw < 0.25 ? 'submitted' : 'approved');
      expect(decision.reasons).toEqual([
        draw < 0.25
          ? `Sampled (draw ${draw.toFixed(4)} under the 25% sample)`
          : 'Not sampled (25% sample)',
      ]);
    });

    it('pulls a proven coder’s chart in for modifier 25 or 59', async () => {
      const c = await clinic(proven, { sampleRate: 0 });
      const { chart, decision } = await submit(c, [
        { code: '99213', modifiers: ['25'] },
        { code: '20610', modifiers: ['59'] },
      ]);
      expect(chart.status).toBe('submitted');
      expect(decision.reasons).toEqual([
        'Modifier 25 on line 1 (99213)',
        'Modifier 59 on line 2 (20610)',
      ]);
    });

    it('pulls a chart in when a category the coder failed recently comes up', async () => {
      const c = await clinic(
        [{ coderLines: 4, accepted: 3, categories: ['units'], daysAgo: 3 }, ...proven.slice(1)],
        { sampleRate: 0 },
      );
      const { chart, decision } = await submit(c, quiet);
      expect(chart.status).toBe('submitted');
      expect(decision).toMatchObject({
        level: 'sampled',
        reasons: ['Corrected in the last 30 days: Units'],
      });
    });

    it('pulls a chart in above the dollar limit', async () => {
      await importReferenceData(
        server.dataSource,
        PUBLIC_CODE_SET_FILES.filter(
          (f) => f.kind === 'rvu-tsv' || f.kind === 'conversion-factors-tsv',
        ),
      );
      // As an admin's import does: the server's reference snapshot is rebuilt with the new data.
      server.app.get(CatalogGeneration).changed();
      const c = await clinic(proven, {
        sampleRate: 0,
        risk: { ...DEFAULT_SAMPLING_POLICY.risk, dollarLimitCents: 5_000 },
      });
      const { chart, decision } = await submit(c, [{ code: '99215' }]);
      expect(chart.status).toBe('submitted');
      expect(decision.reasons).toHaveLength(1);
      expect(decision.reasons[0]).toMatch(/^Estimate \$\d+\.\d\d is above the \$50\.00 limit$/);
      // The editions of a first load replaced nothing: they are not new.
      const cheap = await submit(c, [{ code: '36415' }]);
      expect(cheap.decision.review).toBe(false);
    });

    it('pulls a chart in after a code-set edition replaced an older one, for newEditionDays', async () => {
      const c = await clinic(proven, { sampleRate: 0 });
      const load = async (edition: string, effective: string, daysAgo: number) => {
        const at = new Date(Date.now() - daysAgo * DAY_MS);
        const [imp] = await server.dataSource.query<[{ id: string }]>(
          `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, started_at, finished_at)
           VALUES ('sampling-test', 'SAMPLETEST', $1, $2, 'test.tsv', $3, 'succeeded', $4, $4) RETURNING id`,
          [edition, effective, randomUUID(), at],
        );
        await server.dataSource.query(
          `INSERT INTO catalog_editions (kind, edition, dataset, effective_date, file_name, import_id)
           VALUES ('sampling-test', $1, 'SAMPLETEST', $2, 'test.tsv', $3)`,
          [edition, effective, imp.id],
        );
      };
      try {
        await load('2025', '2025-01-01', 400);
        await load('2026', '2026-01-01', 40);
        expect((await submit(c, quiet)).decision.review).toBe(false);
        await load('2027', '2027-01-01', 2);
        const { chart, decision } = await submit(c, quiet);
        expect(chart.status).toBe('submitted');
        expect(decision.reasons).toEqual([
          'New code-set edition: SAMPLETEST 2027, loaded 2 days ago',
        ]);
      } finally {
        await server.dataSource.query(`DELETE FROM catalog_editions WHERE kind = 'sampling-test'`);
        await server.dataSource.query(`DELETE FROM catalog_imports WHERE kind = 'sampling-test'`);
      }
    });

    it('reviews a resubmission after changes were requested', async () => {
      const c = await clinic(proven, { sampleRate: 0 });
      const created = await api<Encounter>(
        server.url,
        c.cookies.coder,
        'POST',
        '/api/encounters',
        encounterBody({
          coderId: c.org.users.coder.id,
          lines: [{ code: '99213', pointers: ['A'] }],
        }),
      );
      await server.dataSource.query(
        `UPDATE encounters SET status = 'changes_requested' WHERE id = $1`,
        [created.body.id],
      );
      const socket = await connectSocket(server.url, c.cookies.coder);
      sockets.push(socket);
      const ack = await emitAck(socket, 'encounter:transition', {
        encounterId: created.body.id,
        ...meta(created.body.version),
        transition: 'submit',
      });
      expect(ack.ok).toBe(true);
      const decision = await api<RecordedSamplingDecision>(
        server.url,
        c.cookies.reviewer,
        'GET',
        `/api/encounters/${created.body.id}/sampling`,
      );
      expect(decision.body).toMatchObject({
        review: true,
        reasons: ['Resubmitted after the reviewer asked for changes'],
      });
    });

    it('answers 404 for a chart never submitted or of another organization', async () => {
      const c = await clinic();
      const other = await clinic();
      const { chart } = await submit(c, quiet);
      const theirs = await api(
        server.url,
        other.cookies.coder,
        'GET',
        `/api/encounters/${chart.id}/sampling`,
      );
      expect(theirs.status).toBe(404);
      const draft = await api<Encounter>(
        server.url,
        c.cookies.coder,
        'POST',
        '/api/encounters',
        encounterBody(),
      );
      const none = await api(
        server.url,
        c.cookies.coder,
        'GET',
        `/api/encounters/${draft.body.id}/sampling`,
      );
      expect(none.status).toBe(404);
    });
  });

  describe('review levels', () => {
    it('lists every active coder’s level for supervisors and admins, and each coder sees their own', async () => {
      const c = await clinic(proven);
      const [newcomer] = await server.dataSource.query<[{ id: string }]>(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         VALUES ($1, $2, 'Aaron Newcomer', 'coder', '!') RETURNING id`,
        [c.org.id, `new.${randomUUID().slice(0, 8)}@sampling.example`],
      );
      await server.dataSource.query(
        `INSERT INTO users (organization_id, email, name, role, password_hash, deactivated_at)
         VALUES ($1, $2, 'Gone Coder', 'coder', '!', now())`,
        [c.org.id, `gone.${randomUUID().slice(0, 8)}@sampling.example`],
      );
      for (const role of ['supervisor', 'admin'] as const) {
        const levels = await api<CoderReviewLevel[]>(
          server.url,
          c.cookies[role],
          'GET',
          '/api/sampling/levels',
        );
        expect(levels.status).toBe(200);
        expect(levels.body).toEqual([
          {
            coder: { id: newcomer.id, name: 'Aaron Newcomer' },
            level: {
              level: 'full',
              explanation: '100% review: 0 of 30 reviewed charts so far',
              reviewedCharts: 0,
              lineAccuracy: null,
              sampleRate: 1,
            },
          },
          {
            coder: { id: c.org.users.coder.id, name: c.org.users.coder.name },
            level: {
              level: 'sampled',
              explanation: '25% sample: 100% line accuracy over the last 30 charts',
              reviewedCharts: 30,
              lineAccuracy: 1,
              sampleRate: 0.25,
            },
          },
        ]);
      }
      for (const role of ['coder', 'reviewer'] as const) {
        const refused = await api(server.url, c.cookies[role], 'GET', '/api/sampling/levels');
        expect(refused.status).toBe(403);
      }
      const mine = await api<ReviewLevel>(
        server.url,
        c.cookies.coder,
        'GET',
        '/api/sampling/my-level',
      );
      expect(mine.body.explanation).toBe('25% sample: 100% line accuracy over the last 30 charts');
    });

    it('counts a chart approved through the review: the 30th clean chart earns sampling', async () => {
      const c = await clinic(proven.slice(1), { sampleRate: 0 });
      const { chart, seq } = await submit(c, quiet);
      expect(chart.status).toBe('submitted');
      const socket = await connectSocket(server.url, c.cookies.reviewer);
      sockets.push(socket);
      const step = async (version: number, command: Record<string, unknown>, event: string) => {
        const ack = await emitAck(
          socket,
          event as 'encounter:transition',
          {
            encounterId: chart.id,
            ...meta(version),
            ...command,
          } as never,
        );
        if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
        return ack.data.seq;
      };
      const started = await step(seq, { transition: 'review.start' }, 'encounter:transition');
      const accepted = await step(started, { lineId: chart.lines[0]!.id }, 'review:accept');
      await step(accepted, { transition: 'approve' }, 'encounter:transition');

      const mine = await api<ReviewLevel>(
        server.url,
        c.cookies.coder,
        'GET',
        '/api/sampling/my-level',
      );
      expect(mine.body).toMatchObject({ level: 'sampled', reviewedCharts: 30 });
      expect((await submit(c, quiet)).chart.status).toBe('approved');
    });

    it('puts a coder whose accuracy fell back at full review', async () => {
      const slipping = [
        ...Array.from({ length: 8 }, () => ({ coderLines: 4, accepted: 3, daysAgo: 40 })),
        ...proven,
      ];
      const c = await clinic(slipping, { sampleRate: 0 });
      const mine = await api<ReviewLevel>(
        server.url,
        c.cookies.coder,
        'GET',
        '/api/sampling/my-level',
      );
      expect(mine.body).toMatchObject({
        level: 'full',
        reviewedCharts: 38,
        explanation: '100% review: line accuracy 93.3% over the last 30 charts is below 95%',
      });
      const { chart } = await submit(c, quiet);
      expect(chart.status).toBe('submitted');
    });
  });
});

import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ack, ChartAudit, Encounter } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { APP_ROLE } from '../../src/database/app-role.js';
import { asOwner, ownerUrl } from '../support/as-owner.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  meta,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Runs `npm run audit:verify`'s built entry point against `url`; resolves with its exit code and output. */
function runVerifyCli(
  url: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'dist',
    'server',
    'src',
    'audit',
    'audit-verify.cli.js',
  );
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'error' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })),
  );
}

describe('the audit trail', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let coder: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Audit Clinic');
    coder = await login(server.url, org.users.coder);
    admin = await login(server.url, org.users.admin);
  });
  afterAll(() => server.stop());

  /** A chart with two lines added over the socket: three chained events. */
  async function chartWithEvents(): Promise<Encounter> {
    const created = await api<Encounter>(
      server.url,
      coder,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id }),
    );
    expect(created.status).toBe(201);
    const socket = await connectSocket(server.url, coder);
    try {
      for (const [i, code] of ['99213', '20610'].entries()) {
        ok(
          await emitAck(socket, 'line:add', {
            encounterId: created.body.id,
            ...meta(1 + i),
            line: { code, pointers: ['A'] },
          }),
        );
      }
    } finally {
      socket.close();
    }
    return created.body;
  }

  async function audit(encounterId: string): Promise<ChartAudit> {
    const response = await api<ChartAudit>(
      server.url,
      admin,
      'GET',
      `/api/audit/encounters/${encounterId}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  describe('the database', () => {
    it('runs the app pool as the least-privilege role, not the owner', async () => {
      const [who] = await server.dataSource.query(
        'SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser',
      );
      expect(who).toEqual({ current_user: APP_ROLE, superuser: false });
    });

    it('refuses UPDATE, DELETE and TRUNCATE of events and reads to the app role, and DELETE of encounters', async () => {
      const chart = await chartWithEvents();
      await api(server.url, coder, 'GET', `/api/encounters/${chart.id}`);
      const attempts = [
        ['UPDATE encounter_events SET payload = $2 WHERE encounter_id = $1', [chart.id, '{}']],
        ['DELETE FROM encounter_events WHERE encounter_id = $1', [chart.id]],
        ['TRUNCATE encounter_events', []],
        ['UPDATE chart_reads SET via = $2 WHERE encounter_id = $1', [chart.id, 'rewritten']],
        ['DELETE FROM chart_reads WHERE encounter_id = $1', [chart.id]],
        ['DELETE FROM encounters WHERE id = $1', [chart.id]],
        ['DELETE FROM migrations', []],
      ] as const;
      for (const [sql, params] of attempts) {
        await expect(server.dataSource.query(sql, [...params])).rejects.toMatchObject({
          driverError: {
            code: '42501',
            message: expect.stringMatching(/^permission denied for table/),
          },
        });
      }
      const [{ n }] = await server.dataSource.query(
        'SELECT count(*)::int AS n FROM encounter_events WHERE encounter_id = $1',
        [chart.id],
      );
      expect(n).toBe(3);
    });

    it('refuses the same to the owner through the triggers', async () => {
      const chart = await chartWithEvents();
      expect((await api(server.url, coder, 'GET', `/api/encounters/${chart.id}`)).status).toBe(200);
      await asOwner(async (client) => {
        const [{ rolsuper }] = (
          await client.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
        ).rows;
        expect(rolsuper).toBe(true);
        for (const sql of [
          `UPDATE encounter_events SET payload = '{}' WHERE encounter_id = '${chart.id}'`,
          `DELETE FROM encounter_events WHERE encounter_id = '${chart.id}'`,
          'TRUNCATE encounter_events CASCADE',
          `DELETE FROM encounters WHERE id = '${chart.id}'`,
          'TRUNCATE encounters CASCADE',
          `DELETE FROM chart_reads WHERE encounter_id = '${chart.id}'`,
        ]) {
          await expect(client.query(sql)).rejects.toMatchObject({
            code: '42501',
            message: expect.stringContaining('the audit trail is append-only'),
          });
        }
      });
      expect((await audit(chart.id)).chain).toMatchObject({ ok: true, events: 3 });
    });
  });

  describe('the hash chain', () => {
    it('chains every event of a chart and verifies', async () => {
      const chart = await chartWithEvents();
      const rows = await server.dataSource.query(
        'SELECT seq, hash FROM encounter_events WHERE encounter_id = $1 ORDER BY seq',
        [chart.id],
      );
      expect(rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3]);
      expect(new Set(rows.map((r: { hash: string }) => r.hash)).size).toBe(3);
      expect((await audit(chart.id)).chain).toEqual({
        encounterId: chart.id,
        events: 3,
        ok: true,
        brokenAt: null,
        reason: null,
        head: rows[2].hash,
      });
    });

    it('names the first tampered event, over the API and from npm run audit:verify', async () => {
      const intact = await chartWithEvents();
      const chart = await chartWithEvents();
      // A superuser can switch the trigger off; the chain still tells.
      await asOwner(async (client) => {
        await client.query('BEGIN');
        await client.query(
          'ALTER TABLE encounter_events DISABLE TRIGGER encounter_events_append_only',
        );
        await client.query(
          `UPDATE encounter_events SET payload = jsonb_set(payload, '{line,code}', '"99215"') WHERE encounter_id = $1 AND seq = 2`,
          [chart.id],
        );
        await client.query(
          'ALTER TABLE encounter_events ENABLE TRIGGER encounter_events_append_only',
        );
        await client.query('COMMIT');
      });
      expect((await audit(chart.id)).chain).toMatchObject({
        ok: false,
        brokenAt: 2,
        reason: 'event 2 (line.added) does not match its hash',
      });

      const one = await runVerifyCli(ownerUrl(), [chart.id]);
      expect(one.code).toBe(1);
      expect(one.stdout).toContain(
        `encounter ${chart.id}: BROKEN at event 2: event 2 (line.added) does not match its hash`,
      );
      const all = await runVerifyCli(ownerUrl(), ['--all']);
      expect(all.code).toBe(1);
      expect(all.stdout).toContain(`encounter ${chart.id}: BROKEN at event 2`);
      expect(all.stdout).not.toContain(intact.id);
      const good = await runVerifyCli(ownerUrl(), [intact.id]);
      expect(good).toMatchObject({ code: 0, stdout: expect.stringContaining('every chain holds') });
    }, 120_000);

    it('notices a removed last event: the chain is shorter than the chart’s version', async () => {
      const chart = await chartWithEvents();
      await asOwner(async (client) => {
        await client.query('BEGIN');
        await client.query(
          'ALTER TABLE encounter_events DISABLE TRIGGER encounter_events_append_only',
        );
        await client.query('DELETE FROM encounter_events WHERE encounter_id = $1 AND seq = 3', [
          chart.id,
        ]);
        await client.query(
          'ALTER TABLE encounter_events ENABLE TRIGGER encounter_events_append_only',
        );
        await client.query('COMMIT');
      });
      expect((await audit(chart.id)).chain).toMatchObject({
        ok: false,
        brokenAt: 3,
        reason: 'event 3 is missing (the chart is at version 3)',
      });
    });
  });

  describe('reads of a chart', () => {
    async function readsOf(encounterId: string): Promise<Array<{ user_id: string; via: string }>> {
      return server.dataSource.query(
        'SELECT user_id, via FROM chart_reads WHERE encounter_id = $1 ORDER BY id',
        [encounterId],
      );
    }

    it('logs every REST and socket read with who and how, and nothing for a refused read', async () => {
      const chart = await chartWithEvents();
      expect(await readsOf(chart.id)).toEqual([]);
      const paths = [
        `/api/encounters/${chart.id}`,
        `/api/encounters/${chart.id}/events?after=0`,
        `/api/encounters/${chart.id}/edits`,
      ];
      for (const path of paths)
        expect((await api(server.url, coder, 'GET', path)).status).toBe(200);
      const socket = await connectSocket(server.url, coder);
      try {
        ok(await emitAck(socket, 'room:join', { encounterId: chart.id }));
        ok(await emitAck(socket, 'room:catch-up', { encounterId: chart.id, afterSeq: 1 }));
      } finally {
        socket.close();
      }
      expect(await readsOf(chart.id)).toEqual(
        [
          'GET /api/encounters/:id',
          'GET /api/encounters/:id/events',
          'GET /api/encounters/:id/edits',
          'socket room:join',
          'socket room:catch-up',
        ].map((via) => ({
          user_id: org.users.coder.id,
          via,
        })),
      );

      const other = await createOrganization(server.dataSource, 'Other Audit Clinic');
      const outsider = await login(server.url, other.users.coder);
      expect((await api(server.url, outsider, 'GET', `/api/encounters/${chart.id}`)).status).toBe(
        404,
      );
      expect(await readsOf(chart.id)).toHaveLength(5);
      const row = (
        await server.dataSource.query('SELECT * FROM chart_reads WHERE encounter_id = $1 LIMIT 1', [
          chart.id,
        ])
      )[0];
      expect(Object.keys(row).sort()).toEqual([
        'at',
        'encounter_id',
        'id',
        'organization_id',
        'user_id',
        'user_name',
        'via',
      ]);
    });

    it('lists who opened a chart to an admin, newest first, and to nobody else', async () => {
      const chart = await chartWithEvents();
      const reviewer = await login(server.url, org.users.reviewer);
      await api(server.url, coder, 'GET', `/api/encounters/${chart.id}`);
      await api(server.url, reviewer, 'GET', `/api/encounters/${chart.id}/events?after=0`);
      const { reads } = await audit(chart.id);
      expect(reads).toEqual([
        {
          userId: org.users.reviewer.id,
          userName: org.users.reviewer.name,
          via: 'GET /api/encounters/:id/events',
          at: expect.any(String),
        },
        {
          userId: org.users.coder.id,
          userName: org.users.coder.name,
          via: 'GET /api/encounters/:id',
          at: expect.any(String),
        },
      ]);
      for (const cookie of [coder, reviewer, await login(server.url, org.users.supervisor)]) {
        expect(
          await api(server.url, cookie, 'GET', `/api/audit/encounters/${chart.id}`),
        ).toMatchObject({ status: 403, body: { code: 'forbidden' } });
      }
      expect(
        await api(server.url, admin, 'GET', `/api/audit/encounters/${randomUUID()}`),
      ).toMatchObject({ status: 404, body: { code: 'not_found' } });
    });
  });

  describe('operation ids', () => {
    it('answers a retried command as a duplicate and a reused opId with another command as a conflict', async () => {
      const chart = await chartWithEvents();
      const socket = await connectSocket(server.url, coder);
      try {
        const command = {
          encounterId: chart.id,
          baseVersion: 3,
          opId: randomUUID(),
          line: { code: '73562', pointers: ['A' as const] },
        };
        const first = ok(await emitAck(socket, 'line:add', command));
        expect(first).toEqual({ seq: 4, duplicate: false });
        expect(ok(await emitAck(socket, 'line:add', command))).toEqual({ seq: 4, duplicate: true });
        const reused = await emitAck(socket, 'line:add', {
          ...command,
          line: { code: '99214', pointers: ['A' as const] },
        });
        expect(reused).toEqual({
          ok: false,
          error: {
            code: 'conflict',
            message: `Operation ${command.opId} was already used for a different change; send a new opId for a new change`,
          },
        });
        const otherCommand = await emitAck(socket, 'line:remove', {
          encounterId: chart.id,
          baseVersion: 4,
          opId: command.opId,
          lineId: randomUUID(),
        });
        expect(otherCommand).toMatchObject({ ok: false, error: { code: 'conflict' } });
      } finally {
        socket.close();
      }
      const [{ n }] = await server.dataSource.query(
        'SELECT count(*)::int AS n FROM encounter_events WHERE encounter_id = $1',
        [chart.id],
      );
      expect(n).toBe(4);
    });
  });

  describe('the demo seed', () => {
    it('seeds through the app role and every demo chart verifies', async () => {
      const name = `countersign_audit_seed_${Date.now()}_${process.pid}`;
      await asOwner((client) => client.query(`CREATE DATABASE ${name}`));
      const url = new URL(ownerUrl());
      url.pathname = `/${name}`;
      let seeded: RunningServer | null = null;
      try {
        seeded = await startTestApp({ DATABASE_URL: url.toString(), SEED_DEMO: 'true' });
        const [{ charts }] = await seeded.dataSource.query(
          'SELECT count(*)::int AS charts FROM encounters',
        );
        expect(charts).toBeGreaterThan(0);
        const verified = await runVerifyCli(url.toString(), ['--all']);
        expect(verified).toMatchObject({
          code: 0,
          stdout: expect.stringMatching(
            new RegExp(
              `Verified ${charts} chart\\(s\\) and \\d+ people trail\\(s\\), \\d+ event\\(s\\) in \\d+ ms: every chain holds`,
            ),
          ),
        });
        process.stdout.write(`audit:verify on the demo data: ${verified.stdout}`);
      } finally {
        await seeded?.stop();
        await asOwner((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    }, 180_000);
  });
});

import type { Encounter, EncounterEvent } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { ConvergingClient } from '../support/converging-client.js';
import {
  api,
  createOrganization,
  encounterBody,
  eventually,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

/** Deterministic pseudo-random numbers, so a failing run can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('nothing lost: contention, reconnects and random disconnects', () => {
  let server: RunningServer;
  let org: TestOrganization;
  const cookies: Record<string, string> = {};
  const clients: ConvergingClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Convergence Clinic');
    for (const role of ['coder', 'reviewer', 'supervisor'] as const)
      cookies[role] = await login(server.url, org.users[role]);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => server.stop());

  async function newChart(): Promise<Encounter> {
    return (
      await api<Encounter>(
        server.url,
        cookies.coder!,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users.coder.id }),
      )
    ).body;
  }

  async function client(role: string, encounterId: string): Promise<ConvergingClient> {
    const c = new ConvergingClient(server.url, cookies[role]!, encounterId);
    clients.push(c);
    await c.connect();
    return c;
  }

  /** Every acknowledged command is in the log exactly once, nothing refused is, the log is gapless, and all agree with a fresh load. */
  async function expectConverged(
    encounterId: string,
    all: ConvergingClient[],
  ): Promise<EncounterEvent[]> {
    const fresh = (
      await api<Encounter>(server.url, cookies.coder!, 'GET', `/api/encounters/${encounterId}`)
    ).body;
    await eventually(
      () => all.every((c) => c.state?.version === fresh.version),
      10_000,
      `every client to reach version ${fresh.version}`,
    );
    for (const c of all) expect(c.state).toEqual(fresh);
    const log = (
      await api<{ items: EncounterEvent[] }>(
        server.url,
        cookies.coder!,
        'GET',
        `/api/encounters/${encounterId}/events`,
      )
    ).body.items;
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: fresh.version }, (_, i) => i + 1));
    const opIds = log.map((e) => e.opId).filter((id): id is string => id !== null);
    expect(new Set(opIds).size).toBe(opIds.length);
    for (const c of all) {
      for (const [opId, seq] of c.applied) expect(log.find((e) => e.opId === opId)?.seq).toBe(seq);
      for (const opId of c.refused.keys()) expect(opIds).not.toContain(opId);
    }
    return log;
  }

  it('orders 20 clients sending at once into one gapless history that every client converges on', async () => {
    const chart = await newChart();
    const seed = await client('coder', chart.id);
    await seed.command('line:add', { line: { code: '99213', pointers: ['A'] } });
    const lineId = seed.state!.lines[0]!.id;
    const roles = [
      ...Array(10).fill('coder'),
      ...Array(5).fill('reviewer'),
      ...Array(5).fill('supervisor'),
    ] as string[];
    const all = [
      seed,
      ...(await Promise.all(roles.slice(1).map((role) => client(role, chart.id)))),
    ];
    await Promise.all(
      all.map((c, i) => {
        if (roles[i] !== 'coder') return c.command('comment:add', { lineId, body: `Note ${i}` });
        // Half the coders edit the same line from the same version: one wins, the others conflict.
        return i % 2
          ? c.command('line:update', { lineId, patch: { units: i } })
          : c.command('line:add', { line: { code: '36415', units: 1, pointers: ['A'] } });
      }),
    );
    const acknowledged = all.reduce((n, c) => n + c.applied.size, 0);
    const conflicts = all.flatMap((c) => [...c.refused.values()]);
    expect(acknowledged + conflicts.length).toBe(21);
    expect(conflicts.every((code) => code === 'conflict')).toBe(true);
    expect(conflicts).toHaveLength(4);
    const log = await expectConverged(chart.id, all);
    expect(log).toHaveLength(1 + acknowledged);
  });

  it('brings a client that was offline for 50 events up to date from the event log', async () => {
    const chart = await newChart();
    const writer = await client('coder', chart.id);
    const away = await client('reviewer', chart.id);
    away.disconnect();
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 0)
        await writer.command('line:add', {
          line: { code: '99213', units: i + 1, pointers: ['A'] },
        });
      else await writer.command('comment:add', { lineId: null, body: `Comment ${i}` });
    }
    expect(writer.state!.version).toBe(51);
    await away.connect();
    expect(away.caughtUpEvents).toBe(50);
    await expectConverged(chart.id, [writer, away]);
  });

  it('converges with nothing acknowledged missing while 5 clients send random commands and drop their connections', async () => {
    const chart = await newChart();
    const roles = ['coder', 'coder', 'coder', 'reviewer', 'supervisor'];
    const all = await Promise.all(roles.map((role) => client(role, chart.id)));
    const rand = random(20261124);
    await Promise.all(
      all.map(async (c, i) => {
        for (let n = 0; n < 20; n++) {
          const roll = rand();
          if (roll < 0.15) {
            c.disconnect();
            await new Promise((r) => setTimeout(r, Math.floor(rand() * 60)));
          }
          const lines = c.state?.lines ?? [];
          const line = lines[Math.floor(rand() * lines.length)];
          const pick = rand();
          if (roles[i] === 'coder' && (pick < 0.4 || !line))
            await c.command('line:add', { line: { code: '99213', units: 1 + n, pointers: ['A'] } });
          else if (roles[i] === 'coder' && pick < 0.7)
            await c.command('line:update', {
              lineId: line!.id,
              patch: { units: 1 + Math.floor(rand() * 9) },
            });
          else if (roles[i] === 'coder' && pick < 0.8 && lines.length > 1)
            await c.command('line:remove', { lineId: line!.id });
          else await c.command('comment:add', { lineId: null, body: `client ${i} says ${n}` });
          if (rand() < 0.1) c.disconnect();
        }
      }),
    );
    for (const c of all) await c.connect();
    const log = await expectConverged(chart.id, all);
    const acknowledged = all.reduce((n, c) => n + c.applied.size, 0);
    expect(log).toHaveLength(1 + acknowledged);
    expect(acknowledged).toBeGreaterThan(60);
  });
});

import { randomUUID } from 'node:crypto';
import type { Ack, CommandResult, Encounter } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  startTestApp,
  type LiveClient,
} from '../support/test-app.js';

const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Stated bounds, generous for a shared two-core machine: p95 of a peer's edit-to-peer and REST latency during the flood. */
const PEER_P95_BOUND_MS = 2500;
const REST_P95_BOUND_MS = 2500;
/** Heap the server may grow by during the flood (it grew to 4.1 GB before limits). */
const HEAP_GROWTH_BOUND_MB = 150;
const FLOOD_MS = 4000;

/** Waits until no statement of this database is running but this one (the flooder's accepted commands finished). */
async function settled(server: RunningServer): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [{ busy }] = await server.dataSource.query(
      `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`,
    );
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy} statements still running`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe('one socket flooding commands', () => {
  let server: RunningServer;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    // The default limits, counted in Redis as in production.
    server = await startTestApp({
      REDIS_URL: redisUrl,
      SOCKET_COMMANDS_PER_SECOND: '20',
      SOCKET_MAX_IN_FLIGHT: '4',
      SOCKET_REFUSALS_BEFORE_DISCONNECT: '50',
      USER_COMMANDS_PER_MINUTE: '600',
      REST_REQUESTS_PER_MINUTE: '600',
    });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server.stop();
  });

  it('is refused rate_limited, then disconnected, while another user’s edits and REST stay fast and memory stays bounded', async () => {
    const flooders = await createOrganization(server.dataSource, 'Flood Clinic');
    const peers = await createOrganization(server.dataSource, 'Peer Clinic');
    const floodSupervisor = await login(server.url, flooders.users.supervisor);
    const floodChart = (
      await api<Encounter>(
        server.url,
        floodSupervisor,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: flooders.users.coder.id }),
      )
    ).body;
    const peerSupervisor = await login(server.url, peers.users.supervisor);
    const peerChart = (
      await api<Encounter>(
        server.url,
        peerSupervisor,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: peers.users.coder.id }),
      )
    ).body;

    const floodCookie = await login(server.url, flooders.users.coder);
    const writerCookie = await login(server.url, peers.users.coder);
    const readerCookie = await login(server.url, peers.users.reviewer);
    const writer = await connectSocket(server.url, writerCookie);
    const reader = await connectSocket(server.url, readerCookie);
    sockets.push(writer, reader);
    for (const socket of [writer, reader])
      expect((await emitAck(socket, 'room:join', { encounterId: peerChart.id })).ok).toBe(true);

    let version = peerChart.version;
    /** Another user edits and the room mate sees it, and REST reads, until `until`. */
    const measure = async (until: number) => {
      const peer: number[] = [];
      const rest: number[] = [];
      const edits = (async () => {
        while (Date.now() < until) {
          const opId = randomUUID();
          const started = performance.now();
          const seen = new Promise<void>((resolve) => {
            const onEvent = (event: { opId?: string | null }) => {
              if (event.opId !== opId) return;
              reader.off('encounter:event', onEvent);
              resolve();
            };
            reader.on('encounter:event', onEvent);
          });
          const ack = await emitAck(writer, 'comment:add', {
            encounterId: peerChart.id,
            baseVersion: version,
            opId,
            lineId: null,
            body: 'peer edit',
            mentions: [],
          });
          if (!ack.ok) throw new Error(`the peer was refused: ${ack.error.code}`);
          version = ack.data.seq;
          await seen;
          peer.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const reads = (async () => {
        while (Date.now() < until) {
          const started = performance.now();
          const response = await api(
            server.url,
            readerCookie,
            'GET',
            `/api/encounters/${peerChart.id}`,
          );
          expect(response.status).toBe(200);
          rest.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await Promise.all([edits, reads]);
      return { peer, rest };
    };
    const figures = (values: number[]) => ({
      n: values.length,
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      max: Math.max(...values),
    });
    const baseline = await measure(Date.now() + 2000);

    const heapBefore = process.memoryUsage().heapUsed;
    let heapMax = heapBefore;
    let rssMax = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      heapMax = Math.max(heapMax, usage.heapUsed);
      rssMax = Math.max(rssMax, usage.rss);
    }, 50);

    // The flooder: emits as fast as the event loop lets it, reconnecting when cut off, for FLOOD_MS.
    const codes = new Map<string, number>();
    let sent = 0;
    let disconnects = 0;
    let retryAfterSeen = 0;
    const until = Date.now() + FLOOD_MS;
    const flood = (async () => {
      while (Date.now() < until) {
        let socket: LiveClient;
        try {
          socket = await connectSocket(server.url, floodCookie);
        } catch (error) {
          codes.set(
            `connect:${(error as Error).message}`,
            (codes.get(`connect:${(error as Error).message}`) ?? 0) + 1,
          );
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        sockets.push(socket);
        const cut = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
        let open = true;
        void cut.then(() => {
          open = false;
          disconnects += 1;
        });
        while (open && Date.now() < until) {
          for (let i = 0; i < 100 && open; i++) {
            sent += 1;
            socket.emit(
              'comment:add',
              {
                encounterId: floodChart.id,
                baseVersion: 1,
                opId: randomUUID(),
                lineId: null,
                body: 'flood',
                mentions: [],
              },
              (ack: Ack<CommandResult>) => {
                const code = ack.ok ? 'ok' : ack.error.code;
                codes.set(code, (codes.get(code) ?? 0) + 1);
                if (
                  !ack.ok &&
                  ack.error.code === 'rate_limited' &&
                  typeof (ack.error.details as { retryAfter?: number })?.retryAfter === 'number'
                )
                  retryAfterSeen += 1;
              },
            );
          }
          await new Promise((r) => setImmediate(r));
        }
        socket.close();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // Meanwhile another user edits and the room mate sees it; and REST reads.
    const [, during] = await Promise.all([flood, measure(until)]);
    const peerLatencies = during.peer;
    const restLatencies = during.rest;
    clearInterval(sampler);

    const heapGrowthMb = (heapMax - heapBefore) / 2 ** 20;
    const summary = {
      floodCommandsSent: sent,
      answers: Object.fromEntries(codes),
      flooderDisconnects: disconnects,
      peerEditToPeerMs: { baseline: figures(baseline.peer), duringFlood: figures(peerLatencies) },
      restMs: { baseline: figures(baseline.rest), duringFlood: figures(restLatencies) },
      heapGrowthMb: Math.round(heapGrowthMb),
      rssMaxMb: Math.round(rssMax / 2 ** 20),
    };
    console.log(
      `flood figures: ${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );

    expect(codes.get('rate_limited') ?? 0).toBeGreaterThan(0);
    expect(retryAfterSeen).toBe(codes.get('rate_limited'));
    expect(disconnects).toBeGreaterThan(0);
    // What the flooder got through is bounded by the per-user rate (600 a minute) however many sockets it opens.
    await settled(server);
    const [{ n }] = await server.dataSource.query(
      'SELECT count(*)::int AS n FROM encounter_events WHERE encounter_id = $1',
      [floodChart.id],
    );
    console.log(`flood commands that took effect: ${n - 1} of ${sent}`);
    expect(n - 1).toBeGreaterThan(0);
    expect(n - 1).toBeLessThanOrEqual(600);
    expect(codes.get('internal') ?? 0).toBe(0);
    expect(peerLatencies.length).toBeGreaterThan(2);
    expect(percentile(peerLatencies, 95)).toBeLessThan(PEER_P95_BOUND_MS);
    expect(percentile(restLatencies, 95)).toBeLessThan(REST_P95_BOUND_MS);
    expect(heapGrowthMb).toBeLessThan(HEAP_GROWTH_BOUND_MB);
    // After the flood the server answers at once.
    expect((await api(server.url, null, 'GET', '/api/health')).status).toBe(200);
  });
});

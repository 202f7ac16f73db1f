/**
 * Two load scenarios against a running server, shared by the integration tests (which assert
 * what they must never do: refuse, fail, let a flooder through) and `npm run bench:limits`
 * (which reports how fast the server stayed meanwhile). They return raw samples; neither
 * judges a latency.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, CatalogImport, CommandResult, Encounter } from '@countersign/shared';
import type { RunningServer } from '../bootstrap.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  type LiveClient,
} from './test-app.js';

/** One request's answer and round trip. */
export interface Probe {
  status: number;
  ms: number;
}

export interface ImportWhileProbing {
  preview: CatalogImport;
  applied: CatalogImport;
  /** Another user's `GET /api/catalog/editions`, back to back, from upload until the apply ended. */
  probes: Probe[];
}

export const PROBED_IMPORT_ROWS = 600_000;

/** A made-up NCCI PTP file of 800 × 750 pairs (codes 10000.. and 20000.., never real pairs). */
function ptpFile(): Buffer {
  const rows: string[] = ['column1\tcolumn2\tmodifier_indicator\trationale_id\n'];
  for (let a = 0; a < 800; a++)
    for (let b = 0; b < 750; b++) rows.push(`${10000 + a}\t${20000 + b}\t1\t9\n`);
  return Buffer.from(rows.join(''));
}

/** An operator previews and applies a 600,000-row PTP file while a coder of another organization reads. */
export async function importWhileProbing(
  server: RunningServer,
  edition = '2047q1',
): Promise<ImportWhileProbing> {
  const org = await createOrganization(server.dataSource, 'Probe Clinic');
  const operator = await login(server.url, org.users.operator);
  const coder = await login(server.url, org.users.coder);
  const body = ptpFile();
  const probes: Probe[] = [];
  let importing = true;
  const probe = (async () => {
    while (importing) {
      const started = performance.now();
      const { status } = await api(server.url, coder, 'GET', '/api/catalog/editions');
      probes.push({ status, ms: performance.now() - started });
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  try {
    const uploaded = await fetch(
      `${server.url}/api/catalog/imports?fileName=ncci-ptp-practitioner-${edition}.tsv&wait=true`,
      {
        method: 'POST',
        headers: { cookie: operator, 'content-type': 'application/octet-stream' },
        body,
      },
    );
    const preview = (await uploaded.json()) as CatalogImport;
    const applied = (
      await api<CatalogImport>(
        server.url,
        operator,
        'POST',
        `/api/catalog/imports/${preview.id}/confirm`,
      )
    ).body;
    return { preview, applied, probes };
  } finally {
    importing = false;
    await probe;
  }
}

/** The default limits, as production counts them (in Redis). */
export const FLOOD_LIMITS: Record<string, string> = {
  SOCKET_COMMANDS_PER_SECOND: '20',
  SOCKET_MAX_IN_FLIGHT: '4',
  SOCKET_REFUSALS_BEFORE_DISCONNECT: '50',
  USER_COMMANDS_PER_MINUTE: '600',
  REST_REQUESTS_PER_MINUTE: '600',
};

/** Another user's traffic: edit-to-room-mate round trips and REST reads. */
export interface PeerTraffic {
  /** From sending `comment:add` to the room mate receiving it. */
  peerMs: number[];
  rest: Probe[];
}

export interface Flood {
  /** The peers alone, before the flood. */
  baseline: PeerTraffic;
  /** The peers while the flooder emits. */
  during: PeerTraffic;
  sent: number;
  /** Acks the flooder got, by `ok` or error code (`connect:…` for refused connections). */
  answers: Map<string, number>;
  /** `rate_limited` acks that carried a numeric `retryAfter`. */
  retryAfterSeen: number;
  disconnects: number;
  /** Flood commands that took effect (events written), once every accepted one finished. */
  tookEffect: number;
  heapBeforeBytes: number;
  heapMaxBytes: number;
  rssMaxBytes: number;
}

/** Waits until no statement of this database is running but this one (the flooder's accepted commands finished). */
async function settled(server: RunningServer): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [{ busy }] = await server.dataSource.query<[{ busy: number }]>(
      `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`,
    );
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy} statements still running`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * One coder floods `comment:add` from socket after socket for `floodMs`, while a coder of
 * another organization edits a chart a reviewer watches and the reviewer reads it over REST.
 * The server must run in this process (the heap figures are this process's).
 */
export async function flood(server: RunningServer, floodMs = 4000): Promise<Flood> {
  const sockets: LiveClient[] = [];
  try {
    const flooders = await createOrganization(server.dataSource, 'Flood Clinic');
    const peers = await createOrganization(server.dataSource, 'Peer Clinic');
    const newChart = async (org: typeof peers) =>
      (
        await api<Encounter>(
          server.url,
          await login(server.url, org.users.supervisor),
          'POST',
          '/api/encounters',
          encounterBody({ coderId: org.users.coder.id }),
        )
      ).body;
    const floodChart = await newChart(flooders);
    const peerChart = await newChart(peers);

    const floodCookie = await login(server.url, flooders.users.coder);
    const readerCookie = await login(server.url, peers.users.reviewer);
    const writer = await connectSocket(server.url, await login(server.url, peers.users.coder));
    const reader = await connectSocket(server.url, readerCookie);
    sockets.push(writer, reader);
    for (const socket of [writer, reader]) {
      const joined = await emitAck(socket, 'room:join', { encounterId: peerChart.id });
      if (!joined.ok) throw new Error(`the peers could not join: ${joined.error.code}`);
    }

    let version = peerChart.version;
    const peerTraffic = async (until: number): Promise<PeerTraffic> => {
      const traffic: PeerTraffic = { peerMs: [], rest: [] };
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
          traffic.peerMs.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const reads = (async () => {
        while (Date.now() < until) {
          const started = performance.now();
          const { status } = await api(
            server.url,
            readerCookie,
            'GET',
            `/api/encounters/${peerChart.id}`,
          );
          traffic.rest.push({ status, ms: performance.now() - started });
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await Promise.all([edits, reads]);
      return traffic;
    };
    const baseline = await peerTraffic(Date.now() + 2000);

    const heapBeforeBytes = process.memoryUsage().heapUsed;
    let heapMaxBytes = heapBeforeBytes;
    let rssMaxBytes = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      heapMaxBytes = Math.max(heapMaxBytes, usage.heapUsed);
      rssMaxBytes = Math.max(rssMaxBytes, usage.rss);
    }, 50);

    const answers = new Map<string, number>();
    const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1);
    let sent = 0;
    let disconnects = 0;
    let retryAfterSeen = 0;
    const until = Date.now() + floodMs;
    // Emits as fast as the event loop lets it, reconnecting when cut off.
    const flooding = (async () => {
      while (Date.now() < until) {
        let socket: LiveClient;
        try {
          socket = await connectSocket(server.url, floodCookie);
        } catch (error) {
          count(`connect:${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        sockets.push(socket);
        let open = true;
        socket.once('disconnect', () => {
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
                count(ack.ok ? 'ok' : ack.error.code);
                if (
                  !ack.ok &&
                  ack.error.code === 'rate_limited' &&
                  typeof (ack.error.details as { retryAfter?: number } | undefined)?.retryAfter ===
                    'number'
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
    let during: PeerTraffic;
    try {
      [, during] = await Promise.all([flooding, peerTraffic(until)]);
    } finally {
      clearInterval(sampler);
    }

    await settled(server);
    const [{ n }] = await server.dataSource.query<[{ n: number }]>(
      'SELECT count(*)::int AS n FROM encounter_events WHERE encounter_id = $1',
      [floodChart.id],
    );
    return {
      baseline,
      during,
      sent,
      answers,
      retryAfterSeen,
      disconnects,
      // The chart's own creation is its first event.
      tookEffect: n - 1,
      heapBeforeBytes,
      heapMaxBytes,
      rssMaxBytes,
    };
  } finally {
    sockets.forEach((s) => s.close());
  }
}

/**
 * The load generator of `npm run bench:live`, the same for the app and the bare server: per room
 * one writer and some watchers (socket.io-client), `line:update` sent on an open-loop schedule
 * (on time whether or not earlier edits were answered), each acknowledgement and each watcher's
 * receipt of the edit's event timed against the moment the edit was sent.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { cpuBetween, log, machineCpuMs, processesCpuMs, type ServerProcess } from './processes.js';
import { databaseProcesses } from './targets.js';

/**
 * A chart to edit, its watchers' and its writer's sign-ins (cookies; none for the bare server),
 * and where each connects (with `--instances 2`, the writer and the watchers on different ones).
 */
export interface RoomPlan {
  encounterId: string;
  writerUrl: string;
  watcherUrl: string;
  writerCookie: string | null;
  watcherCookies: Array<string | null>;
}

export interface LoadTarget {
  name: string;
  /** The target's own database, whose backends' CPU is the database's work for its edits. */
  databaseUrl: string;
  rooms: RoomPlan[];
  servers: ServerProcess[];
}

interface Line {
  id: string;
  units: number;
  /** Seq of this line's last acknowledged edit. */
  lastSeq: number;
  busy: boolean;
  lastSentAt: number;
}

interface Room {
  plan: RoomPlan;
  writer: Socket;
  watchers: Socket[];
  /** The highest seq the writer has seen (acks and events): its `baseVersion`. */
  version: number;
  lines: Line[];
}

interface Edit {
  room: number;
  sentAt: number;
  late: number;
  answeredAt?: number;
  seq?: number;
  outcome?: string;
}

type JoinAck =
  | {
      ok: true;
      data: { seq: number; encounter: { lines: Array<{ id: string; units?: number }> } };
    }
  | { ok: false; error: { code: string; message: string } };
type CommandAck =
  { ok: true; data: { seq: number } } | { ok: false; error: { code: string; message: string } };

/** What one phase measured. */
export interface PhaseResult {
  offered: number;
  sent: number;
  acked: number;
  /** Acknowledgements received per second while the phase was sending (its first second left out). */
  ackedPerSecond: number;
  conflicts: number;
  errors: Record<string, number>;
  /** Sent but not answered by the end of the drain. */
  missed: number;
  /** Sends more than 10 ms behind schedule (the generator could not keep up), and the worst. */
  lateSends: number;
  maxLateMs: number;
  ack: Percentiles;
  peer: Percentiles;
  /** Watcher receipts that never came, of acknowledged edits. */
  peerMissing: number;
  cpuMsPerEdit: number;
  /** CPU of the target database's backends and the cluster's writers, per acknowledged edit. */
  dbCpuMsPerEdit: number;
  /** The server's write system calls per acknowledged edit. */
  writesPerEdit: number;
  sqlPerEdit: number;
  /** Statements per answered command, refusals included: what an attempt costs on average. */
  sqlPerCommand: number;
  /** Socket messages all clients received, per acknowledged edit. */
  messagesPerEdit: number;
  generatorCpuMsPerEdit: number;
  /**
   * While edits were being sent: the share of the machine's CPU (all cores) that was busy, and the
   * busiest server process's CPU in cores (near 1: its one JavaScript thread was the limit).
   */
  machineBusy: number;
  busiestServerCores: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Events the generator only counts: their packets are not parsed, so the generator's CPU goes
 * to timing edits, not to reading payloads a browser would read (the app sends several per edit).
 */
const COUNTED_ONLY = ['worklist:changed', 'encounter:edits', 'presence:changed'].map(
  (name) => [name, `${PacketType.EVENT}["${name}"`] as const,
);

class SkimmingDecoder extends Decoder {
  override add(chunk: unknown): void {
    if (typeof chunk === 'string')
      for (const [name, prefix] of COUNTED_ONLY)
        if (chunk.startsWith(prefix)) {
          this.emitReserved('decoded', { type: PacketType.EVENT, nsp: '/', data: [name] });
          return;
        }
    super.add(chunk);
  }
}

const CONNECT_BATCH = 20;
const ACK_TIMEOUT_MS = 60_000;

export class LoadGenerator {
  private rooms: Room[] = [];
  private edits: Edit[] = [];
  /** `${room}:${seq}` -> times the watchers received that event. */
  private receipts = new Map<string, number[]>();
  private messages = 0;
  private recording = false;
  private lost = 0;

  constructor(private readonly target: LoadTarget) {}

  /** Connects every socket and joins every room. */
  async connect(): Promise<void> {
    const plans = this.target.rooms;
    for (let start = 0; start < plans.length; start += CONNECT_BATCH / 4) {
      const batch = plans.slice(start, start + CONNECT_BATCH / 4);
      this.rooms.push(
        ...(await Promise.all(batch.map((plan, i) => this.openRoom(plan, start + i)))),
      );
    }
  }

  private async openRoom(plan: RoomPlan, index: number): Promise<Room> {
    const writer = await this.socket(plan.writerUrl, plan.writerCookie);
    const watchers = await Promise.all(
      plan.watcherCookies.map((cookie) => this.socket(plan.watcherUrl, cookie)),
    );
    const joins = await Promise.all(
      [writer, ...watchers].map(
        (socket) =>
          socket
            .timeout(30_000)
            .emitWithAck('room:join', { encounterId: plan.encounterId }) as Promise<JoinAck>,
      ),
    );
    const first = joins[0]!;
    for (const join of joins)
      if (!join.ok) throw new Error(`room:join: ${join.error.code} ${join.error.message}`);
    if (!first.ok) throw new Error('unreachable');
    const room: Room = {
      plan,
      writer,
      watchers,
      version: first.data.seq,
      lines: first.data.encounter.lines.map((line) => ({
        id: line.id,
        units: line.units ?? 1,
        lastSeq: 0,
        busy: false,
        lastSentAt: 0,
      })),
    };
    writer.on('encounter:event', (event: { seq: number }) => {
      room.version = Math.max(room.version, event.seq);
    });
    for (const watcher of watchers)
      watcher.on('encounter:event', (event: { seq: number }) => {
        if (!this.recording) return;
        const at = performance.now();
        const key = `${index}:${event.seq}`;
        const times = this.receipts.get(key);
        if (times) times.push(at);
        else this.receipts.set(key, [at]);
      });
    return room;
  }

  private async socket(url: string, cookie: string | null): Promise<Socket> {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      parser: { Encoder, Decoder: SkimmingDecoder },
      ...(cookie ? { extraHeaders: { cookie } } : {}),
    });
    socket.onAny(() => {
      if (this.recording) this.messages++;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) =>
        reject(new Error(`connect ${url}: ${error.message}`)),
      );
    });
    socket.on('disconnect', (reason) => {
      // Once is enough: when the server goes, every socket goes.
      if (reason !== 'io client disconnect' && this.lost++ === 0)
        log(`${this.target.name}: a socket lost its connection (${reason})`);
    });
    return socket;
  }

  close(): void {
    for (const room of this.rooms)
      for (const socket of [room.writer, ...room.watchers]) socket.close();
  }

  /** Server CPU ms and statements per second with every client connected and nobody editing. */
  async idle(seconds: number): Promise<{ cpuMsPerSecond: number; sqlPerSecond: number }> {
    const cpuBefore = this.cpu();
    const sqlBefore = await this.sql();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return {
      cpuMsPerSecond: (this.cpu() - cpuBefore) / seconds,
      sqlPerSecond: ((await this.sql()) - sqlBefore) / seconds,
    };
  }

  /** Sends `rate` edits per second for `seconds`, then waits for the answers (up to `drainMs`). */
  async phase(rate: number, seconds: number, drainMs: number): Promise<PhaseResult> {
    this.edits = [];
    this.receipts.clear();
    this.messages = 0;
    const cpuBefore = this.cpu();
    const dbCpuBefore = processesCpuMs(await databaseProcesses(this.target.databaseUrl));
    const writesBefore = this.writeCalls();
    const sqlBefore = await this.sql();
    const generatorBefore = process.cpuUsage();
    this.recording = true;
    const machineBefore = machineCpuMs();
    const serversBefore = this.target.servers.map((server) => server.cpuMs());
    const total = Math.round(rate * seconds);
    const interval = 1000 / rate;
    const started = performance.now();
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (next < total && started + next * interval <= now) {
          this.send(next % this.rooms.length, now - (started + next * interval));
          next++;
        }
        if (next >= total) return resolve();
        setTimeout(tick, Math.max(0, started + next * interval - performance.now()));
      };
      tick();
    });
    const sendingEnded = performance.now();
    const machineAfter = machineCpuMs();
    const windowMs = sendingEnded - started;
    const machineBusy =
      (machineAfter.busy - machineBefore.busy) /
      Math.max(1, machineAfter.total - machineBefore.total);
    const busiestServerCores =
      Math.max(...this.target.servers.map((server, i) => server.cpuMs() - serversBefore[i]!)) /
      windowMs;
    const drainUntil = sendingEnded + drainMs;
    while (this.edits.some((e) => e.outcome === undefined) && performance.now() < drainUntil)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // The last events may trail their acks by a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    this.recording = false;
    const cpu = this.cpu() - cpuBefore;
    const dbPids = await databaseProcesses(this.target.databaseUrl);
    const dbCpu = cpuBetween(dbCpuBefore, processesCpuMs([...dbCpuBefore.keys(), ...dbPids]));
    const writes = this.writeCalls() - writesBefore;
    const sql = (await this.sql()) - sqlBefore;
    const generator = process.cpuUsage(generatorBefore);
    return this.summarize(
      rate,
      started,
      sendingEnded,
      cpu,
      dbCpu,
      writes,
      sql,
      (generator.user + generator.system) / 1000,
      { machineBusy, busiestServerCores },
    );
  }

  private send(roomIndex: number, late: number): void {
    const room = this.rooms[roomIndex]!;
    // The line this person would edit next: one whose last edit came back, else the oldest.
    const line =
      room.lines.filter((l) => !l.busy).sort((a, b) => a.lastSentAt - b.lastSentAt)[0] ??
      [...room.lines].sort((a, b) => a.lastSentAt - b.lastSentAt)[0]!;
    line.units = line.units === 1 ? 2 : 1;
    line.busy = true;
    const edit: Edit = { room: roomIndex, sentAt: performance.now(), late };
    line.lastSentAt = edit.sentAt;
    this.edits.push(edit);
    room.writer.timeout(ACK_TIMEOUT_MS).emit(
      'line:update',
      {
        encounterId: room.plan.encounterId,
        baseVersion: room.version,
        opId: randomUUID(),
        lineId: line.id,
        patch: { units: line.units },
      },
      (error: Error | null, ack: CommandAck) => {
        edit.answeredAt = performance.now();
        line.busy = false;
        if (error) {
          edit.outcome = 'timeout';
        } else if (ack.ok) {
          edit.outcome = 'ok';
          edit.seq = ack.data.seq;
          line.lastSeq = ack.data.seq;
          room.version = Math.max(room.version, ack.data.seq);
        } else {
          edit.outcome = ack.error.code;
        }
      },
    );
  }

  private summarize(
    offered: number,
    started: number,
    sendingEnded: number,
    cpuMs: number,
    dbCpuMs: number,
    writes: number,
    sql: number,
    generatorCpuMs: number,
    load: Pick<PhaseResult, 'machineBusy' | 'busiestServerCores'>,
  ): PhaseResult {
    const acked = this.edits.filter((e) => e.outcome === 'ok');
    const errors: Record<string, number> = {};
    for (const edit of this.edits)
      if (edit.outcome && edit.outcome !== 'ok' && edit.outcome !== 'conflict')
        errors[edit.outcome] = (errors[edit.outcome] ?? 0) + 1;
    const windowStart = started + Math.min(1000, (sendingEnded - started) / 4);
    const inWindow = acked.filter(
      (e) => e.answeredAt! >= windowStart && e.answeredAt! <= sendingEnded,
    ).length;
    const peer: number[] = [];
    let peerMissing = 0;
    const watchers = this.target.rooms[0]?.watcherCookies.length ?? 0;
    for (const edit of acked) {
      const times = this.receipts.get(`${edit.room}:${edit.seq}`) ?? [];
      peerMissing += Math.max(0, watchers - times.length);
      for (const at of times) peer.push(at - edit.sentAt);
    }
    const late = this.edits.filter((e) => e.late > 10);
    const answered = this.edits.filter((e) => e.outcome !== undefined).length;
    const per = (value: number) => (acked.length ? value / acked.length : 0);
    return {
      offered,
      sent: this.edits.length,
      acked: acked.length,
      ackedPerSecond: (inWindow * 1000) / (sendingEnded - windowStart),
      conflicts: this.edits.filter((e) => e.outcome === 'conflict').length,
      errors,
      missed: this.edits.filter((e) => e.outcome === undefined).length,
      lateSends: late.length,
      maxLateMs: Math.max(0, ...this.edits.map((e) => e.late)),
      ack: percentiles(acked.map((e) => e.answeredAt! - e.sentAt)),
      peer: percentiles(peer),
      peerMissing,
      cpuMsPerEdit: per(cpuMs),
      dbCpuMsPerEdit: per(dbCpuMs),
      writesPerEdit: per(writes),
      sqlPerEdit: per(sql),
      sqlPerCommand: answered ? sql / answered : 0,
      messagesPerEdit: per(this.messages),
      generatorCpuMsPerEdit: per(generatorCpuMs),
      ...load,
    };
  }

  private writeCalls(): number {
    return this.target.servers.reduce((sum, server) => sum + server.writeCalls(), 0);
  }

  private cpu(): number {
    return this.target.servers.reduce((sum, server) => sum + server.cpuMs(), 0);
  }

  private async sql(): Promise<number> {
    const counts = await Promise.all(this.target.servers.map((server) => server.sqlCount()));
    return counts.reduce((sum, n) => sum + n, 0);
  }
}

function percentiles(samples: number[]): Percentiles {
  const sorted = samples.sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? 0
      : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/**
 * The server processes of the live benchmark: started with `fork` and the statement counter
 * preloaded, their CPU time read from /proc, and every one of them (and every clean-up step)
 * undone on exit, an error or ctrl-c.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SQL_COUNT_MESSAGE } from './ipc.js';

const CLOCK_TICKS_PER_SECOND = 100;
const SQL_COUNTER = new URL('./sql-counter.js', import.meta.url).href;

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const cleanups: Array<() => Promise<void>> = [];

/** Registers a clean-up step; they run last-in first-out, once. */
export function onCleanup(step: () => Promise<void>): void {
  cleanups.push(step);
}

let running: Promise<void> = Promise.resolve();

/**
 * Runs, last-in first-out, the clean-up steps registered since `mark` (all by default), after
 * any clean-up already running (ctrl-c and the failing main flow both ask for one).
 */
export function cleanUp(mark = 0): Promise<void> {
  running = running.then(async () => {
    while (cleanups.length > mark) {
      const step = cleanups.pop()!;
      try {
        await step();
      } catch (error) {
        log(`clean-up: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  return running;
}

/** Runs `work`, then the clean-up steps it registered, whether it succeeded or not. */
export async function scoped<T>(work: () => Promise<T>): Promise<T> {
  const mark = cleanups.length;
  try {
    return await work();
  } finally {
    await cleanUp(mark);
  }
}

let interruptedBy: string | null = null;

/** The signal that stopped the run, if one did: what fails after it is a consequence, not news. */
export function interrupted(): string | null {
  return interruptedBy;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    interruptedBy = signal;
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });

/** A server process: its pid for /proc and its statement count. */
export class ServerProcess {
  private exited = false;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv,
    logFile: string,
    extraExecArgv: string[] = [],
  ) {
    const out = openSync(logFile, 'a');
    this.child = fork(fileURLToPath(script), [], {
      env,
      execArgv: ['--import', SQL_COUNTER, ...extraExecArgv],
      stdio: ['ignore', out, out, 'ipc'],
    });
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      if (!this.stopping) log(`${name} exited (${signal ?? code}); its log: ${logFile}`);
    });
    onCleanup(() => this.stop());
  }

  private stopping = false;

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** User plus system CPU time so far, in ms. */
  cpuMs(): number {
    return processCpuMs(this.pid) ?? 0;
  }

  /** Write system calls so far (socket writes: websocket frames and statements to Postgres). */
  writeCalls(): number {
    try {
      const io = readFileSync(`/proc/${this.pid}/io`, 'utf8');
      return Number(/^syscw:\s*(\d+)/m.exec(io)?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  /** Statements its pg clients have sent so far. */
  sqlCount(): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no statement count`)), 5000);
      const listen = (message: unknown) => {
        if (typeof message !== 'object' || message === null || !('sqlCount' in message)) return;
        clearTimeout(timer);
        this.child.off('message', listen);
        resolve((message as { sqlCount: number }).sqlCount);
      };
      this.child.on('message', listen);
      this.child.send(SQL_COUNT_MESSAGE);
    });
  }

  /** SIGTERM, then SIGKILL after five seconds. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** Waits until `url` answers 200, or the process dies, or `timeoutMs` passes. */
export async function waitForHttp(
  server: ServerProcess,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!server.alive) throw new Error(`${server.name} exited during start-up`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${server.name} did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** A process's user plus system CPU time so far, in ms; null when it has gone. */
function processCpuMs(pid: number | string): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The machine's CPU time so far, all cores added up: busy and in total, in ms. */
export function machineCpuMs(): { busy: number; total: number } {
  // The first line of /proc/stat: user nice system idle iowait irq softirq steal ..., in ticks.
  const ticks = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  const idle = ticks[3]! + ticks[4]!;
  return {
    busy: ((total - idle) * 1000) / CLOCK_TICKS_PER_SECOND,
    total: (total * 1000) / CLOCK_TICKS_PER_SECOND,
  };
}

/** CPU time so far of each of the processes `pids` that still runs, in ms. */
export function processesCpuMs(pids: readonly number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== null) times.set(pid, ms);
  }
  return times;
}

/**
 * CPU the processes used between two readings: those gone by the second count what they had
 * used by the first (their last moments are lost), those new in the second count all of theirs.
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

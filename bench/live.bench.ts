/**
 * `npm run bench:live`: the app's live edits against a bare socket.io + pg server, driven by one
 * load generator in the same run (issue 10). For each server: ack and edit-to-peer latency per
 * offered rate, then a ramp to saturation; server CPU and SQL statements per edit. The last line
 * is one JSON object with the ratios app / bare at 100 edits/s.
 *
 *   npm run bench:live -- [--clients 200] [--rooms 50] [--rates 50,100,200] [--duration 10]
 *                         [--instances 2] [--codesets] [--quick] [--ramp-steps 8] [--only app|bare|instances]
 *
 * Nothing else heavy should run meanwhile: the servers, Postgres and the generator share the CPU.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { LoadGenerator, type LoadTarget, type PhaseResult } from './live/load.js';
import { cleanUp, interrupted, log, scoped } from './live/processes.js';
import { RUN_DIR, adminDatabase, startApp, startBare, type Layout } from './live/targets.js';

/** The offered rate the ratios are read at. */
const REFERENCE_RATE = 100;
/** Rounds at the reference rate per server, alternating; the ratios take each figure's median. */
const REFERENCE_ROUNDS = 3;
const RAMP_FACTOR = 1.5;
/**
 * Once a ramp step saturates, rates between the last one sustained and that one are tried in
 * steps of this factor (at most REFINE_STEPS), so a server's saturation is not read off a grid
 * whose steps are half a rate apart.
 */
const REFINE_FACTOR = 1.12;
const REFINE_STEPS = 3;
const RAMP_STEPS = 8;
/** A ramp step whose acknowledged rate falls below this share of the offered one is saturation. */
const SATURATED_BELOW = 0.85;

interface Options {
  clients: number;
  rooms: number;
  rates: number[];
  duration: number;
  instances: number;
  codesets: boolean;
  quick: boolean;
  /** Ramp steps after the fixed rates (0: none, for quick comparisons while profiling). */
  rampSteps: number;
  /** Measure only this server (`app`, `bare`, or the app on `--instances`); no ratios then. */
  only: 'app' | 'bare' | 'instances' | null;
}

interface ServerReport {
  name: string;
  rates: PhaseResult[];
  ramp: PhaseResult[];
  /** The highest acknowledged rate any phase sustained. */
  saturation: number;
  /** Background work with the clients connected and idle (session sweeps and the like). */
  idle: { cpuMsPerSecond: number; sqlPerSecond: number };
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      rooms: { type: 'string' },
      rates: { type: 'string' },
      duration: { type: 'string' },
      instances: { type: 'string', default: '1' },
      codesets: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      'ramp-steps': { type: 'string' },
      only: { type: 'string' },
    },
  });
  const quick = values.quick;
  const options: Options = {
    clients: Number(values.clients ?? (quick ? 40 : 200)),
    rooms: Number(values.rooms ?? (quick ? 10 : 50)),
    rates: (values.rates ?? (quick ? '50,100' : '50,100,200')).split(',').map(Number),
    duration: Number(values.duration ?? (quick ? 3 : 10)),
    instances: Number(values.instances),
    codesets: values.codesets,
    quick,
    rampSteps: Number(values['ramp-steps'] ?? (quick ? 2 : RAMP_STEPS)),
    only: (['app', 'bare', 'instances'] as const).find((name) => name === values.only) ?? null,
  };
  if (values.only !== undefined && options.only === null)
    throw new Error('--only is app, bare or instances');
  if (!Number.isInteger(options.rampSteps) || options.rampSteps < 0)
    throw new Error('--ramp-steps must be a whole number');
  const perRoom = options.clients / options.rooms;
  if (!Number.isInteger(perRoom) || perRoom < 2)
    throw new Error('--clients must be a multiple of --rooms, at least two per room');
  if (options.rates.some((r) => !(r > 0)) || !(options.duration > 0))
    throw new Error('--rates and --duration must be positive numbers');
  if (![1, 2].includes(options.instances)) throw new Error('--instances is 1 or 2');
  return options;
}

/** A target with its clients connected and warmed up. */
interface Prepared {
  target: LoadTarget;
  generator: LoadGenerator;
  idle: ServerReport['idle'];
}

async function prepare(target: LoadTarget, options: Options): Promise<Prepared> {
  const generator = new LoadGenerator(target);
  log(`${target.name}: connecting ${options.clients} clients to ${options.rooms} rooms`);
  await generator.connect();
  const idle = await generator.idle(2);
  await generator.phase(Math.min(...options.rates), options.quick ? 1 : 3, 30_000);
  return { target, generator, idle };
}

/**
 * Measures `targets` (started together: the app and the bare server, or one of them): the fixed
 * rates in alternation, target after target at each rate, the reference rate REFERENCE_ROUNDS
 * times, so the servers are compared under the same conditions (this machine's speed drifts by
 * a third from minute to minute), then each one's ramp to saturation.
 */
async function measure(targets: LoadTarget[], options: Options): Promise<ServerReport[]> {
  const prepared: Prepared[] = [];
  try {
    for (const target of targets) prepared.push(await prepare(target, options));
    const rates = prepared.map(() => [] as PhaseResult[]);
    for (const rate of options.rates) {
      const rounds = rate === REFERENCE_RATE ? REFERENCE_ROUNDS : 1;
      for (let round = 0; round < rounds; round++)
        for (const [i, { target, generator }] of prepared.entries()) {
          const result = await generator.phase(rate, options.duration, 30_000);
          log(`${target.name}: ${line(result)}`);
          rates[i]!.push(result);
        }
    }
    const reports: ServerReport[] = [];
    for (const [i, { target, generator, idle }] of prepared.entries()) {
      const ramp = await rampUp(target.name, generator, options);
      const saturation = Math.max(...[...rates[i]!, ...ramp].map((r) => r.ackedPerSecond));
      reports.push({ name: target.name, rates: rates[i]!, ramp, saturation, idle });
    }
    return reports;
  } finally {
    for (const { generator } of prepared) generator.close();
  }
}

/** The ramp from the highest fixed rate until a step is not sustained, then finer steps below it. */
async function rampUp(
  name: string,
  generator: LoadGenerator,
  options: Options,
): Promise<PhaseResult[]> {
  const ramp: PhaseResult[] = [];
  /** One ramp step at `rate`; true when it was not sustained. */
  const rampStep = async (rate: number, label: string) => {
    const result = await generator.phase(Math.round(rate), options.quick ? 2 : 4, 30_000);
    log(`${name} ${label}: ${line(result)}`);
    ramp.push(result);
    return result.ackedPerSecond < SATURATED_BELOW * result.offered;
  };
  let sustained = Math.max(...options.rates);
  let failedAt: number | null = null;
  for (let step = 0; step < options.rampSteps && failedAt === null; step++) {
    const rate = sustained * RAMP_FACTOR;
    if (await rampStep(rate, 'ramp')) failedAt = rate;
    else sustained = rate;
  }
  for (
    let step = 0, finer = sustained * REFINE_FACTOR;
    failedAt !== null && step < REFINE_STEPS && finer < failedAt / 1.05;
    step++, finer *= REFINE_FACTOR
  )
    if (await rampStep(finer, 'ramp (finer)')) break;
  return ramp;
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

function line(r: PhaseResult): string {
  const errors = Object.entries(r.errors)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return [
    `offered ${String(r.offered).padStart(5)}/s`,
    `acked ${r.ackedPerSecond.toFixed(0).padStart(5)}/s`,
    `ack ${ms(r.ack.p50)}/${ms(r.ack.p95)}/${ms(r.ack.p99)} ms`,
    `peer ${ms(r.peer.p50)}/${ms(r.peer.p95)}/${ms(r.peer.p99)} ms`,
    `cpu ${r.cpuMsPerEdit.toFixed(2)} ms/edit`,
    `db cpu ${r.dbCpuMsPerEdit.toFixed(2)} ms/edit`,
    `writes ${r.writesPerEdit.toFixed(1)}/edit`,
    `sql ${r.sqlPerEdit.toFixed(1)}/edit (${r.sqlPerCommand.toFixed(1)}/command)`,
    `msgs ${r.messagesPerEdit.toFixed(0)}/edit`,
    `conflicts ${r.conflicts}`,
    `errors ${errors || 0}`,
    `missed ${r.missed}`,
    `peer missing ${r.peerMissing}`,
    `late sends ${r.lateSends} (max ${ms(r.maxLateMs)} ms)`,
    `generator ${r.generatorCpuMsPerEdit.toFixed(2)} ms/edit`,
    `machine ${(r.machineBusy * 100).toFixed(0)}% busy`,
    `busiest server ${r.busiestServerCores.toFixed(2)} cores`,
  ].join(', ');
}

function print(report: ServerReport): void {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(`\n${report.name}  (ack and edit-to-peer latency p50/p95/p99)`);
  for (const r of report.rates) out(`  ${line(r)}`);
  for (const r of report.ramp) out(`  ramp ${line(r)}`);
  out(`  sustained at saturation: ${report.saturation.toFixed(0)} acknowledged edits/s`);
  out(
    `  idle with the clients connected: ${report.idle.cpuMsPerSecond.toFixed(1)} ms CPU/s, ${report.idle.sqlPerSecond.toFixed(1)} statements/s`,
  );
}

/**
 * The figures at the reference rate (or the nearest rate offered): each the median of that
 * rate's rounds.
 */
function atReference(report: ServerReport) {
  const nearest = [...report.rates].sort(
    (a, b) => Math.abs(a.offered - REFERENCE_RATE) - Math.abs(b.offered - REFERENCE_RATE),
  )[0]!.offered;
  const phases = report.rates.filter((r) => r.offered === nearest);
  const median = (value: (r: PhaseResult) => number) => {
    const sorted = phases.map(value).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  return {
    offered: nearest,
    rounds: phases.length,
    peerP50: median((r) => r.peer.p50),
    peerP99: median((r) => r.peer.p99),
    cpuMsPerEdit: median((r) => r.cpuMsPerEdit),
    dbCpuMsPerEdit: median((r) => r.dbCpuMsPerEdit),
    sqlPerEdit: median((r) => r.sqlPerEdit),
    sqlPerCommand: median((r) => r.sqlPerCommand),
    conflicts: phases.reduce((n, r) => n + r.conflicts, 0),
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const options = readOptions();
  mkdirSync(RUN_DIR, { recursive: true });
  log(`Server logs in ${RUN_DIR}`);
  const layout: Layout = {
    rooms: options.rooms,
    watchersPerRoom: options.clients / options.rooms - 1,
  };
  const adminUrl = await adminDatabase();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 1)
    log(`Load average ${loadAtStart.toFixed(1)}: other work is running, the figures will be noisy`);

  // The app and the bare server run side by side, measured in alternation at each fixed rate.
  const compared = await scoped(async () => {
    const targets: LoadTarget[] = [];
    if (options.only !== 'bare' && options.only !== 'instances')
      targets.push(await startApp(adminUrl, layout, 1, options.codesets));
    if (options.only !== 'app' && options.only !== 'instances')
      targets.push(await startBare(adminUrl, layout));
    return measure(targets, options);
  });
  compared.forEach(print);
  const app = compared.find((r) => r.name === 'app');
  const bare = compared.find((r) => r.name === 'bare');
  const [two] =
    options.instances > 1 && (!options.only || options.only === 'instances')
      ? await scoped(async () =>
          measure([await startApp(adminUrl, layout, options.instances, options.codesets)], options),
        )
      : [];
  if (two) print(two);
  if (!app || !bare) return;
  if (two) {
    process.stdout.write(
      `\nSustained: 1 instance ${app.saturation.toFixed(0)}/s, ${options.instances} instances ${two.saturation.toFixed(0)}/s (${(two.saturation / app.saturation).toFixed(2)}x; goal >= 1.6x)\n`,
    );
  }

  const appRef = atReference(app);
  const bareRef = atReference(bare);
  const summary = {
    clients: options.clients,
    rooms: options.rooms,
    p50_ratio: round(appRef.peerP50 / bareRef.peerP50),
    p99_ratio: round(appRef.peerP99 / bareRef.peerP99),
    saturation_ratio: round(app.saturation / bare.saturation),
    cpu_ms_per_edit: round(appRef.cpuMsPerEdit),
    bare_cpu_ms_per_edit: round(bareRef.cpuMsPerEdit),
    db_cpu_ms_per_edit: round(appRef.dbCpuMsPerEdit),
    bare_db_cpu_ms_per_edit: round(bareRef.dbCpuMsPerEdit),
    sql_per_edit: round(appRef.sqlPerEdit, 1),
    bare_sql_per_edit: round(bareRef.sqlPerEdit, 1),
    sql_per_command: round(appRef.sqlPerCommand, 1),
    reference_rate: appRef.offered,
    reference_rounds: appRef.rounds,
    app_peer_p50_ms: round(appRef.peerP50, 1),
    app_peer_p99_ms: round(appRef.peerP99, 1),
    bare_peer_p50_ms: round(bareRef.peerP50, 1),
    bare_peer_p99_ms: round(bareRef.peerP99, 1),
    app_saturation: Math.round(app.saturation),
    bare_saturation: Math.round(bare.saturation),
    app_conflicts: appRef.conflicts,
    instances: options.instances,
    ...(two
      ? {
          instances_saturation: Math.round(two.saturation),
          instances_ratio: round(two.saturation / app.saturation),
        }
      : {}),
    duration_s: options.duration,
    load_average_at_start: round(loadAtStart, 1),
    codesets: options.codesets,
  };
  process.stdout.write(`\n${JSON.stringify(summary)}\n`);
}

main()
  .catch((error: unknown) => {
    if (interrupted()) return;
    log(
      `bench:live failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  })
  .finally(() => cleanUp().then(() => process.exit()));

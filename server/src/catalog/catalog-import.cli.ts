/**
 * `npm run catalog:import -- <file>... [--kind KIND] [--edition EDITION] [--effective YYYY-MM-DD]`
 *
 * Loads code sets and edit files into the database the server uses (DATABASE_URL, else the
 * embedded Postgres under DATA_DIR), each file in one transaction, with a progress bar and a
 * summary. Importing the same edition with the same content again changes nothing; a bad file
 * changes nothing and names the line and the reason. A running server sees the new data within
 * a few seconds.
 */
import { Logger } from '@nestjs/common';
import { IMPORT_KIND_IDS, IMPORT_KINDS, ImportOptionsSchema, type ImportOptions, type ImportSummary } from '@countersign/shared';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/config.js';
import { openDatabase } from '../database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded-postgres.js';
import { CatalogImporter, type ImportProgress } from './import/catalog-importer.js';
import { ImportLineError } from './import/import-format.js';

const USAGE = `usage: npm run catalog:import -- <file>... [--kind KIND] [--edition EDITION] [--effective YYYY-MM-DD]

The kind and edition are recognised from the file when left out. Kinds:
${IMPORT_KIND_IDS.map((k) => `  ${k.padEnd(24)} ${IMPORT_KINDS[k].label}`).join('\n')}`;

function parseArguments(argv: readonly string[]): { files: string[]; options: ImportOptions } {
  const files: string[] = [];
  const raw: Record<string, string> = {};
  const names: Record<string, keyof ImportOptions> = { '--kind': 'kind', '--edition': 'edition', '--effective': 'effectiveDate' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const name = names[flag];
    if (name) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      raw[name] = value;
    } else if (arg === '--help' || arg === '-h') {
      throw new Error(USAGE);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new Error(USAGE);
  const parsed = ImportOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return { files, options: parsed.data };
}

function progressBar(file: string): (progress: ImportProgress) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (p) => {
    const fraction = p.phase !== 'reading' ? 1 : p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
    const label = p.phase === 'reading' ? `${p.rowsRead.toLocaleString('en-US')} rows` : p.phase;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${label.padEnd(24)}`);
      if (p.phase === 'done') process.stderr.write('\n');
    } else {
      const tenth = p.phase === 'reading' ? Math.floor(fraction * 10) : 10 + ['checking', 'applying', 'done'].indexOf(p.phase);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`  ${file}: ${Math.floor(fraction * 100)}% ${label}\n`);
      }
    }
  };
}

function describe(summary: ImportSummary): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const head = `${summary.fileName}: ${summary.dataset} ${summary.edition} (${summary.kind}, in effect from ${summary.effectiveDate})`;
  if (summary.unchanged) return `${head}: unchanged, this edition with the same content is already loaded`;
  const ended = summary.ended ? `, ${n(summary.ended)} codes of older editions ended` : '';
  return `${head}: ${n(summary.rows)} rows, ${n(summary.added)} added, ${n(summary.changed)} changed, ${n(summary.removed)} removed${ended} in ${(summary.durationMs / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const base = process.env.INIT_CWD ?? process.cwd();
  const files = args.files.map((f) => resolve(base, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    process.stderr.write(`No such file: ${missing.join(', ')}\n`);
    return 2;
  }

  const config = loadConfig();
  const logger = new Logger('CatalogImport');
  let embedded: EmbeddedDatabase | null = null;
  let url: string;
  if (config.database.mode === 'embedded') {
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      preferredPort: config.database.port,
      logger: { log: (m: string) => logger.log(m), warn: (m: string) => logger.warn(m), debug: () => undefined },
    });
    url = embedded.url;
  } else {
    url = config.database.url;
  }
  const dataSource = await openDatabase(url, { poolSize: 3 });
  let failures = 0;
  try {
    const importer = new CatalogImporter(dataSource);
    for (const file of files) {
      process.stderr.write(`Importing ${file}\n`);
      try {
        const summary = await importer.importFile(file, args.options, progressBar(file));
        process.stdout.write(`${describe(summary)}\n`);
      } catch (error) {
        failures += 1;
        const reason = error instanceof ImportLineError ? error.message : error instanceof Error ? error.message : String(error);
        process.stderr.write(`\n${file}: ${reason}. Nothing was changed.\n`);
      }
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

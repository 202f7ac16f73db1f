/**
 * `npm run catalog:import -- <file>... [--kind KIND] [--edition EDITION] [--effective YYYY-MM-DD] [--yes]`
 * `npm run catalog:import -- --restore --kind KIND --edition EDITION [--yes]`
 *
 * Loads code sets and edit files into the database the server uses (DATABASE_URL, else the
 * embedded Postgres under DATA_DIR). Each file is read into a preview (rows added, changed,
 * removed, codes ended, with samples and a warning when a large share would go), which is
 * applied in one transaction only once confirmed: asked on a terminal, or `--yes`. Without a
 * terminal and without `--yes` nothing is applied. `--restore` undoes the last import of a kind
 * and edition, through the same preview. Importing the same edition with the same content again
 * changes nothing; a bad file changes nothing and names the line and the reason. A running
 * server sees the new data within a few seconds.
 */
import {
  IMPORT_KIND_IDS,
  IMPORT_KINDS,
  ImportOptionsSchema,
  type ImportOptions,
  type ImportPreview,
  type ImportSummary,
} from '@countersign/shared';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/config.js';
import { runCli } from '../config/run-cli.js';
import { openCliDatabase } from '../database/cli-database.js';
import { DomainError } from '../errors/domain-error.js';
import {
  CatalogImporter,
  type ImportOutcome,
  type ImportProgress,
} from './import/catalog-importer.js';
import { ImportLineError } from './import/import-format.js';

const USAGE = `usage: npm run catalog:import -- <file>... [--kind KIND] [--edition EDITION] [--effective YYYY-MM-DD] [--yes]
       npm run catalog:import -- --restore --kind KIND --edition EDITION [--yes]

Each file is previewed (what it adds, changes, removes and ends) and applied once you answer y;
--yes applies without asking (needed when not run from a terminal). --restore undoes the last
import of that kind and edition, after the same preview.
The kind and edition are recognised from the file when left out. Kinds:
${IMPORT_KIND_IDS.map((k) => `  ${k.padEnd(24)} ${IMPORT_KINDS[k].label}`).join('\n')}`;

interface Arguments {
  files: string[];
  options: ImportOptions;
  yes: boolean;
  restore: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const files: string[] = [];
  let yes = false;
  let restore = false;
  const raw: Record<string, string> = {};
  const names: Record<string, keyof ImportOptions> = {
    '--kind': 'kind',
    '--edition': 'edition',
    '--effective': 'effectiveDate',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const name = names[flag];
    if (name) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      raw[name] = value;
    } else if (arg === '--yes' || arg === '-y') {
      yes = true;
    } else if (arg === '--restore') {
      restore = true;
    } else if (arg === '--help' || arg === '-h') {
      throw new Error(USAGE);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (restore ? files.length > 0 || !raw.kind || !raw.edition : files.length === 0)
    throw new Error(USAGE);
  const parsed = ImportOptionsSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  return { files, options: parsed.data, yes, restore };
}

/** The preview as a person reads it before saying yes. */
function describePreview(preview: ImportPreview): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const sample = (label: string, count: number, samples: readonly string[]) =>
    count
      ? `  ${label.padEnd(9)} ${n(count).padStart(9)}   e.g. ${samples.join(', ')}${count > samples.length ? ', …' : ''}`
      : `  ${label.padEnd(9)} ${n(count).padStart(9)}`;
  const lines = [
    `  ${n(preview.rows)} rows in the file; ${n(preview.existing)} rows of this edition loaded now`,
    sample('added', preview.added, preview.samples.added),
    sample('changed', preview.changed, preview.samples.changed),
    sample('removed', preview.removed, preview.samples.removed),
  ];
  if (preview.ended || preview.endable)
    lines.push(
      sample('ended', preview.ended, preview.samples.ended) +
        ` (of ${n(preview.endable)} codes of older editions in force)`,
    );
  if (preview.reopened) lines.push(sample('reopened', preview.reopened, preview.samples.reopened));
  if (preview.warning) lines.push('', `  !!! WARNING: ${preview.warning}`, '');
  return lines.join('\n');
}

/** y/N on a terminal; no terminal means no. */
async function ask(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** Shows the preview, asks (or takes --yes), applies or cancels; the summary, or null when not applied. */
async function confirmAndApply(
  importer: CatalogImporter,
  outcome: ImportOutcome,
  yes: boolean,
): Promise<ImportSummary | 'declined' | 'refused'> {
  if (outcome.status === 'failed')
    throw new Error(
      outcome.error.line === null
        ? outcome.error.reason
        : `line ${outcome.error.line}: ${outcome.error.reason}`,
    );
  if (outcome.status !== 'preview') return outcome.summary;
  process.stdout.write(`Preview of import #${outcome.id}:\n${describePreview(outcome.preview)}\n`);
  if (!yes) {
    if (!process.stdin.isTTY) {
      await importer.cancel(outcome.id);
      return 'refused';
    }
    if (
      !(await ask(
        outcome.preview.warning
          ? 'Apply this import despite the warning? [y/N] '
          : 'Apply this import? [y/N] ',
      ))
    ) {
      await importer.cancel(outcome.id);
      return 'declined';
    }
  }
  return importer.apply(outcome.id);
}

function progressBar(file: string): (progress: ImportProgress) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (p) => {
    const fraction =
      p.phase !== 'reading' ? 1 : p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
    const label = p.phase === 'reading' ? `${p.rowsRead.toLocaleString('en-US')} rows` : p.phase;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${label.padEnd(24)}`,
      );
      if (p.phase === 'done') process.stderr.write('\n');
    } else {
      const tenth =
        p.phase === 'reading'
          ? Math.floor(fraction * 10)
          : 10 + ['checking', 'applying', 'done'].indexOf(p.phase);
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
  if (summary.unchanged)
    return `${head}: unchanged, this edition with the same content is already loaded`;
  const ended = summary.ended ? `, ${n(summary.ended)} codes of older editions ended` : '';
  const reopened = summary.reopened ? `, ${n(summary.reopened)} codes reopened` : '';
  return `${head}: ${n(summary.rows)} rows, ${n(summary.added)} added, ${n(summary.changed)} changed, ${n(summary.removed)} removed${ended}${reopened}, applied in ${(summary.durationMs / 1000).toFixed(1)} s`;
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
  const { dataSource, close } = await openCliDatabase(config, 'CatalogImport', 3);
  let failures = 0;
  try {
    const importer = new CatalogImporter(dataSource);
    await importer.recover();
    const jobs: Array<{ label: string; start: () => Promise<ImportOutcome> }> = args.restore
      ? [
          {
            label: `restore of ${args.options.kind} ${args.options.edition}`,
            start: async () =>
              (await importer.startRestore(args.options.kind!, args.options.edition!, null)).done,
          },
        ]
      : files.map((file) => ({
          label: file,
          start: async () =>
            (await importer.startPreview(file, args.options, null, progressBar(file))).done,
        }));
    for (const job of jobs) {
      process.stderr.write(`Reading ${job.label}\n`);
      try {
        const result = await confirmAndApply(importer, await job.start(), args.yes);
        if (result === 'refused') {
          failures += 1;
          process.stderr.write(
            `${job.label}: not applied: there is no terminal to ask for confirmation; run again with --yes to apply. Nothing was changed.\n`,
          );
        } else if (result === 'declined') {
          process.stderr.write(`${job.label}: not applied. Nothing was changed.\n`);
        } else {
          process.stdout.write(`${describe(result)}\n`);
        }
      } catch (error) {
        failures += 1;
        const reason =
          error instanceof ImportLineError || error instanceof DomainError || error instanceof Error
            ? error.message
            : String(error);
        process.stderr.write(`\n${job.label}: ${reason}. Nothing was changed.\n`);
      }
    }
  } finally {
    await close();
  }
  return failures ? 1 : 0;
}

runCli(main);

/**
 * `npm run encounters:import -- --org <slug> --as <email> [--good-rows] [--format csv|fhir] <file>`
 *
 * Imports charts from a CSV or FHIR R4 Bundle file into an organization, as one of its members,
 * through the same service as the import page (README "Importing charts"). The file is checked
 * whole first; with any invalid row nothing is created unless `--good-rows` is given. A CSV's
 * `note_file` column names note files relative to the CSV. Importing the same file again creates
 * nothing new. Progress goes to stderr, the summary to stdout; exit code 0 when every row was
 * created or already there, 1 when rows were left out or nothing was imported, 2 for bad usage.
 * The database is the server's (DATABASE_URL, else the embedded Postgres under DATA_DIR).
 */
import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule } from '@nestjs/common';
import {
  MAX_INTAKE_BYTES,
  type IntakeFormat,
  type IntakePreview,
  type IntakeSummary,
} from '@countersign/shared';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../config/config.js';
import { openCliDatabase } from '../database/cli-database.js';
import { DatabaseModule } from '../database/database.module.js';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { NoteFileRefused, type NoteFileReader } from './csv-intake.js';
import { IntakeModule } from './intake.module.js';
import { IntakeService } from './intake.service.js';

const USAGE = `usage: npm run encounters:import -- --org <slug> --as <email> [--good-rows] [--format csv|fhir] <file>

Checks the whole file and prints what it would create; creates the charts when every row is
valid, or only the valid rows with --good-rows. The format comes from the file's extension
(.csv, .json) unless --format says. Rows already imported (same source system and id) are skipped.`;

const MAX_NOTE_FILE_BYTES = 1024 * 1024;

interface Arguments {
  org: string;
  as: string;
  goodRows: boolean;
  format: IntakeFormat | null;
  file: string;
}

function parseArguments(argv: readonly string[]): Arguments {
  const values: Record<string, string> = {};
  const files: string[] = [];
  let goodRows = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--org' || flag === '--as' || flag === '--format') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      values[flag] = value;
    } else if (arg === '--good-rows') goodRows = true;
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    else files.push(arg);
  }
  const format = values['--format'];
  if (format !== undefined && format !== 'csv' && format !== 'fhir')
    throw new Error('--format is csv or fhir');
  if (!values['--org'] || !values['--as'] || files.length !== 1) throw new Error(USAGE);
  return {
    org: values['--org'],
    as: values['--as'],
    goodRows,
    format: format ?? null,
    file: files[0]!,
  };
}

/** Note files are read from the CSV's folder or below, at most 1 MB, UTF-8. */
function noteFileReader(csvPath: string): NoteFileReader {
  const folder = dirname(csvPath);
  return (path) => {
    const full = resolve(folder, path);
    if (!full.startsWith(`${folder}/`))
      throw new NoteFileRefused('Note files must be in the CSV file’s folder or below it');
    if (statSync(full).size > MAX_NOTE_FILE_BYTES)
      throw new NoteFileRefused('The note file is larger than 1 MB');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(full));
    } catch (error) {
      if (error instanceof TypeError) throw new NoteFileRefused('The note file is not UTF-8 text');
      throw error;
    }
  };
}

@Module({})
class IntakeCliModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: IntakeCliModule,
      imports: [DatabaseModule.forRoot(config, dataSource), IntakeModule],
    };
  }
}

const n = (value: number) => value.toLocaleString('en-US');

function describePreview(preview: IntakePreview): string {
  return `${n(preview.total)} encounters in the file: ${n(preview.toCreate)} to create, ${n(preview.alreadyImported)} already imported, ${n(preview.invalid)} invalid`;
}

function describeSummary(summary: IntakeSummary): string {
  return `${n(summary.created)} created, ${n(summary.skipped)} skipped (invalid or already imported), ${n(summary.done)} of ${n(summary.total)} rows done: ${summary.status}`;
}

function progress(summary: IntakeSummary): void {
  const fraction = summary.total ? summary.done / summary.total : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  const line = `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n(summary.done)} / ${n(summary.total)}`;
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

async function main(): Promise<number> {
  let args: Arguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), args.file);
  let content: string;
  try {
    if (statSync(file).size > MAX_INTAKE_BYTES) throw new Error('larger than 50 MB');
    content = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (error) {
    process.stderr.write(`Cannot read ${args.file}: ${(error as Error).message}\n`);
    return 2;
  }
  const format = args.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'fhir');

  const config = loadConfig();
  const { dataSource, close } = await openCliDatabase(config, 'EncounterImport', 4);
  const app = await NestFactory.createApplicationContext(
    IntakeCliModule.forRoot(config, dataSource),
    {
      logger: ['error', 'warn'],
    },
  );
  try {
    const user = await app.get(UsersService).activeMember(args.org, args.as);
    if (!user) {
      process.stderr.write(
        `No active member ${args.as} in an organization with slug ${args.org}\n`,
      );
      return 2;
    }
    const intake = app.get(IntakeService);
    const preview = await intake.preview(user, format, content, {
      fileName: args.file,
      readNoteFile: format === 'csv' ? noteFileReader(file) : undefined,
    });
    process.stdout.write(`${args.file}: ${describePreview(preview)}\n`);
    if (preview.invalid) {
      const invalid = await intake.rows(user, preview.id, {
        offset: 0,
        limit: 500,
        action: 'invalid',
      });
      for (const row of invalid.items)
        for (const error of row.errors)
          process.stdout.write(
            `  row ${error.row}, ${error.column || '(row)'}: ${error.message}\n`,
          );
      if (invalid.total > invalid.items.length)
        process.stdout.write(
          `  … and ${n(invalid.total - invalid.items.length)} more invalid rows\n`,
        );
      if (!args.goodRows) {
        await intake.cancel(user, preview.id);
        process.stdout.write('Nothing was created. Fix the rows, or run again with --good-rows.\n');
        return 1;
      }
    }
    const summary = await intake.commitAndWait(
      user,
      preview.id,
      args.goodRows ? 'good_rows' : 'all',
      progress,
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${describeSummary(summary)}\n`);
    if (summary.status !== 'done') {
      process.stderr.write(`${summary.error ?? 'The import did not finish'}\n`);
      return 1;
    }
    return preview.invalid > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      const details = error.details as {
        errors?: Array<{ row: number; column: string; message: string }>;
      };
      for (const e of details?.errors ?? [])
        process.stderr.write(`  row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

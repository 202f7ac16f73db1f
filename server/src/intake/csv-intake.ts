import { INTAKE_CSV_COLUMNS, MAX_INTAKE_ROWS, type IntakeRowError } from '@countersign/shared';
import { CsvError, parse } from 'csv-parse/sync';
import type { IntakeDraft, IntakeField } from './intake-record.js';

/** A file as a whole could not be read: nothing is stored, every problem is listed. */
export class IntakeFileError extends Error {
  constructor(readonly errors: IntakeRowError[]) {
    super(errors.map((e) => (e.row ? `row ${e.row}: ${e.message}` : e.message)).join('; '));
  }
}

/** Reads the note a `note_file` cell names; absent where notes come only in `note_text`. */
export type NoteFileReader = (path: string) => string;

const FIELD_OF_COLUMN: Partial<Record<string, IntakeField>> = {
  source_system: 'sourceSystem',
  source_id: 'sourceId',
  patient_name: 'patientName',
  mrn: 'mrn',
  date_of_birth: 'dateOfBirth',
  date_of_service: 'dateOfService',
  provider_name: 'providerName',
  provider_npi: 'providerNpi',
  place_of_service: 'placeOfService',
  note_text: 'clinicalNote',
  coder_email: 'coderEmail',
  reviewer_email: 'reviewerEmail',
};

const KNOWN = new Set<string>(INTAKE_CSV_COLUMNS.map((c) => c.name));
const REQUIRED = INTAKE_CSV_COLUMNS.filter((c) => c.required).map((c) => c.name);

/**
 * One draft per CSV row (docs: README "Importing charts"). Rows are numbered as a spreadsheet
 * numbers them (the header is row 1); columns are found by their header name, in any order.
 * Diagnoses are one cell, codes separated by `;`, `|` or `,`. A note comes from `note_text`
 * or, when `readNoteFile` is given (the command line), from the file `note_file` names.
 */
export function csvDrafts(content: string, readNoteFile?: NoteFileReader): IntakeDraft[] {
  let records: string[][];
  try {
    const parsed: string[][] = parse(content, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 1_000_000,
    });
    records = parsed;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new IntakeFileError([
        { row: line, column: '', message: `Not readable as CSV: ${csvProblem(error)}` },
      ]);
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new IntakeFileError([{ row: 0, column: '', message: 'The file is empty' }]);
  const columns = header.map((name) => name.trim().toLowerCase());
  const problems: IntakeRowError[] = [];
  for (const [index, name] of columns.entries()) {
    if (!KNOWN.has(name))
      problems.push({ row: 1, column: name, message: `Unknown column "${header[index]}"` });
    else if (columns.indexOf(name) !== index)
      problems.push({ row: 1, column: name, message: 'The column appears twice' });
  }
  for (const name of REQUIRED)
    if (!columns.includes(name))
      problems.push({ row: 1, column: name, message: 'This required column is missing' });
  if (rows.length === 0)
    problems.push({ row: 0, column: '', message: 'The file has a header but no rows' });
  if (rows.length > MAX_INTAKE_ROWS)
    problems.push({
      row: 0,
      column: '',
      message: `At most ${MAX_INTAKE_ROWS} rows in one file (found ${rows.length})`,
    });
  if (problems.length) throw new IntakeFileError(problems);

  return rows.map((cells, index) => rowDraft(columns, cells, index + 2, readNoteFile));
}

function rowDraft(
  columns: string[],
  cells: string[],
  row: number,
  readNoteFile: NoteFileReader | undefined,
): IntakeDraft {
  const draft: IntakeDraft = {
    row,
    fields: {},
    diagnoses: [],
    diagnosesAt: 'diagnoses',
    errors: [],
  };
  if (cells.length !== columns.length)
    draft.errors.push({
      row,
      column: '',
      message: `Has ${cells.length} cells; the header has ${columns.length}`,
    });
  const cell = (name: string) => {
    const index = columns.indexOf(name);
    return index < 0 ? undefined : cells[index];
  };
  for (const [index, name] of columns.entries()) {
    const field = FIELD_OF_COLUMN[name];
    if (field) draft.fields[field] = { value: cells[index], at: name };
  }
  draft.diagnoses = (cell('diagnoses') ?? '')
    .split(/[;|,]/)
    .map((code) => code.trim())
    .filter(Boolean)
    .map((code) => ({ value: code, at: 'diagnoses' }));

  const noteFile = cell('note_file')?.trim();
  if (noteFile) {
    if (cell('note_text')?.trim())
      draft.errors.push({
        row,
        column: 'note_file',
        message: 'Give note_text or note_file, not both',
      });
    else if (!readNoteFile)
      draft.errors.push({
        row,
        column: 'note_file',
        message: 'Note files are read by the command line only; put the note in note_text',
      });
    else {
      try {
        draft.fields.clinicalNote = { value: readNoteFile(noteFile), at: 'note_file' };
      } catch (error) {
        draft.errors.push({ row, column: 'note_file', message: noteFileProblem(error) });
      }
    }
  }
  return draft;
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote in the middle of a quoted cell (write it twice: "")';
    case 'CSV_MAX_RECORD_SIZE':
      return 'a row is larger than 1,000,000 characters';
    default:
      return error.code;
  }
}

function noteFileProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'No such file (the path is relative to the CSV file)';
  if (code === 'EISDIR') return 'Names a folder, not a file';
  if (error instanceof NoteFileRefused) return error.message;
  return 'Cannot read the file';
}

/** A note file the reader will not read (outside the CSV's folder, too large, not UTF-8). */
export class NoteFileRefused extends Error {}

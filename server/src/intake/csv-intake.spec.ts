import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntakeFileError, csvDrafts } from './csv-intake.js';
import { checkDraft } from './intake-record.js';

const fixture = (name: string) =>
  readFileSync(join(process.cwd(), 'test/intake/fixtures', name), 'utf8');

const HEADER =
  'source_system,source_id,patient_name,mrn,date_of_birth,date_of_service,provider_name,place_of_service';

function fileErrors(content: string): string[] {
  try {
    csvDrafts(content);
  } catch (error) {
    if (error instanceof IntakeFileError)
      return error.errors.map((e) => `${e.column}: ${e.message}`);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe(csvDrafts.name, () => {
  it('maps every column of the good file to a chart, with the quoted multi-line note', () => {
    const checked = csvDrafts(fixture('good.csv')).map(checkDraft);
    expect(checked.map((c) => c.errors)).toEqual([[], [], []]);
    expect(checked.map((c) => c.row)).toEqual([2, 3, 4]);
    expect(checked[0]!.input).toEqual({
      patient: { name: 'Avery Quinlan', mrn: 'MRN-50001', dateOfBirth: '1961-07-19' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote:
        'Established patient, right knee pain for three months.\nInjected the right knee; diabetes stable on metformin.',
      diagnoses: ['M1711', 'E119'],
      lines: [],
      coderId: null,
      reviewerId: null,
    });
    expect(checked[2]!.input).toMatchObject({ provider: { npi: null }, diagnoses: [] });
    expect(checked.map((c) => [c.sourceSystem, c.sourceId])).toEqual([
      ['clinic-ehr', 'ENC-1001'],
      ['clinic-ehr', 'ENC-1002'],
      ['clinic-ehr', 'ENC-1003'],
    ]);
  });

  it('reports each bad cell by row and column', () => {
    const checked = csvDrafts(fixture('bad.csv')).map(checkDraft);
    const errors = checked.flatMap((c) => c.errors.map((e) => `${e.row} ${e.column}`));
    expect(errors).toEqual(
      expect.arrayContaining([
        '3 patient_name',
        '3 date_of_service',
        '3 provider_npi',
        '3 place_of_service',
        '4 date_of_birth',
        '4 provider_npi',
        '4 diagnoses',
        '6 diagnoses',
      ]),
    );
    expect(checked[0]!.errors).toEqual([]);
    expect(checked[1]!.input).toBeNull();
    const npi = checked[1]!.errors.find((e) => e.column === 'provider_npi');
    expect(npi?.message).toMatch(/check digit/);
    expect(checked[2]!.errors.find((e) => e.column === 'date_of_birth')?.message).toMatch(
      /calendar date/,
    );
    expect(checked[4]!.errors.find((e) => e.column === 'diagnoses')?.message).toMatch(/twice/);
  });

  it('refuses a file without a required column, with an unknown column, or with no rows', () => {
    expect(fileErrors('source_system,source_id\nx,y\n')).toEqual(
      expect.arrayContaining(['patient_name: This required column is missing']),
    );
    expect(fileErrors(`${HEADER},diagnosis\n`)).toEqual([
      'diagnosis: Unknown column "diagnosis"',
      ': The file has a header but no rows',
    ]);
    expect(fileErrors('')).toEqual([': The file is empty']);
    expect(fileErrors(`${HEADER}\n"unclosed,b`)[0]).toMatch(/never closed/);
  });

  it('reads note_file only through the reader it is given', () => {
    const content = fixture('with-note-files.csv');
    const withoutReader = csvDrafts(content).map(checkDraft);
    expect(withoutReader[0]!.errors).toEqual([
      {
        row: 2,
        column: 'note_file',
        message: 'Note files are read by the command line only; put the note in note_text',
      },
    ]);
    const files: Record<string, string> = { 'notes/enc-3001.txt': 'The note.' };
    const read = (path: string) => {
      const found = files[path];
      if (found === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      return found;
    };
    const withReader = csvDrafts(content, read).map(checkDraft);
    expect(withReader[0]!.input?.clinicalNote).toBe('The note.');
    expect(withReader[1]!.errors.map((e) => e.column)).toEqual(['note_file']);
  });

  it('reports a row with more or fewer cells than the header', () => {
    const [draft] = csvDrafts(`${HEADER}\na,b,c\n`);
    expect(draft!.errors[0]!.message).toBe('Has 3 cells; the header has 8');
  });
});

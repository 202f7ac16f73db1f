import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntakeFileError } from './csv-intake.js';
import { fhirDrafts } from './fhir-intake.js';
import { checkDraft } from './intake-record.js';

const fixture = (name: string) =>
  readFileSync(join(process.cwd(), 'test/intake/fixtures', name), 'utf8');

function fileError(content: string): string {
  try {
    fhirDrafts(content);
  } catch (error) {
    if (error instanceof IntakeFileError) return error.message;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe(fhirDrafts.name, () => {
  it('maps each Encounter of the Bundle with its patient, provider, place, diagnoses and note', () => {
    const [first, second] = fhirDrafts(fixture('good-bundle.json')).map(checkDraft);
    expect(first!.errors).toEqual([]);
    expect(first!.sourceSystem).toBe('urn:oid:2.16.840.1.113883.19.5');
    expect(first!.sourceId).toBe('FHIR-ENC-1');
    expect(first!.input).toMatchObject({
      patient: { name: 'Avery Quinlan', mrn: 'MRN-80001', dateOfBirth: '1961-07-19' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield', npi: '1234567893' },
      placeOfService: '11',
      diagnoses: ['M1711', 'E119'],
    });
    expect(first!.input!.clinicalNote).toMatch(/^Subjective: right knee pain/);
    expect(second!.errors).toEqual([]);
    expect(second!.input).toMatchObject({
      patient: { name: 'Morgan J Treadwell' },
      dateOfService: '2026-03-03',
      diagnoses: ['I10'],
      clinicalNote: 'Assessment\nBlood pressure 128/82 & well controlled.\nContinue lisinopril.',
    });
  });

  it('reports wrong types, bad dates, dangling references and missing codings by resource path', () => {
    const [first, second] = fhirDrafts(fixture('bad-bundle.json')).map(checkDraft);
    const where = (errors: Array<{ column: string; message: string }>) =>
      errors.map((e) => e.column);
    expect(where(first!.errors)).toEqual(
      expect.arrayContaining([
        'Patient/pat-9.birthDate',
        'Practitioner/prac-9.identifier',
        'Encounter/enc-9.period.start',
        'Condition/cond-9.code',
      ]),
    );
    expect(first!.errors.find((e) => e.column === 'Patient/pat-9.birthDate')?.message).toMatch(
      /expected string/,
    );
    expect(where(second!.errors)).toEqual(
      expect.arrayContaining([
        'Encounter/enc-10.subject',
        'Encounter/enc-10.identifier.system',
        'Encounter/enc-10.participant',
        'Encounter/enc-10.location',
      ]),
    );
    expect(second!.errors.find((e) => e.column === 'Encounter/enc-10.subject')?.message).toBe(
      'Refers to Patient/missing, which is not in the Bundle',
    );
  });

  it('refuses what is not a Bundle of encounters', () => {
    expect(fileError('{')).toMatch(/Not readable as JSON/);
    expect(fileError('{"resourceType":"Patient"}')).toMatch(/Not a FHIR Bundle/);
    expect(fileError('{"resourceType":"Bundle","type":"history","entry":[]}')).toMatch(
      /Bundle.type/,
    );
    expect(fileError('{"resourceType":"Bundle","type":"collection","entry":[]}')).toMatch(
      /no Encounter/,
    );
  });
});

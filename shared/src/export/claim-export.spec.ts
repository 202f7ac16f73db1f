import type { Claim, Coverage, Patient, Practitioner } from '@medplum/fhirtypes';
import type { FeeEstimate, FeeLine } from '../edits/edits.schema.js';
import { fhirProblems } from '../testing/fhir-validation.js';
import {
  FHIR_SYSTEMS,
  billedLines,
  buildFhirClaim,
  claimCsvRows,
  csvSafe,
  type ClaimChart,
} from './claim-export.js';
import { BulkClaimQuerySchema } from './export.schema.js';

const ids = {
  chart: '5b0f3c52-7d7e-4f57-9d59-7a1b2c3d4e5f',
  visit: '00000000-0000-4000-8000-000000000001',
  rejected: '00000000-0000-4000-8000-000000000002',
  shot: '00000000-0000-4000-8000-000000000003',
  knee: '00000000-0000-4000-8000-000000000004',
};

const line = (
  id: string,
  code: string,
  extra: Partial<ClaimChart['lines'][number]> = {},
): ClaimChart['lines'][number] => ({
  id,
  code,
  modifiers: [],
  units: 1,
  pointers: ['A'],
  review: { state: 'accepted' },
  ...extra,
});

function chart(overrides: Partial<ClaimChart> = {}): ClaimChart {
  return {
    id: ids.chart,
    patient: { name: 'Rivera, Ana', mrn: 'MRN-0042', dateOfBirth: '1961-04-09' },
    dateOfService: '2026-03-02',
    provider: { name: 'Dr. Lee Park', npi: '1234567893' },
    placeOfService: '11',
    diagnoses: ['E119', 'I10', 'M1711'],
    status: 'signed_off',
    signedOffAt: '2026-03-04T15:20:00.000Z',
    sourceId: 'EHR-778',
    lines: [
      line(ids.visit, '99214', { modifiers: ['25'], pointers: ['B', 'A'] }),
      line(ids.rejected, '99215', { review: { state: 'rejected' } }),
      line(ids.shot, 'J1100', { units: 3, pointers: ['C'] }),
      line(ids.knee, '20610', { modifiers: ['RT', '59'], pointers: ['C', 'A'] }),
    ],
    ...overrides,
  };
}

function feeLine(
  lineId: string,
  code: string,
  units: number,
  base: number,
  amount = base,
): FeeLine {
  return {
    lineId,
    code,
    units,
    modifier: '',
    rvu: null,
    amount,
    baseAmount: base,
    outcome: amount === base ? 'paid' : 'reduced',
    priced: true,
    note: null,
    row: 1,
  };
}

const fees: FeeEstimate = {
  facility: false,
  conversionFactor: 33.4,
  lines: [
    feeLine(ids.visit, '99214', 1, 128.44),
    feeLine(ids.shot, 'J1100', 3, 0.9),
    feeLine(ids.knee, '20610', 1, 61.2, 30.6),
  ],
  total: 159.94,
  source: 'test',
  rvuEdition: '2026',
  conversionFactorYear: 2026,
  warnings: [],
};

const contained = <T>(claim: Claim, type: string) =>
  claim.contained?.find((r) => r.resourceType === type) as T;

describe(buildFhirClaim.name, () => {
  const claim = buildFhirClaim(chart(), { fees });

  it('passes the R4 JSON Schema and the R4 StructureDefinitions', () => {
    expect(fhirProblems(claim)).toEqual([]);
  });

  it('is a signed-off professional claim with the elements R4 requires', () => {
    expect(claim.resourceType).toBe('Claim');
    expect(claim.status).toBe('active');
    expect(claim.use).toBe('claim');
    expect(claim.type.coding).toEqual([
      { system: FHIR_SYSTEMS.claimType, code: 'professional', display: 'Professional' },
    ]);
    expect(claim.priority.coding?.[0]).toMatchObject({
      system: FHIR_SYSTEMS.priority,
      code: 'normal',
    });
    expect(claim.created).toBe('2026-03-04T15:20:00.000Z');
    expect(claim.insurance).toEqual([
      { sequence: 1, focal: true, coverage: { reference: '#coverage' } },
    ]);
    expect(claim.billablePeriod).toEqual({ start: '2026-03-02', end: '2026-03-02' });
  });

  it('contains the patient, the provider with the NPI and a coverage marked unknown', () => {
    expect(claim.patient).toEqual({ reference: '#patient' });
    expect(claim.provider).toEqual({ reference: '#provider' });
    const patient = contained<Patient>(claim, 'Patient');
    expect(patient.name).toEqual([{ text: 'Rivera, Ana' }]);
    expect(patient.birthDate).toBe('1961-04-09');
    expect(patient.identifier?.[0]?.value).toBe('MRN-0042');
    expect(patient.identifier?.[0]?.type?.coding?.[0]?.code).toBe('MR');
    const provider = contained<Practitioner>(claim, 'Practitioner');
    expect(provider.identifier).toEqual([{ system: FHIR_SYSTEMS.npi, value: '1234567893' }]);
    const coverage = contained<Coverage>(claim, 'Coverage');
    expect(coverage.status).toBe('draft');
    expect(coverage.beneficiary).toEqual({ reference: '#patient' });
    expect(coverage.payor[0]?.display).toMatch(/unknown/i);
  });

  it('lists the diagnoses in ICD-10-CM with the dot, numbered in chart order', () => {
    expect(claim.diagnosis).toEqual([
      {
        sequence: 1,
        diagnosisCodeableConcept: { coding: [{ system: FHIR_SYSTEMS.icd10cm, code: 'E11.9' }] },
      },
      {
        sequence: 2,
        diagnosisCodeableConcept: { coding: [{ system: FHIR_SYSTEMS.icd10cm, code: 'I10' }] },
      },
      {
        sequence: 3,
        diagnosisCodeableConcept: { coding: [{ system: FHIR_SYSTEMS.icd10cm, code: 'M17.11' }] },
      },
    ]);
  });

  it('bills every line but the rejected one, renumbered, with pointers as diagnosis sequences', () => {
    const items = claim.item ?? [];
    expect(items.map((i) => [i.sequence, i.productOrService.coding?.[0]?.code])).toEqual([
      [1, '99214'],
      [2, 'J1100'],
      [3, '20610'],
    ]);
    expect(items.map((i) => i.diagnosisSequence)).toEqual([[2, 1], [3], [3, 1]]);
    expect(items.map((i) => i.quantity)).toEqual([{ value: 1 }, { value: 3 }, { value: 1 }]);
  });

  it('codes CPT and HCPCS procedures and modifiers in their own systems', () => {
    const [visit, shot, knee] = claim.item ?? [];
    expect(visit?.productOrService.coding?.[0]?.system).toBe(FHIR_SYSTEMS.cpt);
    expect(shot?.productOrService.coding?.[0]?.system).toBe(FHIR_SYSTEMS.hcpcs);
    expect(visit?.modifier).toEqual([{ coding: [{ system: FHIR_SYSTEMS.cpt, code: '25' }] }]);
    expect(shot?.modifier).toBeUndefined();
    expect(knee?.modifier).toEqual([
      { coding: [{ system: FHIR_SYSTEMS.hcpcs, code: 'RT' }] },
      { coding: [{ system: FHIR_SYSTEMS.cpt, code: '59' }] },
    ]);
  });

  it('gives each line its date and place of service', () => {
    for (const item of claim.item ?? []) {
      expect(item.servicedDate).toBe('2026-03-02');
      expect(item.locationCodeableConcept?.coding?.[0]).toEqual({
        system: FHIR_SYSTEMS.placeOfService,
        code: '11',
        display: 'Office',
      });
    }
  });

  it('prices lines from the fee schedule amount: unit price, net and the total', () => {
    const [visit, shot, knee] = claim.item ?? [];
    expect(visit?.net).toEqual({ value: 128.44, currency: 'USD' });
    expect(shot?.unitPrice).toEqual({ value: 0.3, currency: 'USD' });
    expect(shot?.net).toEqual({ value: 0.9, currency: 'USD' });
    expect(knee?.net).toEqual({ value: 61.2, currency: 'USD' });
    expect(claim.total).toEqual({ value: 190.54, currency: 'USD' });
  });

  it('leaves prices out without a fee estimate, and stays valid', () => {
    const bare = buildFhirClaim(chart());
    expect(bare.item?.some((i) => i.net || i.unitPrice)).toBe(false);
    expect(bare.total).toBeUndefined();
    expect(fhirProblems(bare)).toEqual([]);
  });

  it('exports a chart that is not signed off as a draft created now', () => {
    const now = new Date('2026-05-01T10:00:00.000Z');
    const draft = buildFhirClaim(chart({ status: 'in_review', signedOffAt: null }), { now });
    expect(draft.status).toBe('draft');
    expect(draft.created).toBe('2026-05-01T10:00:00.000Z');
    expect(fhirProblems(draft)).toEqual([]);
  });

  it('stays valid with no diagnoses, no lines and no NPI', () => {
    const empty = buildFhirClaim(
      chart({ diagnoses: [], lines: [], provider: { name: 'Dr. Lee Park', npi: null } }),
    );
    expect(empty.diagnosis).toBeUndefined();
    expect(empty.item).toBeUndefined();
    expect(contained<Practitioner>(empty, 'Practitioner').identifier).toBeUndefined();
    expect(fhirProblems(empty)).toEqual([]);
  });
});

describe(fhirProblems.name, () => {
  it('refuses a claim that breaks the R4 structure', () => {
    const claim = buildFhirClaim(chart(), { fees });
    const { insurance: _insurance, ...noInsurance } = claim;
    expect(fhirProblems(noInsurance as Claim).join('\n')).toMatch(/insurance/);
    expect(fhirProblems({ ...claim, use: 'bill' } as unknown as Claim).join('\n')).toMatch(/use/);
    const badItem = { ...claim, item: [{ sequence: 1 }] } as unknown as Claim;
    expect(fhirProblems(badItem).join('\n')).toMatch(/productOrService/);
  });
});

describe(claimCsvRows.name, () => {
  it('writes one row per billed line with the diagnoses its pointers resolve to', () => {
    const rows = claimCsvRows(chart(), fees);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      chart_id: ids.chart,
      source_id: 'EHR-778',
      status: 'signed_off',
      signed_off_at: '2026-03-04T15:20:00.000Z',
      patient_name: 'Rivera, Ana',
      mrn: 'MRN-0042',
      date_of_birth: '1961-04-09',
      date_of_service: '2026-03-02',
      provider_name: 'Dr. Lee Park',
      npi: '1234567893',
      place_of_service: '11',
      line_number: 1,
      code: '99214',
      code_system: 'CPT',
      modifiers: '25',
      units: 1,
      diagnosis_pointers: 'B;A',
      diagnosis_codes: 'I10;E11.9',
      fee: '128.44',
      expected_payment: '128.44',
    });
    expect(rows.map((r) => [r.line_number, r.code, r.code_system, r.modifiers, r.units])).toEqual([
      [1, '99214', 'CPT', '25', 1],
      [2, 'J1100', 'HCPCS', '', 3],
      [3, '20610', 'CPT', 'RT;59', 1],
    ]);
    expect(rows[2]?.diagnosis_codes).toBe('M17.11;E11.9');
    expect(rows[2]?.expected_payment).toBe('30.60');
  });

  it('leaves the fee empty where nothing priced the line', () => {
    const rows = claimCsvRows(chart({ sourceId: null }));
    expect(rows.every((r) => r.fee === '' && r.expected_payment === '')).toBe(true);
    expect(rows[0]?.source_id).toBe('');
  });

  it('excludes rejected lines the same way the claim does', () => {
    expect(billedLines(chart()).map((l) => l.id)).toEqual([ids.visit, ids.shot, ids.knee]);
  });
});

describe(csvSafe.name, () => {
  it.each(['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises %j for spreadsheets',
    (value) => expect(csvSafe(value)).toBe(`'${value}`),
  );
  it('leaves ordinary text and numbers alone', () => {
    expect(csvSafe('Rivera, Ana')).toBe('Rivera, Ana');
    expect(csvSafe('O-Brien')).toBe('O-Brien');
    expect(csvSafe(3)).toBe(3);
  });
});

describe('BulkClaimQuerySchema', () => {
  const parse = (query: Record<string, string>) => BulkClaimQuerySchema.safeParse(query);
  it('takes a range, a format and the signed-off basis by default', () => {
    expect(parse({ from: '2026-01-01', to: '2026-01-31', format: 'csv' }).data).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      format: 'csv',
      basis: 'signed-off',
    });
  });
  it.each([
    [{ from: '2026-02-01', to: '2026-01-31', format: 'csv' }, 'to'],
    [{ from: '2026-02-30', to: '2026-03-01', format: 'csv' }, 'from'],
    [{ from: '2025-01-01', to: '2026-01-31', format: 'csv' }, 'to'],
    [{ from: '2026-01-01', to: '2026-01-31', format: 'xml' }, 'format'],
    [{ from: '2026-01-01', to: '2026-01-31', format: 'csv', basis: 'created' }, 'basis'],
  ])('refuses %j naming %s', (query, field) => {
    const result = parse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });
});

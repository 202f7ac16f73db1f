import type {
  Claim,
  ClaimItem,
  CodeableConcept,
  Coverage,
  Money,
  Patient,
  Practitioner,
} from '@medplum/fhirtypes';
import { diagnosisIndex, formatIcd10Cm, procedureCodeKind } from '../coding/formats.js';
import { placeOfService } from '../coding/place-of-service.js';
import type { FeeEstimate } from '../edits/edits.schema.js';
import type { ClaimLine, Encounter } from '../encounter/encounter.schema.js';

/**
 * Claims out (docs/domain.md, "Exporting claims"): the billed lines of a chart as a FHIR R4
 * professional `Claim` and as CSV rows. Pure: the server streams them, tests call them on
 * hand-built charts. The code system URIs are the ones HL7 Terminology (THO) and the CARIN
 * Blue Button guide register for each code set.
 */
export const FHIR_SYSTEMS = {
  /** THO CodeSystem `claim-type`. */
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  /** THO CodeSystem `processpriority`. */
  priority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  /** THO NamingSystem `icd10CM`. */
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  /** THO CodeSystem `CPT` (AMA). */
  cpt: 'http://www.ama-assn.org/go/cpt',
  /** THO CodeSystem `hcpcs-Level-II` (CMS); its registered URL is http, not https. */
  hcpcs: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  /** THO CodeSystem `CMSPlaceofServiceCodes`, as CARIN Blue Button binds it. */
  placeOfService:
    'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  /** THO NamingSystem `npi`. */
  npi: 'http://hl7.org/fhir/sid/us-npi',
  /** THO CodeSystem `v2-0203` (identifier type; MR = medical record number). */
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** A URI identifier (RFC 3986): the chart's id as `urn:uuid:...`. */
  uri: 'urn:ietf:rfc:3986',
} as const;

/** What a claim is built from: a chart's header and lines, and when it was signed off. */
export type ClaimChart = Pick<
  Encounter,
  'id' | 'patient' | 'dateOfService' | 'provider' | 'placeOfService' | 'diagnoses' | 'status'
> & {
  lines: ReadonlyArray<
    Pick<ClaimLine, 'id' | 'code' | 'modifiers' | 'units' | 'pointers'> & {
      review: Pick<ClaimLine['review'], 'state'>;
    }
  >;
  /** When the chart was (last) signed off, ISO date-time; null when it is not. */
  signedOffAt: string | null;
  /** The source system's identifier of an imported chart, when it has one. */
  sourceId?: string | null;
};

export type BilledLine = ClaimChart['lines'][number];

/**
 * The lines a claim carries: every line but the rejected ones, with their values as they stand
 * (a corrected line already holds the accepted correction, a missed line added by the reviewer is
 * billed like any other). The same rule as the approval gate's "lines that stay on the claim".
 */
export function billedLines(chart: Pick<ClaimChart, 'lines'>): BilledLine[] {
  return chart.lines.filter((line) => line.review.state !== 'rejected');
}

/** The diagnosis codes (stored form) a line's pointers resolve to, in pointer order. */
export function pointedDiagnoses(
  line: Pick<BilledLine, 'pointers'>,
  diagnoses: readonly string[],
): string[] {
  return line.pointers
    .map((letter) => diagnoses[diagnosisIndex(letter)])
    .filter((code): code is string => code !== undefined);
}

/** Fee figures of one billed line: the schedule fee (before payment rules) and the estimate after. */
export interface LineFee {
  /** Fee schedule amount for all units, before the payment rules; the claim's charge. */
  fee: number;
  /** What the estimate expects to be paid after denials, reductions and the bilateral rule. */
  expected: number;
}

/** The fee figures by line id, for the lines the estimate priced. */
export function lineFees(fees: FeeEstimate | null | undefined): Map<string, LineFee> {
  const byLine = new Map<string, LineFee>();
  for (const line of fees?.lines ?? [])
    if (line.priced && line.baseAmount > 0)
      byLine.set(line.lineId, { fee: line.baseAmount, expected: line.amount });
  return byLine;
}

export interface ClaimOptions {
  /** The fee estimate of the billed lines (`estimateFees`), for `unitPrice`, `net` and `total`. */
  fees?: FeeEstimate | null;
  /** `created` when the chart is not signed off (an export on request); defaults to now. */
  now?: Date;
}

const usd = (value: number): Money => ({ value: Math.round(value * 100) / 100, currency: 'USD' });

function procedureSystem(code: string): string {
  return procedureCodeKind(code) === 'HCPCS-II' ? FHIR_SYSTEMS.hcpcs : FHIR_SYSTEMS.cpt;
}

/** CPT modifiers are two digits; HCPCS Level II modifiers have a letter (LT, XS, GT, F1...). */
function modifierSystem(modifier: string): string {
  return /^\d{2}$/.test(modifier) ? FHIR_SYSTEMS.cpt : FHIR_SYSTEMS.hcpcs;
}

const coded = (system: string, code: string, display?: string): CodeableConcept => ({
  coding: [display ? { system, code, display } : { system, code }],
});

/**
 * The chart as a FHIR R4 professional Claim. Patient, provider and coverage are contained
 * resources (the claim stands alone). A signed-off chart is `active` and `created` is its
 * sign-off time, so exporting it twice gives the same claim; any other chart (an export on
 * request) is `draft`, created now. Countersign records no coverage, so `insurance` (1..* in R4)
 * points at a contained Coverage in status `draft` whose payer is unknown: the billing system
 * must supply the real one (docs/domain.md, "Exporting claims").
 */
export function buildFhirClaim(chart: ClaimChart, options: ClaimOptions = {}): Claim {
  const fees = lineFees(options.fees);
  const signedOff = chart.status === 'signed_off' && chart.signedOffAt !== null;
  const pos = placeOfService(chart.placeOfService);
  const location = coded(FHIR_SYSTEMS.placeOfService, chart.placeOfService, pos?.name);

  const patient: Patient = {
    resourceType: 'Patient',
    id: 'patient',
    identifier: [
      {
        use: 'usual',
        type: coded(FHIR_SYSTEMS.identifierType, 'MR', 'Medical record number'),
        value: chart.patient.mrn,
      },
    ],
    name: [{ text: chart.patient.name }],
    birthDate: chart.patient.dateOfBirth,
  };
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: 'provider',
    ...(chart.provider.npi
      ? { identifier: [{ system: FHIR_SYSTEMS.npi, value: chart.provider.npi }] }
      : {}),
    name: [{ text: chart.provider.name }],
  };
  const coverage: Coverage = {
    resourceType: 'Coverage',
    id: 'coverage',
    status: 'draft',
    beneficiary: { reference: '#patient' },
    payor: [{ display: 'Unknown: no coverage is recorded in Countersign' }],
  };

  const items = billedLines(chart).map((line, index): ClaimItem => {
    const fee = fees.get(line.id);
    const diagnosisSequence = line.pointers
      .map((letter) => diagnosisIndex(letter) + 1)
      .filter((sequence) => sequence <= chart.diagnoses.length);
    return {
      sequence: index + 1,
      ...(diagnosisSequence.length ? { diagnosisSequence } : {}),
      productOrService: coded(procedureSystem(line.code), line.code),
      ...(line.modifiers.length
        ? { modifier: line.modifiers.map((m) => coded(modifierSystem(m), m)) }
        : {}),
      servicedDate: chart.dateOfService,
      locationCodeableConcept: location,
      quantity: { value: line.units },
      ...(fee ? { unitPrice: usd(fee.fee / line.units), net: usd(fee.fee) } : {}),
    };
  });
  const priced = items.filter((item) => item.net);
  const total = priced.reduce((sum, item) => sum + (item.net?.value ?? 0), 0);

  return {
    resourceType: 'Claim',
    id: chart.id,
    contained: [patient, practitioner, coverage],
    identifier: [{ system: FHIR_SYSTEMS.uri, value: `urn:uuid:${chart.id}` }],
    status: signedOff ? 'active' : 'draft',
    type: coded(FHIR_SYSTEMS.claimType, 'professional', 'Professional'),
    use: 'claim',
    patient: { reference: '#patient' },
    billablePeriod: { start: chart.dateOfService, end: chart.dateOfService },
    created: signedOff ? chart.signedOffAt! : (options.now ?? new Date()).toISOString(),
    provider: { reference: '#provider' },
    priority: coded(FHIR_SYSTEMS.priority, 'normal', 'Normal'),
    ...(chart.diagnoses.length
      ? {
          diagnosis: chart.diagnoses.map((code, index) => ({
            sequence: index + 1,
            diagnosisCodeableConcept: coded(FHIR_SYSTEMS.icd10cm, formatIcd10Cm(code)),
          })),
        }
      : {}),
    insurance: [{ sequence: 1, focal: true, coverage: { reference: '#coverage' } }],
    ...(items.length ? { item: items } : {}),
    ...(priced.length ? { total: usd(total) } : {}),
  };
}

/** The CSV columns, in order: one row per billed line (docs/domain.md, "Exporting claims"). */
export const CLAIM_CSV_COLUMNS = [
  'chart_id',
  'source_id',
  'status',
  'signed_off_at',
  'patient_name',
  'mrn',
  'date_of_birth',
  'date_of_service',
  'provider_name',
  'npi',
  'place_of_service',
  'line_number',
  'code',
  'code_system',
  'modifiers',
  'units',
  'diagnosis_pointers',
  'diagnosis_codes',
  'fee',
  'expected_payment',
] as const;
export type ClaimCsvColumn = (typeof CLAIM_CSV_COLUMNS)[number];
export type ClaimCsvRow = Record<ClaimCsvColumn, string | number>;

/**
 * One row per billed line, with the line number it has on the claim. Lists are joined with
 * `;` (modifiers `25;59`, pointers `A;B`, diagnosis codes `E11.9;I10`); a fee the estimate could
 * not price is empty. Values are raw: `csvSafe` guards them before they are written.
 */
export function claimCsvRows(chart: ClaimChart, fees?: FeeEstimate | null): ClaimCsvRow[] {
  const byLine = lineFees(fees);
  return billedLines(chart).map((line, index) => {
    const fee = byLine.get(line.id);
    return {
      chart_id: chart.id,
      source_id: chart.sourceId ?? '',
      status: chart.status,
      signed_off_at: chart.signedOffAt ?? '',
      patient_name: chart.patient.name,
      mrn: chart.patient.mrn,
      date_of_birth: chart.patient.dateOfBirth,
      date_of_service: chart.dateOfService,
      provider_name: chart.provider.name,
      npi: chart.provider.npi ?? '',
      place_of_service: chart.placeOfService,
      line_number: index + 1,
      code: line.code,
      code_system: procedureCodeKind(line.code) === 'HCPCS-II' ? 'HCPCS' : 'CPT',
      modifiers: line.modifiers.join(';'),
      units: line.units,
      diagnosis_pointers: line.pointers.join(';'),
      diagnosis_codes: pointedDiagnoses(line, chart.diagnoses).map(formatIcd10Cm).join(';'),
      fee: fee ? fee.fee.toFixed(2) : '',
      expected_payment: fee ? fee.expected.toFixed(2) : '',
    };
  });
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet will show as text: a value starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return gets a leading `'`, which Excel, LibreOffice and Google Sheets read as "text"
 * and do not display. Numbers pass unchanged.
 */
export function csvSafe(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

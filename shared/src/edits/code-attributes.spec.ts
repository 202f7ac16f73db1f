import type { EditsReference } from './edits.schema.js';
import { codeAttributes } from './code-attributes.js';
import { emptyEditsReference } from './edits.js';

const reference: EditsReference = {
  ...emptyEditsReference('2026-03-02'),
  systemsLoaded: ['CPT', 'ICD10CM'],
  codes: {
    'ICD10CM:E119': [
      {
        edition: '2026',
        effectiveDate: '2025-10-01',
        terminationDate: null,
        billable: true,
        file: null,
        row: 9,
      },
    ],
    'CPT:99213': [
      {
        edition: '2026',
        effectiveDate: '2026-01-01',
        terminationDate: null,
        billable: true,
        file: null,
        row: 2,
      },
    ],
  },
  mue: { '22614': { value: 12, mai: 3, rationale: 'Clinical: Data', row: 4 } },
  mueSource: {
    dataset: 'NCCI MUE practitioner',
    edition: '2024Q3',
    file: null,
    effectiveDate: '2024-07-01',
  },
  addOnEdits: [
    { addOn: '22614', primary: '22600', type: 1, row: 10 },
    { addOn: '22614', primary: '22612', type: 1, row: 11 },
  ],
  addOnCodes: ['22614'],
  listedIn: { '22614': ['MPFS RVU 2025'] },
  fees: [
    {
      code: '22614',
      modifier: '',
      status: 'A',
      workRvu: 6.43,
      nonFacilityPeRvu: 2.9,
      facilityPeRvu: 2.9,
      mpRvu: 1.7,
      pctc: '0',
      globalDays: 'ZZZ',
      bilateral: '0',
      multProc: '0',
      row: 77,
    },
  ],
  feeSource: { dataset: 'MPFS RVU', edition: '2025', file: null, effectiveDate: '2025-01-01' },
};

describe(codeAttributes.name, () => {
  it('joins the add-on file, the fee schedule and the MUE for a procedure code', () => {
    expect(codeAttributes('22614', reference)).toEqual({
      code: '22614',
      systems: [],
      inEffect: true,
      billable: null,
      cptCategory: 'I',
      cptSection: 'Surgery',
      addOn: { isAddOn: true, types: [1], primaries: ['22600', '22612'] },
      feeSchedule: {
        edition: '2025',
        status: 'A',
        globalDays: 'ZZZ',
        pctc: '0',
        bilateral: '0',
        workRvu: 6.43,
        nonFacilityPeRvu: 2.9,
        facilityPeRvu: 2.9,
        mpRvu: 1.7,
        components: [],
      },
      mue: { value: 12, mai: 3, rationale: 'Clinical: Data', row: 4, edition: '2024Q3' },
    });
  });

  it('reads a diagnosis as typed, and a code not yet in effect', () => {
    expect(codeAttributes('e11.9', reference)).toMatchObject({
      code: 'E119',
      systems: ['ICD10CM'],
      inEffect: true,
      billable: true,
      cptCategory: null,
    });
    expect(codeAttributes('99213', { ...reference, dateOfService: '2025-06-01' })).toMatchObject({
      inEffect: false,
      billable: null,
    });
  });
});

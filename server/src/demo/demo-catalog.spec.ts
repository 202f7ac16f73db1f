import { emptyEditsReference, evaluateEdits, type EditsReference } from '@countersign/shared';
import { DEMO_CATALOG } from './demo-catalog.js';
import { DEMO_ENCOUNTERS } from './demo-encounters.js';

describe('the demo catalogue', () => {
  it('holds every code and modifier of the demo encounters, in effect on their dates of service', () => {
    const codes: EditsReference['codes'] = {};
    for (const entry of DEMO_CATALOG) {
      codes[`${entry.system}:${entry.code}`] = [
        {
          edition: 'demo-2026',
          effectiveDate: '2025-01-01',
          terminationDate: null,
          billable: entry.billable,
          file: null,
          row: null,
        },
      ];
    }
    for (const demo of DEMO_ENCOUNTERS) {
      const reference: EditsReference = {
        ...emptyEditsReference(demo.dateOfService),
        systemsLoaded: ['CPT', 'HCPCS', 'ICD10CM', 'MODIFIER'],
        codes,
      };
      const input = {
        dateOfService: demo.dateOfService,
        placeOfService: demo.placeOfService,
        diagnoses: demo.diagnoses.map((d) => d.replace('.', '')),
        lines: demo.lines.map((l, i) => ({
          id: `l${i}`,
          code: l.code,
          modifiers: l.modifiers ?? [],
          units: l.units ?? 1,
          pointers: l.pointers ?? [],
        })),
      };
      const missing = evaluateEdits(input, reference).filter((f) =>
        [
          'code-unknown',
          'code-not-in-effect',
          'modifier-unknown',
          'diagnosis-not-billable',
        ].includes(f.ruleId),
      );
      expect([demo.patient.name, missing.map((f) => f.message)]).toEqual([demo.patient.name, []]);
    }
  });
});

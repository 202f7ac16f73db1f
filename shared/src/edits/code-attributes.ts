import type { CodeAttributes, EditsReference } from './edits.schema.js';
import { cptCategory, cptSection } from '../coding/code-sections.js';
import { normalizeCode } from '../coding/formats.js';

/** What the reference data says about one code on the reference's date of service. */
export function codeAttributes(raw: string, reference: EditsReference): CodeAttributes {
  const code = normalizeCode(raw);
  const date = reference.dateOfService;
  const facts = Object.entries(reference.codes).filter(([key]) => key.endsWith(`:${code}`));
  const current = facts
    .flatMap(([, rows]) => rows)
    .filter(
      (f) => f.effectiveDate <= date && (f.terminationDate === null || f.terminationDate >= date),
    );
  const fees = reference.fees.filter((f) => f.code === code);
  const global = fees.find((f) => f.modifier === '');
  const addOnRows = reference.addOnEdits.filter((e) => e.addOn === code);
  const mue = reference.mue[code];
  return {
    code,
    systems: facts.map(([key]) => key.split(':')[0] as CodeAttributes['systems'][number]),
    inEffect:
      current.length > 0 || (facts.length === 0 && (reference.listedIn[code]?.length ?? 0) > 0),
    billable: current.length ? current.some((f) => f.billable) : null,
    cptCategory: cptCategory(code),
    cptSection: cptSection(code),
    addOn: {
      isAddOn: addOnRows.length > 0 || reference.addOnCodes.includes(code),
      types: [...new Set(addOnRows.map((r) => r.type))],
      primaries: addOnRows.map((r) => r.primary).filter((p) => p !== 'CCCCC'),
    },
    feeSchedule:
      global && reference.feeSource
        ? {
            edition: reference.feeSource.edition,
            status: global.status,
            globalDays: global.globalDays,
            pctc: global.pctc,
            bilateral: global.bilateral,
            workRvu: global.workRvu,
            nonFacilityPeRvu: global.nonFacilityPeRvu,
            facilityPeRvu: global.facilityPeRvu,
            mpRvu: global.mpRvu,
            components: fees.map((f) => f.modifier).filter(Boolean),
          }
        : null,
    mue: mue && reference.mueSource ? { ...mue, edition: reference.mueSource.edition } : null,
  };
}

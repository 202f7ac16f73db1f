import { IsoDateSchema } from '../common/text.js';
import {
  ClaimLineInputSchema,
  ClaimLinePatchSchema,
  CreateEncounterSchema,
} from './encounter.schema.js';

describe('ClaimLineInputSchema', () => {
  it('normalizes codes and modifiers and fills defaults', () => {
    expect(
      ClaimLineInputSchema.parse({ code: ' 99213 ', modifiers: ['25'], pointers: ['A'] }),
    ).toEqual({
      code: '99213',
      modifiers: ['25'],
      units: 1,
      pointers: ['A'],
      rationale: '',
      evidence: null,
    });
    expect(ClaimLineInputSchema.parse({ code: 'j1100', modifiers: ['rt'] }).code).toBe('J1100');
  });

  it.each([
    [{ code: '9921' }, 'Not a CPT or HCPCS Level II code'],
    [{ code: '99213', modifiers: ['25', '25'] }, 'A modifier appears twice'],
    [{ code: '99213', modifiers: ['25', '59', 'LT', 'RT', 'XS'] }, 'At most 4 modifiers'],
    [{ code: '99213', units: 0 }, 'Units are at least 1'],
    [{ code: '99213', units: 1.5 }, 'Units are a whole number'],
    [{ code: '99213', pointers: ['M'] }, 'Invalid option'],
    [{ code: '99213', pointers: ['A', 'A'] }, 'A diagnosis pointer appears twice'],
  ])('refuses %j with a readable message', (input, message) => {
    const result = ClaimLineInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join('; ')).toContain(message);
  });
});

describe('CreateEncounterSchema', () => {
  const valid = {
    patient: { mrn: 'A1', name: 'Pat', dateOfBirth: '1970-02-28' },
    dateOfService: '2026-03-02',
    provider: { name: 'Dr X', npi: '1234567890' },
    placeOfService: '11',
    diagnoses: ['e11.9', 'I10'],
  };

  it('stores diagnoses without the dot', () => {
    expect(CreateEncounterSchema.parse(valid).diagnoses).toEqual(['E119', 'I10']);
  });

  it('refuses thirteen diagnoses, an unknown place of service and an impossible date', () => {
    const thirteen = Array.from({ length: 13 }, (_, i) => `E11${i}`);
    expect(CreateEncounterSchema.safeParse({ ...valid, diagnoses: thirteen }).success).toBe(false);
    expect(CreateEncounterSchema.safeParse({ ...valid, placeOfService: '99' }).success).toBe(false);
    expect(IsoDateSchema.safeParse('2026-02-30').success).toBe(false);
  });
});

describe('ClaimLinePatchSchema', () => {
  it('keeps a patch partial: fields left out stay out', () => {
    expect(ClaimLinePatchSchema.parse({ units: 2 })).toEqual({ units: 2 });
  });

  it('refuses an empty patch', () => {
    expect(ClaimLinePatchSchema.safeParse({}).success).toBe(false);
  });
});

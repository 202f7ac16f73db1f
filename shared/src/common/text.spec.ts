import { CreateEncounterSchema } from '../encounter/encounter.schema.js';
import {
  CommentAddCommandSchema,
  ReviewRejectCommandSchema,
} from '../review/review-commands.schema.js';
import { CatchUpRequestSchema } from '../realtime/events.js';
import {
  BigIdSchema,
  IfMatchSchema,
  IsoDateSchema,
  PG_INT_MAX,
  isStorableText,
  pgInt,
  text,
} from './text.js';

const encounter = {
  patient: { mrn: 'MRN-1', name: 'Jordan Example', dateOfBirth: '1968-04-12' },
  dateOfService: '2026-03-02',
  provider: { name: 'Dana Whitfield, MD', npi: null },
  placeOfService: '11',
};
const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('text()', () => {
  it.each([
    ['a NUL byte', 'before\u0000after'],
    ['a lone high surrogate', 'x\uD83Dy'],
    ['a lone low surrogate', 'x\uDE00y'],
    ['a high surrogate at the end', 'x\uD83D'],
    ['two high surrogates', '\uD83D\uD83D\uDE00'.slice(0, 2)],
  ])('refuses %s', (_label, value) => {
    expect(isStorableText(value)).toBe(false);
    expect(text().safeParse(value).success).toBe(false);
  });

  it('accepts well-formed text, emoji and accents included', () => {
    for (const value of ['', 'plain', 'Zoë 😀 naïve', '\t\n', '\uD83D\uDE00'])
      expect(text().safeParse(value).success).toBe(true);
  });

  it('refuses NUL or surrogates in every free-text field with the field path', () => {
    expect(
      paths(CreateEncounterSchema.safeParse({ ...encounter, clinicalNote: 'knee\u0000pain' })),
    ).toEqual(['clinicalNote']);
    expect(
      paths(
        CreateEncounterSchema.safeParse({
          ...encounter,
          patient: { ...encounter.patient, name: 'Jo\uD800' },
        }),
      ),
    ).toEqual(['patient.name']);
    expect(
      paths(
        CreateEncounterSchema.safeParse({
          ...encounter,
          patient: { ...encounter.patient, mrn: 'M\u0000' },
        }),
      ),
    ).toEqual(['patient.mrn']);
    const command = { encounterId: crypto.randomUUID(), baseVersion: 1, opId: crypto.randomUUID() };
    expect(paths(CommentAddCommandSchema.safeParse({ ...command, body: 'hi \uDC00' }))).toEqual([
      'body',
    ]);
    expect(
      paths(
        ReviewRejectCommandSchema.safeParse({
          ...command,
          lineId: crypto.randomUUID(),
          category: 'other',
          comment: 'no\u0000',
        }),
      ),
    ).toEqual(['comment']);
    const line = {
      code: '99213',
      rationale: 'r\uD800',
      evidence: { start: 0, end: 3, quote: 'q\u0000' },
    };
    expect(paths(CreateEncounterSchema.safeParse({ ...encounter, lines: [line] })).sort()).toEqual([
      'lines.0.evidence.quote',
      'lines.0.rationale',
    ]);
  });
});

describe('IsoDateSchema', () => {
  it.each(['0000-01-01', '1899-12-31', '2101-01-01', '2026-13-45', '2026-02-30', '2026-2-3', ''])(
    'refuses %s',
    (value) => {
      expect(IsoDateSchema.safeParse(value).success).toBe(false);
    },
  );
  it.each(['1900-01-01', '2024-02-29', '2100-12-31'])('accepts %s', (value) => {
    expect(IsoDateSchema.safeParse(value).success).toBe(true);
  });
  it('guards the date of birth and the date of service', () => {
    expect(
      paths(
        CreateEncounterSchema.safeParse({
          ...encounter,
          patient: { ...encounter.patient, dateOfBirth: '0000-01-01' },
        }),
      ),
    ).toEqual(['patient.dateOfBirth']);
    expect(
      paths(CreateEncounterSchema.safeParse({ ...encounter, dateOfService: '2200-01-01' })),
    ).toEqual(['dateOfService']);
  });
});

describe('integers', () => {
  it('stay within a Postgres integer', () => {
    expect(pgInt().safeParse(PG_INT_MAX).success).toBe(true);
    expect(pgInt().safeParse(PG_INT_MAX + 1).success).toBe(false);
    expect(pgInt().safeParse(-1).success).toBe(false);
    expect(pgInt().safeParse(1e300).success).toBe(false);
    expect(
      paths(
        CatchUpRequestSchema.safeParse({ encounterId: crypto.randomUUID(), afterSeq: 2 ** 31 }),
      ),
    ).toEqual(['afterSeq']);
  });
  it('bigserial ids are digits within a bigint', () => {
    expect(BigIdSchema.safeParse('42').success).toBe(true);
    expect(BigIdSchema.safeParse('9223372036854775807').success).toBe(true);
    for (const bad of ['99999999999999999999', '9223372036854775808', '0', '-1', '1e3', 'abc', ''])
      expect(BigIdSchema.safeParse(bad).success).toBe(false);
  });
});

describe('IfMatchSchema', () => {
  it.each([
    ['"12"', 12],
    ['12', 12],
    ['W/"0"', 0],
  ])('reads %s as version %d', (header, version) => {
    expect(IfMatchSchema.parse(header)).toBe(version);
  });
  it.each(['', '""', ' ', '*', '"-1"', '"1.5"', '"abc"', '"99999999999"', '"12', '"2147483648"'])(
    'refuses %j',
    (header) => {
      expect(IfMatchSchema.safeParse(header).success).toBe(false);
    },
  );
});

import { NewPasswordSchema, NewPersonSchema, SetPasswordRequestSchema } from './people.schema.js';

describe('people schemas', () => {
  it('normalises a new person and names every bad field', () => {
    expect(
      NewPersonSchema.parse({
        name: '  Ivy Invited ',
        email: ' Ivy@Clinic.EXAMPLE ',
        role: 'coder',
      }),
    ).toEqual({ name: 'Ivy Invited', email: 'ivy@clinic.example', role: 'coder' });
    const bad = NewPersonSchema.safeParse({ name: ' ', email: 'nope', role: 'owner', extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual([
      'email',
      'name',
      'role',
      'unrecognized_keys',
    ]);
  });

  it('asks for 12 characters that are not all spaces, and storable text', () => {
    expect(NewPasswordSchema.safeParse('eleven char').success).toBe(false);
    expect(NewPasswordSchema.safeParse(`${' '.repeat(11)}x`).success).toBe(false);
    expect(NewPasswordSchema.safeParse('twelve chars').success).toBe(true);
    expect(NewPasswordSchema.safeParse('twelve chars\u0000').success).toBe(false);
  });

  it('takes only base64url tokens of exactly a link’s length', () => {
    const password = 'a long enough passphrase';
    expect(SetPasswordRequestSchema.safeParse({ token: 'A'.repeat(43), password }).success).toBe(
      true,
    );
    for (const token of ['short', `${'A'.repeat(42)}/`, 'A'.repeat(44)])
      expect(SetPasswordRequestSchema.safeParse({ token, password }).success).toBe(false);
  });
});

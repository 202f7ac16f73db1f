import { PasswordTokenSchema } from '@countersign/shared';
import { newPasswordToken, passwordTokenHash } from './password-token.js';

describe(newPasswordToken.name, () => {
  it('makes tokens the link schema takes, each new, stored as a hash that is not the token', () => {
    const tokens = Array.from({ length: 50 }, () => newPasswordToken());
    for (const token of tokens) expect(PasswordTokenSchema.safeParse(token).success).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
    const [token] = tokens;
    expect(passwordTokenHash(token!)).toMatch(/^[0-9a-f]{64}$/);
    expect(passwordTokenHash(token!)).toBe(passwordTokenHash(token!));
    expect(passwordTokenHash(token!)).not.toContain(token!);
  });
});

import { createHash, randomBytes } from 'node:crypto';

/** A new set-password token: 32 random bytes, base64url (PASSWORD_TOKEN_LENGTH, 43 characters). Shown once, never stored. */
export function newPasswordToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored and looked up: sha256 of the token. The token has 256 bits of entropy, so a
 * fast hash is enough (nothing to guess from it); a stolen table opens no link.
 */
export function passwordTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

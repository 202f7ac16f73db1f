import { describe, expect, it } from '@jest/globals';
import { isNpi } from './npi.js';

describe('isNpi', () => {
  it('accepts NPIs whose check digit is right', () => {
    expect(isNpi('1234567893')).toBe(true);
    expect(isNpi('1748203654')).toBe(true);
  });

  it('refuses a wrong check digit, other lengths and non-digits', () => {
    expect(isNpi('1234567890')).toBe(false);
    expect(isNpi('123456789')).toBe(false);
    expect(isNpi('12345678930')).toBe(false);
    expect(isNpi('12345678a3')).toBe(false);
  });
});

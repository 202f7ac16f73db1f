import { delaySeconds } from './login-brake.js';

describe(delaySeconds.name, () => {
  it('grows from one second, doubling, and never passes fifteen minutes', () => {
    expect([1, 2, 3, 4, 5].map(delaySeconds)).toEqual([1, 2, 4, 8, 16]);
    expect(delaySeconds(11)).toBe(900);
    expect(delaySeconds(1000)).toBe(900);
  });
});

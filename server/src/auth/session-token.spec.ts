import { signSessionToken, verifySessionToken } from './session-token.js';

const secret = 'a-test-secret-that-is-long-enough-for-hmac';
const claims = { sid: 'session-1', sub: 'user-1', org: 'org-1', iat: 1000, exp: 2000 };

describe('session token', () => {
  it('verifies a token it signed until it expires', () => {
    const token = signSessionToken(claims, secret);
    expect(verifySessionToken(token, secret, 1500)).toEqual(claims);
    expect(verifySessionToken(token, secret, 2000)).toBeNull();
  });

  it('refuses a token signed with another secret or with changed claims', () => {
    const token = signSessionToken(claims, secret);
    expect(verifySessionToken(token, `${secret}-other`, 1500)).toBeNull();
    const [, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...claims, org: 'org-2' })).toString('base64url')}.${mac}`;
    expect(verifySessionToken(forged, secret, 1500)).toBeNull();
  });

  it('refuses a token without a session id (issued before sessions were revocable)', () => {
    const { sid: _sid, ...old } = claims;
    expect(verifySessionToken(signSessionToken(old as never, secret), secret, 1500)).toBeNull();
  });

  it.each([undefined, '', 'abc', 'a.b.c', '.'])('refuses malformed token %p', (token) => {
    expect(verifySessionToken(token, secret, 1500)).toBeNull();
  });
});

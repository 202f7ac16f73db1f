import type { RunningServer } from '../../src/bootstrap.js';
import {
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

/** Needs Redis: TEST_REDIS_URL, else REDIS_URL, else the default local port. */
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * REST is limited per signed-in user across instances (the count lives in Redis) and per source
 * address without a session: past the limit a request is answered 429 `rate_limited` with
 * Retry-After, and nobody else is slowed by one person's burst.
 */
describe('REST rate limits', () => {
  const PER_USER = 20;
  let first: RunningServer;
  let second: RunningServer;
  let org: TestOrganization;

  beforeAll(async () => {
    first = await startTestApp({ REDIS_URL: redisUrl, REST_REQUESTS_PER_MINUTE: String(PER_USER) });
    second = await startTestApp({
      REDIS_URL: redisUrl,
      REST_REQUESTS_PER_MINUTE: String(PER_USER),
    });
    org = await createOrganization(first.dataSource, 'Busy Clinic');
  });
  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });

  it('counts one user’s requests over both instances and refuses the rest with 429 and Retry-After; another user is served', async () => {
    const cookie = await login(first.url, org.users.coder);
    const statuses: number[] = [];
    for (let i = 0; i < PER_USER + 10; i++) {
      const response = await fetch(`${(i % 2 ? second : first).url}/api/encounters`, {
        headers: { cookie },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    // Half the requests went to each instance: neither alone saw more than the limit.
    expect(statuses.slice(0, PER_USER - 2)).toEqual(Array(PER_USER - 2).fill(200));
    expect(statuses.slice(PER_USER)).toEqual(Array(10).fill(429));
    expect(new Set(statuses)).toEqual(new Set([200, 429]));

    const refused = await fetch(`${second.url}/api/encounters`, { headers: { cookie } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({
      code: 'rate_limited',
      details: { retryAfter: expect.any(Number) },
    });

    const other = await login(first.url, org.users.reviewer);
    expect(
      (await fetch(`${first.url}/api/encounters`, { headers: { cookie: other } })).status,
    ).toBe(200);
  });

  it('limits requests without a session per source address', async () => {
    // Without Redis the count is this instance's own, so earlier files' requests do not count.
    const single = await startTestApp({ REST_ANONYMOUS_REQUESTS_PER_MINUTE: '10' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 15; i++) {
        const response = await fetch(`${single.url}/api/health`);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    } finally {
      await single.stop();
    }
  });
});

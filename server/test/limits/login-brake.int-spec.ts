import { randomBytes } from 'node:crypto';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  createOrganization,
  startTestApp,
  type TestOrganization,
  type TestUser,
} from '../support/test-app.js';

const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh documentation address per run: the counts live in Redis for an hour and must not carry over. */
const run = randomBytes(4).toString('hex');
const address = (label: number) =>
  `2001:db8:${run.slice(0, 4)}:${run.slice(4)}::${label.toString(16)}`;

interface Answer {
  status: number;
  code: string | null;
  retryAfter: number | null;
}

describe('the login brake', () => {
  let server: RunningServer;
  let org: TestOrganization;

  beforeAll(async () => {
    // Counted in Redis, as with several instances; three free failures per account and address.
    server = await startTestApp({
      REDIS_URL: redisUrl,
      LOGIN_FREE_FAILURES: '3',
      REST_ANONYMOUS_REQUESTS_PER_MINUTE: '1000',
    });
    org = await createOrganization(server.dataSource, 'Brake Clinic');
  });
  afterAll(() => server.stop());

  /** A sign-in from `address` (the server trusts X-Forwarded-For from loopback, as behind a local proxy). */
  async function signIn(email: string, password: string, from: string): Promise<Answer> {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as { code?: string };
    const retryAfter = response.headers.get('retry-after');
    return {
      status: response.status,
      code: body.code ?? null,
      retryAfter: retryAfter === null ? null : Number(retryAfter),
    };
  }

  /** Waits the time the server asked for (what a person or the client does), then a little. */
  const wait = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000 + 100));

  it('slows wrong passwords down with a growing delay, and the right password works after the delay', async () => {
    const user: TestUser = org.users.coder;
    const attacker = address(1);
    for (let i = 0; i < 3; i++)
      expect((await signIn(user.email, `guess-${i}`, attacker)).status).toBe(401);
    // The fourth failure is past the allowance: the next try waits one second.
    expect((await signIn(user.email, 'guess-3', attacker)).status).toBe(401);
    const braked = await signIn(user.email, user.password, attacker);
    expect(braked).toEqual({ status: 429, code: 'rate_limited', retryAfter: 1 });
    await wait(braked.retryAfter!);
    // Another failure doubles the delay.
    expect((await signIn(user.email, 'guess-4', attacker)).status).toBe(401);
    const longer = await signIn(user.email, 'guess-5', attacker);
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBe(2);

    // Meanwhile the real user, from their own address, is not held at all.
    expect((await signIn(user.email, user.password, address(2))).status).toBe(200);

    // And from the braked address, the right password works once the delay has passed.
    await wait(longer.retryAfter!);
    expect((await signIn(user.email, user.password, attacker)).status).toBe(200);
    // Success clears that account's count from that address: the next mistake is free again.
    expect((await signIn(user.email, 'typo', attacker)).status).toBe(401);
    expect((await signIn(user.email, user.password, attacker)).status).toBe(200);
  });

  it('brakes spraying one password across many accounts from one address, not other addresses', async () => {
    const sprayer = address(3);
    const many = await Promise.all(
      [1, 2, 3, 4].map((i) => createOrganization(server.dataSource, `Spray Clinic ${i}`)),
    );
    const targets = many.flatMap((o) => Object.values(o.users)); // 16 accounts
    // One wrong password per account: no account passes its allowance; the address passes its own (3 x 4 = 12).
    const answers: Answer[] = [];
    for (const target of targets) answers.push(await signIn(target.email, 'Spring2026!', sprayer));
    const firstBraked = answers.findIndex((a) => a.status === 429);
    expect(answers.slice(0, 13).every((a) => a.status === 401)).toBe(true);
    expect(firstBraked).toBe(13);
    expect(answers[firstBraked]).toMatchObject({ code: 'rate_limited' });
    // The braked address cannot even use a right password until the wait is over.
    expect((await signIn(targets[0]!.email, targets[0]!.password, sprayer)).status).toBe(429);
    // Everyone else signs in as usual.
    expect((await signIn(targets[0]!.email, targets[0]!.password, address(4))).status).toBe(200);
  });

  it('keeps its counts outside the process: a second instance sees the brake', async () => {
    const user = org.users.reviewer;
    const from = address(5);
    for (let i = 0; i < 4; i++)
      expect((await signIn(user.email, `guess-${i}`, from)).status).toBe(401);
    const other = await startTestApp({ REDIS_URL: redisUrl, LOGIN_FREE_FAILURES: '3' });
    try {
      const response = await fetch(`${other.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(response.status).toBe(429);
    } finally {
      await other.stop();
    }
  });
});

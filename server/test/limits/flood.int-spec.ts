import type { RunningServer } from '../../src/bootstrap.js';
import { flood, FLOOD_LIMITS } from '../../src/testing/load-scenarios.js';
import { api, startTestApp } from '../support/test-app.js';

const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('one socket flooding commands', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // The default limits, counted in Redis as in production.
    server = await startTestApp({ REDIS_URL: redisUrl, ...FLOOD_LIMITS });
  });
  afterAll(() => server.stop());

  // How fast the peers stay and how far the heap grows is measured by `npm run bench:limits`.
  it('is refused rate_limited, then disconnected, while another user’s edits and REST all go through', async () => {
    const outcome = await flood(server);

    const refused = outcome.answers.get('rate_limited') ?? 0;
    expect(refused).toBeGreaterThan(0);
    expect(outcome.retryAfterSeen).toBe(refused);
    expect(outcome.disconnects).toBeGreaterThan(0);
    expect(outcome.answers.get('internal') ?? 0).toBe(0);
    // What the flooder got through is bounded by the per-user rate (600 a minute) however many sockets it opens.
    expect(outcome.tookEffect).toBeGreaterThan(0);
    expect(outcome.tookEffect).toBeLessThanOrEqual(600);
    // Every peer edit reached the room mate (flood() waits for each) and every read succeeded.
    expect(outcome.during.peerMs.length).toBeGreaterThan(2);
    expect(outcome.during.rest.length).toBeGreaterThan(2);
    expect(outcome.during.rest.filter((r) => r.status !== 200)).toEqual([]);
    // After the flood the server answers at once.
    expect((await api(server.url, null, 'GET', '/api/health')).status).toBe(200);
  });
});

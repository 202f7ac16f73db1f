import { applyEncounterEvent, type Encounter, type PresenceMember } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  eventually,
  login,
  meta,
  startTestApp,
  type LiveClient,
} from '../support/test-app.js';

/** Needs Redis: TEST_REDIS_URL, else REDIS_URL, else the default local port. */
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two server instances sharing Postgres and Redis', () => {
  let first: RunningServer;
  let second: RunningServer;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    first = await startTestApp({ REDIS_URL: redisUrl });
    second = await startTestApp({ REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([first.stop(), second.stop()]);
  });

  it('delivers an edit made on one instance to a room member connected to the other, with presence across both', async () => {
    const org = await createOrganization(first.dataSource, 'Scale Clinic');
    const coderCookie = await login(first.url, org.users.coder);
    const reviewerCookie = await login(second.url, org.users.reviewer);
    const encounter = (
      await api<Encounter>(
        first.url,
        coderCookie,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users.coder.id }),
      )
    ).body;

    const onFirst = await connectSocket(first.url, coderCookie);
    const onSecond = await connectSocket(second.url, reviewerCookie);
    sockets.push(onFirst, onSecond);
    const joinSecond = await emitAck(onSecond, 'room:join', { encounterId: encounter.id });
    if (!joinSecond.ok) throw new Error(joinSecond.error.message);
    let state = joinSecond.data.encounter;
    let presence: PresenceMember[] = joinSecond.data.presence;
    onSecond.on('encounter:event', (event) => (state = applyEncounterEvent(state, event)));
    onSecond.on('presence:changed', ({ members }) => (presence = members));

    const joinFirst = await emitAck(onFirst, 'room:join', { encounterId: encounter.id });
    expect(joinFirst.ok).toBe(true);
    await eventually(() => presence.length === 2, 5000, 'presence to span both instances');

    await emitAck(onFirst, 'line:add', {
      encounterId: encounter.id,
      ...meta(1),
      line: { code: '29881', modifiers: ['RT'], pointers: ['A'] },
    });
    await eventually(() => state.version === 2, 5000, 'the edit to cross instances');
    expect(state.lines.map((l) => l.code)).toEqual(['29881']);
  });
});

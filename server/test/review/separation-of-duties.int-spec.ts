import { randomUUID } from 'node:crypto';
import type { Ack, CommandResult, Encounter, Role } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { hashPassword } from '../../src/auth/password.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  ifMatch,
  login,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

type Person = { id: string; cookie: string; socket: LiveClient };

/**
 * Separation of duties against the real server: who wrote a chart's lines comes from its event
 * log, so reassigning the chart does not let the author review, approve or sign off that work.
 */
describe('separation of duties', () => {
  let server: RunningServer;
  let org: TestOrganization;
  const people: Record<string, Person> = {};

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Duties Clinic');
    const hash = await hashPassword('second person password');
    const logins: Record<string, { id: string; email: string; password: string }> = {
      ...org.users,
    };
    for (const [key, role] of [
      ['second reviewer', 'reviewer'],
      ['second supervisor', 'supervisor'],
    ] as Array<[string, Role]>) {
      const email = `${role}-${randomUUID().slice(0, 6)}@duties.example`;
      const [row] = await server.dataSource.query(
        'INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [org.id, email, key, role, hash],
      );
      logins[key] = { id: row.id, email, password: 'second person password' };
    }
    for (const [key, user] of Object.entries(logins)) {
      const cookie = await login(server.url, user);
      people[key] = { id: user.id, cookie, socket: await connectSocket(server.url, cookie) };
    }
  });
  afterAll(async () => {
    Object.values(people).forEach((p) => p.socket.close());
    await server.stop();
  });

  const person = (key: string) => people[key]!;

  async function version(encounterId: string): Promise<number> {
    const [row] = await server.dataSource.query('SELECT version FROM encounters WHERE id = $1', [
      encounterId,
    ]);
    return row.version;
  }

  /** A socket command by `who`, made against the chart's current version. */
  async function command(
    who: string,
    event: string,
    encounterId: string,
    payload: Record<string, unknown> = {},
  ): Promise<Ack<CommandResult>> {
    const body = {
      encounterId,
      baseVersion: await version(encounterId),
      opId: randomUUID(),
      ...payload,
    };
    return emitAck(person(who).socket, event as 'line:add', body as never);
  }

  async function succeeds(
    who: string,
    event: string,
    encounterId: string,
    payload: Record<string, unknown> = {},
  ): Promise<void> {
    const ack = await command(who, event, encounterId, payload);
    if (!ack.ok) throw new Error(`${who} ${event}: ${ack.error.code}: ${ack.error.message}`);
  }

  async function assign(
    encounterId: string,
    patch: { coderId?: string; reviewerId?: string },
  ): Promise<Encounter> {
    const current = await api<Encounter>(
      server.url,
      person('supervisor').cookie,
      'GET',
      `/api/encounters/${encounterId}`,
    );
    const response = await api<Encounter>(
      server.url,
      person('supervisor').cookie,
      'PATCH',
      `/api/encounters/${encounterId}`,
      patch,
      ifMatch(current.body.version),
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  /** A supervisor creates a chart coded by `coder`, who adds a line and submits it. */
  async function submittedChartCodedBy(coder: string): Promise<Encounter> {
    const created = await api<Encounter>(
      server.url,
      person('supervisor').cookie,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: person(coder).id }),
    );
    expect(created.status).toBe(201);
    await succeeds(coder, 'line:add', created.body.id, {
      line: { code: '20610', modifiers: ['RT'], pointers: ['A'] },
    });
    await succeeds(coder, 'encounter:transition', created.body.id, { transition: 'submit' });
    return created.body;
  }

  it('keeps the author of the lines from reviewing them after the coder is reassigned', async () => {
    // A reviewer was assigned as the chart's coder and wrote its line.
    const chart = await submittedChartCodedBy('reviewer');
    const reassigned = await assign(chart.id, { coderId: person('coder').id });
    expect(reassigned).toMatchObject({
      coder: { id: person('coder').id },
      codedBy: [person('reviewer').id],
    });

    expect(
      await command('reviewer', 'encounter:transition', chart.id, { transition: 'review.start' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You coded this chart, so another reviewer must start the review',
      },
    });
    // Even named as its reviewer by a supervisor, the author cannot start, accept or approve.
    await assign(chart.id, { reviewerId: person('reviewer').id });
    expect(
      await command('reviewer', 'encounter:transition', chart.id, { transition: 'review.start' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await assign(chart.id, { reviewerId: person('second reviewer').id });
    await succeeds('second reviewer', 'encounter:transition', chart.id, {
      transition: 'review.start',
    });
    await assign(chart.id, { reviewerId: person('reviewer').id });
    const [line] = (
      await api<Encounter>(
        server.url,
        person('reviewer').cookie,
        'GET',
        `/api/encounters/${chart.id}`,
      )
    ).body.lines;
    expect(await command('reviewer', 'review:accept', chart.id, { lineId: line!.id })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You coded this chart, so another reviewer must accept a line',
      },
    });
    expect(
      await command('reviewer', 'encounter:transition', chart.id, { transition: 'approve' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const [{ status }] = await server.dataSource.query(
      'SELECT status FROM encounters WHERE id = $1',
      [chart.id],
    );
    expect(status).toBe('in_review');
  });

  it('keeps a supervisor who coded a chart from signing it off, even after reassigning it', async () => {
    const chart = await submittedChartCodedBy('supervisor');
    await succeeds('reviewer', 'encounter:transition', chart.id, { transition: 'review.start' });
    const [line] = (
      await api<Encounter>(
        server.url,
        person('reviewer').cookie,
        'GET',
        `/api/encounters/${chart.id}`,
      )
    ).body.lines;
    await succeeds('reviewer', 'review:accept', chart.id, { lineId: line!.id });
    await succeeds('reviewer', 'encounter:transition', chart.id, { transition: 'approve' });

    const ownSignOff = {
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You coded this chart, so another supervisor must sign the chart off',
      },
    };
    expect(
      await command('supervisor', 'encounter:transition', chart.id, { transition: 'sign-off' }),
    ).toEqual(ownSignOff);
    await assign(chart.id, { coderId: person('coder').id });
    expect(
      await command('supervisor', 'encounter:transition', chart.id, { transition: 'sign-off' }),
    ).toEqual(ownSignOff);

    await succeeds('second supervisor', 'encounter:transition', chart.id, {
      transition: 'sign-off',
    });
    const [{ status }] = await server.dataSource.query(
      'SELECT status FROM encounters WHERE id = $1',
      [chart.id],
    );
    expect(status).toBe('signed_off');
  });
});

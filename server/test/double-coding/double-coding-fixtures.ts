import { randomUUID } from 'node:crypto';
import type { DoubleCoding, Encounter, Role } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  ifMatch,
  login,
  meta,
  type LiveClient,
  type TestOrganization,
  type TestUser,
} from '../support/test-app.js';

/** A clinic with two coders (A is the organization's coder, B a second one) and the other roles. */
export interface DoubleCodingClinic {
  org: TestOrganization;
  coderB: TestUser;
  cookies: Record<Exclude<Role, 'operator'> | 'coderB', string>;
}

export async function doubleCodingClinic(server: RunningServer): Promise<DoubleCodingClinic> {
  const org = await createOrganization(server.dataSource, 'Double Clinic');
  const a = org.users.coder;
  const email = `b.${a.email}`;
  const [row] = await server.dataSource.query<[{ id: string }]>(
    `INSERT INTO users (organization_id, email, name, role, password_hash)
     SELECT organization_id, $2, $3, 'coder', password_hash FROM users WHERE id = $1 RETURNING id`,
    [a.id, email, `Second ${a.name}`],
  );
  const coderB: TestUser = { ...a, id: row.id, email, name: `Second ${a.name}` };
  const cookies = {} as DoubleCodingClinic['cookies'];
  for (const role of ['coder', 'reviewer', 'supervisor', 'admin'] as const)
    cookies[role] = await login(server.url, org.users[role]);
  cookies.coderB = await login(server.url, coderB);
  return { org, coderB, cookies };
}

/** A new draft chart (no lines, unassigned) made by the supervisor. */
export async function draftChart(
  server: RunningServer,
  clinic: DoubleCodingClinic,
  coderId: string | null = null,
): Promise<Encounter> {
  const created = await api<Encounter>(
    server.url,
    clinic.cookies.supervisor,
    'POST',
    '/api/encounters',
    encounterBody({ coderId }),
  );
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
  return created.body;
}

/** A draft chart sent to coder A (slot 1) and coder B (slot 2). */
export async function sentChart(
  server: RunningServer,
  clinic: DoubleCodingClinic,
): Promise<{ chart: Encounter; doubleCoding: DoubleCoding; copyA: string; copyB: string }> {
  const chart = await draftChart(server, clinic);
  const sent = await api<DoubleCoding>(
    server.url,
    clinic.cookies.supervisor,
    'POST',
    `/api/encounters/${chart.id}/double-coding`,
    { coderIds: [clinic.org.users.coder.id, clinic.coderB.id] },
  );
  if (sent.status !== 201) throw new Error(`send: ${sent.status} ${JSON.stringify(sent.body)}`);
  const copy = (slot: 1 | 2) => sent.body.copies.find((c) => c.slot === slot)!.encounterId;
  return { chart, doubleCoding: sent.body, copyA: copy(1), copyB: copy(2) };
}

export interface LineFields {
  code: string;
  modifiers?: string[];
  units?: number;
  pointers?: string[];
  rationale?: string;
}

/** Adds a line to a chart over REST as `cookie`; answers the chart after it. */
export async function addLine(
  server: RunningServer,
  cookie: string,
  encounterId: string,
  line: LineFields,
): Promise<Encounter> {
  const current = await api<Encounter>(server.url, cookie, 'GET', `/api/encounters/${encounterId}`);
  if (current.status !== 200) throw new Error(`read: ${current.status}`);
  const added = await api<Encounter>(
    server.url,
    cookie,
    'POST',
    `/api/encounters/${encounterId}/lines`,
    line,
    ifMatch(current.body.version),
  );
  if (added.status !== 201)
    throw new Error(`add line: ${added.status} ${JSON.stringify(added.body)}`);
  return added.body;
}

/** Submits a chart through the room's ordinary workflow command. */
export async function submit(server: RunningServer, cookie: string, encounterId: string) {
  const socket = await connectSocket(server.url, cookie);
  try {
    const current = await api<Encounter>(
      server.url,
      cookie,
      'GET',
      `/api/encounters/${encounterId}`,
    );
    return await emitAck(socket, 'encounter:transition', {
      encounterId,
      transition: 'submit',
      reason: '',
      ...meta(current.body.version),
    });
  } finally {
    socket.close();
  }
}

/** An open socket, closed by the caller's afterEach. */
export async function socketFor(
  server: RunningServer,
  cookie: string,
  sockets: LiveClient[],
): Promise<LiveClient> {
  const socket = await connectSocket(server.url, cookie);
  sockets.push(socket);
  return socket;
}

export const uuid = () => randomUUID();

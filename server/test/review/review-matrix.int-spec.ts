import { randomUUID } from 'node:crypto';
import {
  ENCOUNTER_ACTIONS,
  ENCOUNTER_STATUSES,
  refusal,
  type EncounterAction,
  type EncounterStatus,
  type Role,
} from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { hashPassword } from '../../src/auth/password.js';
import { encounterInState, type ReviewFixture } from '../support/review-fixtures.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  ifMatch,
  login,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

type Attempt = { ok: true } | { ok: false; code: string };

/**
 * The whole role x state x action matrix against the real server: every action, in every
 * state, by each kind of person, must be allowed or refused exactly as the shared policy says
 * (whose table shared/src/review/review-policy.spec.ts pins down).
 */
describe('review permissions: role x state x action', () => {
  let server: RunningServer;
  let org: TestOrganization;
  const actors: Record<string, { id: string; role: Role; cookie: string; socket: LiveClient }> = {};

  beforeAll(async () => {
    server = await startServer();
    org = await createOrganization(server.dataSource, 'Matrix Clinic');
    const hash = await hashPassword('second person password');
    const extra: Record<string, { id: string; email: string; role: Role }> = {};
    for (const role of ['coder', 'reviewer'] as const) {
      const email = `other-${role}-${randomUUID().slice(0, 6)}@matrix.example`;
      const [row] = await server.dataSource.query(
        'INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [org.id, email, `Other ${role}`, role, hash],
      );
      extra[role] = { id: row.id, email, role };
    }
    const people = {
      'assigned coder': { ...org.users.coder },
      'other coder': { ...extra.coder!, password: 'second person password' },
      'assigned reviewer': { ...org.users.reviewer },
      'other reviewer': { ...extra.reviewer!, password: 'second person password' },
      supervisor: { ...org.users.supervisor },
      admin: { ...org.users.admin },
    };
    for (const [who, person] of Object.entries(people)) {
      const cookie = await login(server.url, person);
      actors[who] = {
        id: person.id,
        role: person.role,
        cookie,
        socket: await connectSocket(server.url, cookie),
      };
    }
  });
  afterAll(async () => {
    Object.values(actors).forEach((a) => a.socket.close());
    await server.stop();
  });

  async function startServer(): Promise<RunningServer> {
    const { startTestApp } = await import('../support/test-app.js');
    return startTestApp();
  }

  async function attempt(action: EncounterAction, who: string, f: ReviewFixture): Promise<Attempt> {
    const actor = actors[who]!;
    const base = { encounterId: f.encounterId, baseVersion: f.version, opId: randomUUID() };
    const viaRest = async (body: unknown): Promise<Attempt> => {
      const response = await api<{ code: string }>(
        server.url,
        actor.cookie,
        'PATCH',
        `/api/encounters/${f.encounterId}`,
        body,
        ifMatch(f.version),
      );
      return response.status === 200 ? { ok: true } : { ok: false, code: response.body.code };
    };
    const viaSocket = async (
      ack: Promise<{ ok: boolean; error?: { code: string } }>,
    ): Promise<Attempt> => {
      const answer = await ack;
      return answer.ok ? { ok: true } : { ok: false, code: answer.error!.code };
    };
    const s = actor.socket;
    switch (action) {
      case 'encounter.edit':
        return viaRest({ clinicalNote: 'Amended note' });
      case 'encounter.assign':
        return viaRest({ reviewerId: org.users.reviewer.id });
      case 'encounter.claim': {
        const response = await api<{ code: string }>(
          server.url,
          actor.cookie,
          'POST',
          `/api/encounters/${f.encounterId}/claim`,
        );
        return response.status === 200 ? { ok: true } : { ok: false, code: response.body.code };
      }
      case 'line.add':
        return viaSocket(
          emitAck(s, 'line:add', { ...base, line: { code: '99214', pointers: ['A'] } }),
        );
      case 'line.edit':
        return viaSocket(
          emitAck(s, 'line:update', { ...base, lineId: f.lineB, patch: { units: 2 } }),
        );
      case 'line.remove':
        return viaSocket(emitAck(s, 'line:remove', { ...base, lineId: f.lineB }));
      case 'submit':
      case 'review.start':
      case 'approve':
      case 'sign-off':
        return viaSocket(emitAck(s, 'encounter:transition', { ...base, transition: action }));
      case 'request-changes':
      case 'reopen':
        return viaSocket(
          emitAck(s, 'encounter:transition', {
            ...base,
            transition: action,
            reason: 'Please look again',
          }),
        );
      case 'review.accept':
        return viaSocket(emitAck(s, 'review:accept', { ...base, lineId: f.lineB }));
      case 'review.reject':
        return viaSocket(
          emitAck(s, 'review:reject', {
            ...base,
            lineId: f.lineB,
            category: 'unsupported',
            comment: 'Not documented',
          }),
        );
      case 'review.suggest':
        return viaSocket(
          emitAck(s, 'review:suggest', {
            ...base,
            lineId: f.lineB,
            patch: { modifiers: ['LT'] },
            category: 'wrong-modifier',
          }),
        );
      case 'review.add-missed':
        return viaSocket(
          emitAck(s, 'review:add-missed', {
            ...base,
            line: { code: '73562', modifiers: ['RT'], pointers: ['A'] },
          }),
        );
      case 'suggestion.withdraw':
        return viaSocket(
          emitAck(s, 'suggestion:withdraw', { ...base, suggestionId: f.suggestionId! }),
        );
      case 'suggestion.answer':
        return viaSocket(
          emitAck(s, 'suggestion:answer', {
            ...base,
            suggestionId: f.suggestionId!,
            answer: 'accept',
          }),
        );
      case 'suggestion.escalate':
        return viaSocket(
          emitAck(s, 'suggestion:escalate', { ...base, suggestionId: f.suggestionId! }),
        );
      case 'suggestion.decide':
        return viaSocket(
          emitAck(s, 'suggestion:decide', {
            ...base,
            suggestionId: f.suggestionId!,
            decision: 'uphold',
            reason: 'The note documents a separate service',
          }),
        );
      case 'comment':
        return viaSocket(
          emitAck(s, 'comment:add', { ...base, lineId: f.lineA, body: 'A question' }),
        );
      case 'thread.resolve':
        return viaSocket(
          emitAck(s, 'thread:resolve', { ...base, threadId: f.threadId, resolved: true }),
        );
      case 'finding.acknowledge':
        return viaSocket(
          emitAck(s, 'finding:acknowledge', {
            ...base,
            findingId: f.warningId,
            reason: 'Two visits were documented',
          }),
        );
    }
  }

  const SUGGESTION_FOR: Partial<Record<EncounterAction, 'disputed' | 'escalated'>> = {
    'suggestion.escalate': 'disputed',
    'suggestion.decide': 'escalated',
  };

  const WHO = [
    'assigned coder',
    'other coder',
    'assigned reviewer',
    'other reviewer',
    'supervisor',
    'admin',
  ];
  const cases = ENCOUNTER_ACTIONS.flatMap((action) =>
    ENCOUNTER_STATUSES.map((status) => [action, status] as const),
  );

  it.each(cases)('%s while %s', async (action: EncounterAction, status: EncounterStatus) => {
    const results: Record<string, Attempt> = {};
    const expected: Record<string, Attempt> = {};
    for (const who of WHO) {
      // Approval is possible only once every line is reviewed and every suggestion answered;
      // other actions need one open, or disputed (escalate) or escalated (decide).
      const fixture = await encounterInState(server.dataSource, org, status, {
        openSuggestion: action !== 'approve',
        suggestionStatus: SUGGESTION_FOR[action] ?? 'open',
      });
      const actor = actors[who]!;
      const refused = refusal(action, actor, {
        status,
        coder: { id: org.users.coder.id, name: '' },
        reviewer: { id: org.users.reviewer.id, name: '' },
        codedBy: [org.users.coder.id],
      });
      expected[who] = refused ? { ok: false, code: refused.code } : { ok: true };
      results[who] = await attempt(action, who, fixture);
    }
    expect(results).toEqual(expected);
  });
});

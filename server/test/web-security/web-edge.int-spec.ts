import type { Encounter } from '@countersign/shared';
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
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

type ErrorBody = {
  code: string;
  message: string;
  details?: { issues: Array<{ path: string; message: string }> };
};

const issuePaths = (body: ErrorBody) =>
  (body.details?.issues ?? []).map((issue) => issue.path).sort();

describe('the web edge', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let coder: string;
  let admin: string;
  let chart: Encounter;

  beforeAll(async () => {
    server = await startTestApp({ ALLOWED_ORIGINS: 'https://countersign.example.org' });
    org = await createOrganization(server.dataSource, 'Edge Clinic');
    coder = await login(server.url, org.users.coder);
    admin = await login(server.url, org.users.admin);
    chart = (
      await api<Encounter>(
        server.url,
        coder,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users.coder.id, lines: [{ code: '99213', pointers: ['A'] }] }),
      )
    ).body;
  });
  afterAll(() => server.stop());

  const current = async () =>
    (await api<Encounter>(server.url, coder, 'GET', `/api/encounters/${chart.id}`)).body;

  describe('inputs refused with their field paths, nothing changed', () => {
    it.each([
      ['a NUL byte in the note', { clinicalNote: 'knee\u0000pain' }, ['clinicalNote']],
      [
        'a lone surrogate in the patient name',
        { patient: { mrn: 'M-1', name: 'Jo\uD800', dateOfBirth: '1970-01-01' } },
        ['patient.name'],
      ],
      [
        'a date of birth of 0000-01-01',
        { patient: { mrn: 'M-1', name: 'Jo', dateOfBirth: '0000-01-01' } },
        ['patient.dateOfBirth'],
      ],
      ['a service date past 2100', { dateOfService: '2101-01-01' }, ['dateOfService']],
      [
        'a service date that is no calendar day',
        { dateOfService: '2026-13-45' },
        ['dateOfService'],
      ],
    ])('PATCH with %s', async (_label, body, paths) => {
      const response = await api<ErrorBody>(
        server.url,
        coder,
        'PATCH',
        `/api/encounters/${chart.id}`,
        body,
        ifMatch(chart.version),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(issuePaths(response.body)).toEqual(paths);
      expect(await current()).toEqual(chart);
    });

    it('refuses lone surrogates and NUL in a rationale, an evidence quote and a comment over the socket', async () => {
      const socket = await connectSocket(server.url, coder);
      try {
        const line = await emitAck(socket, 'line:add', {
          encounterId: chart.id,
          ...meta(chart.version),
          line: {
            code: '99213',
            pointers: ['A'],
            rationale: 'why\uDC00',
            evidence: { start: 0, end: 4, quote: 'kn\u0000e' },
          },
        });
        expect(line).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
        expect(line.ok ? [] : issuePaths(line.error as ErrorBody)).toEqual([
          'line.evidence.quote',
          'line.rationale',
        ]);
        const comment = await emitAck(socket, 'comment:add', {
          encounterId: chart.id,
          ...meta(chart.version),
          body: 'see \uD83D',
        });
        expect(comment.ok ? [] : issuePaths(comment.error as ErrorBody)).toEqual(['body']);
        const catchUp = await emitAck(socket, 'room:catch-up', {
          encounterId: chart.id,
          afterSeq: 2 ** 31,
        });
        expect(catchUp.ok ? [] : issuePaths(catchUp.error as ErrorBody)).toEqual(['afterSeq']);
      } finally {
        socket.close();
      }
      expect(await current()).toEqual(chart);
    });

    it('refuses integers beyond Postgres in queries and ids with 400, not 500', async () => {
      const events = await api<ErrorBody>(
        server.url,
        coder,
        'GET',
        `/api/encounters/${chart.id}/events?after=${2 ** 31}`,
      );
      expect(events.status).toBe(400);
      expect(issuePaths(events.body)).toEqual(['after']);
      const importId = await api<ErrorBody>(
        server.url,
        admin,
        'GET',
        '/api/catalog/imports/99999999999999999999',
      );
      expect(importId.status).toBe(400);
      const badImportDate = await fetch(
        `${server.url}/api/catalog/imports?fileName=codes.tsv&kind=hcpcs-tsv&effectiveDate=2026-13-45`,
        {
          method: 'POST',
          headers: { cookie: admin, 'content-type': 'application/octet-stream' },
          body: 'J1100\tDexamethasone\n',
        },
      );
      expect(badImportDate.status).toBe(400);
      expect(
        ((await badImportDate.json()) as ErrorBody).details?.issues.map((i) => i.path),
      ).toEqual(['effectiveDate']);
    });
  });

  describe('If-Match on REST writes', () => {
    it('answers 428 precondition_required without it, and changes nothing', async () => {
      const attempts = [
        api<ErrorBody>(server.url, coder, 'PATCH', `/api/encounters/${chart.id}`, {
          clinicalNote: 'overwrite',
        }),
        api<ErrorBody>(server.url, coder, 'POST', `/api/encounters/${chart.id}/lines`, {
          code: '99214',
          pointers: ['A'],
        }),
        api<ErrorBody>(
          server.url,
          coder,
          'PATCH',
          `/api/encounters/${chart.id}/lines/${chart.lines[0]!.id}`,
          { units: 2 },
        ),
        api<ErrorBody>(
          server.url,
          coder,
          'DELETE',
          `/api/encounters/${chart.id}/lines/${chart.lines[0]!.id}`,
        ),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(428);
        expect(response.body.code).toBe('precondition_required');
      }
      expect(await current()).toEqual(chart);
    });

    it.each(['', '""', '*', '"-1"', '"abc"', '"2147483648"'])(
      'refuses If-Match %j with 400 instead of reading it as a version',
      async (header) => {
        const response = await api<ErrorBody>(
          server.url,
          coder,
          'PATCH',
          `/api/encounters/${chart.id}`,
          { clinicalNote: 'overwrite' },
          { 'if-match': header },
        );
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          code: 'validation_failed',
          details: { issues: [{ path: 'headers.if-match' }] },
        });
        expect(await current()).toEqual(chart);
      },
    );

    it('takes a current version, and refuses the same version once the chart moved on', async () => {
      const first = await api<Encounter>(
        server.url,
        coder,
        'PATCH',
        `/api/encounters/${chart.id}`,
        { clinicalNote: 'first' },
        ifMatch(chart.version),
      );
      expect(first.status).toBe(200);
      const stale = await api<ErrorBody>(
        server.url,
        coder,
        'PATCH',
        `/api/encounters/${chart.id}`,
        { clinicalNote: 'second' },
        ifMatch(chart.version),
      );
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('conflict');
      expect((await current()).clinicalNote).toBe('first');
      chart = await current();
    });
  });

  describe('bodies', () => {
    it('answers 413 payload_too_large for a body over the limit', async () => {
      const response = await api<ErrorBody>(
        server.url,
        coder,
        'PATCH',
        `/api/encounters/${chart.id}`,
        { clinicalNote: 'x'.repeat(1_100_000) },
        ifMatch(chart.version),
      );
      expect(response).toEqual({
        status: 413,
        body: { code: 'payload_too_large', message: 'The body is larger than 1mb' },
      });
    });

    it.each([
      ['application/x-www-form-urlencoded', 'patient%5Bname%5D=Eve&dateOfService=2026-03-02'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      ],
      ['text/plain', '{"clinicalNote":"plain"}'],
    ])('refuses a %s write with 415 and creates nothing', async (type, body) => {
      const before = await server.dataSource.query('SELECT count(*)::int AS n FROM encounters');
      const response = await fetch(`${server.url}/api/encounters`, {
        method: 'POST',
        headers: { cookie: coder, 'content-type': type },
        body,
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as ErrorBody).code).toBe('unsupported_media_type');
      expect(await server.dataSource.query('SELECT count(*)::int AS n FROM encounters')).toEqual(
        before,
      );
    });

    it('answers malformed JSON with 400 validation_failed', async () => {
      const response = await fetch(`${server.url}/api/encounters`, {
        method: 'POST',
        headers: { cookie: coder, 'content-type': 'application/json' },
        body: '{"patient":',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe('validation_failed');
    });
  });

  describe('Origin allow-list', () => {
    it('refuses a REST write from a foreign origin with 403 origin_not_allowed', async () => {
      const response = await api<ErrorBody>(
        server.url,
        coder,
        'POST',
        '/api/encounters',
        encounterBody(),
        { origin: 'https://evil.example' },
      );
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('origin_not_allowed');
    });

    it('takes writes from the server’s own origin, a listed origin and clients that send none', async () => {
      const own = new URL(server.url).origin;
      for (const origin of [own, 'https://countersign.example.org', null]) {
        const response = await api(
          server.url,
          coder,
          'POST',
          '/api/encounters',
          encounterBody(),
          origin ? { origin } : {},
        );
        expect(response.status).toBe(201);
      }
    });

    it('leaves reads to CORS: a foreign page gets no CORS header, so it cannot read the answer', async () => {
      const response = await api(
        server.url,
        coder,
        'GET',
        `/api/encounters/${chart.id}`,
        undefined,
        { origin: 'https://evil.example' },
      );
      expect(response.status).toBe(200);
      expect(
        (
          await fetch(`${server.url}/api/encounters/${chart.id}`, {
            headers: { cookie: coder, origin: 'https://evil.example' },
          })
        ).headers.get('access-control-allow-origin'),
      ).toBeNull();
    });

    it('refuses the socket handshake from a foreign origin even with a valid cookie', async () => {
      const { io } = await import('socket.io-client');
      const attempt = (origin: string) =>
        new Promise<string>((resolve) => {
          const socket = io(server.url, {
            transports: ['websocket'],
            extraHeaders: { cookie: coder, origin },
            reconnection: false,
            forceNew: true,
          });
          socket.once('connect', () => {
            socket.close();
            resolve('connected');
          });
          socket.once('connect_error', (error) => {
            socket.close();
            resolve(`refused: ${error.message}`);
          });
        });
      expect(await attempt('https://evil.example')).toMatch(/^refused/);
      expect(await attempt(new URL(server.url).origin)).toBe('connected');
      expect(await attempt('https://countersign.example.org')).toBe('connected');
    });
  });

  describe('headers', () => {
    it('sends a CSP, no caching of API answers and the usual hardening headers', async () => {
      const response = await fetch(`${server.url}/api/encounters/${chart.id}`, {
        headers: { cookie: coder },
      });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('x-powered-by')).toBeNull();
      // Cookies are not secure in this test server (NODE_ENV=test), so no HSTS.
      expect(response.headers.get('strict-transport-security')).toBeNull();
      const error = await fetch(`${server.url}/api/encounters/not-a-uuid`, {
        headers: { cookie: coder },
      });
      expect(error.headers.get('cache-control')).toBe('no-store');
    });

    it('sends HSTS when cookies are secure', async () => {
      const secure = await startTestApp({ COOKIE_SECURE: 'true' });
      try {
        const response = await fetch(`${secure.url}/api/health`);
        expect(response.headers.get('strict-transport-security')).toBe(
          'max-age=31536000; includeSubDomains',
        );
      } finally {
        await secure.stop();
      }
    });
  });
});

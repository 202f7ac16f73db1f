import type { Encounter, IntakePreview, IntakeSummary } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { asOwner } from '../support/as-owner.js';
import { LogCapture } from '../support/log-capture.js';
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
} from '../support/test-app.js';

/**
 * Patient data never reaches a log. The server runs with the production JSON logger at its
 * most verbose level while it refuses the inputs that used to reach Postgres (a NUL in a note,
 * a date of birth of 0000-01-01, lone surrogates) and while a statement really fails in
 * Postgres with the patient's data as its parameters; every line it writes is searched for
 * the chart's note, patient name and MRN.
 */
describe('no patient data in the log', () => {
  const PATIENT = {
    name: 'Ottoline Brackenridge-Oyelaran',
    mrn: 'MRN-Z8Q2K7',
    dateOfBirth: '1959-11-04',
  };
  const NOTE = 'Vasquelline bursitis of the right elbow, aspirated, returns in ten days.';
  const capture = new LogCapture();
  let server: RunningServer;
  let cookie: string;
  let chart: Encounter;

  beforeAll(async () => {
    capture.start();
    server = await startTestApp({}, capture.logger);
    const org = await createOrganization(server.dataSource, 'Log Clinic');
    cookie = await login(server.url, org.users.coder);
    const created = await api<Encounter>(
      server.url,
      cookie,
      'POST',
      '/api/encounters',
      encounterBody({
        patient: PATIENT,
        clinicalNote: NOTE,
        coderId: org.users.coder.id,
        lines: [{ code: '99213', pointers: ['A'] }],
      }),
    );
    expect(created.status).toBe(201);
    chart = created.body;
  });

  afterAll(async () => {
    try {
      await asOwner((owner) =>
        owner.query('ALTER TABLE encounters DROP CONSTRAINT IF EXISTS log_test_refuses_marker'),
      );
    } finally {
      await server?.stop();
      capture.stop();
    }
  });

  it('refuses the inputs that used to fail in Postgres, with 400 and nothing logged of them', async () => {
    const attempts = [
      api(
        server.url,
        cookie,
        'POST',
        '/api/encounters',
        encounterBody({ patient: PATIENT, clinicalNote: `${NOTE}\u0000` }),
      ),
      api(
        server.url,
        cookie,
        'POST',
        '/api/encounters',
        encounterBody({ patient: { ...PATIENT, dateOfBirth: '0000-01-01' }, clinicalNote: NOTE }),
      ),
      api(
        server.url,
        cookie,
        'PATCH',
        `/api/encounters/${chart.id}`,
        { clinicalNote: `${NOTE}\uD800`, patient: { ...PATIENT, name: `${PATIENT.name}\u0000` } },
        ifMatch(chart.version),
      ),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(400);
    const socket = await connectSocket(server.url, cookie);
    try {
      const answer = await emitAck(socket, 'comment:add', {
        encounterId: chart.id,
        ...meta(chart.version),
        body: `${PATIENT.name} ${PATIENT.mrn} \uDC00`,
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    } finally {
      socket.close();
    }
    expect(capture.linesContaining([NOTE, PATIENT.name, PATIENT.mrn])).toEqual([]);
  });

  it('logs a statement that fails in Postgres by its SQLSTATE, without the patient data it carried', async () => {
    // A constraint the schema knows nothing of: the update passes validation and fails in Postgres.
    await asOwner((owner) =>
      owner.query(
        `ALTER TABLE encounters ADD CONSTRAINT log_test_refuses_marker CHECK (clinical_note NOT LIKE '%log-test-marker%') NOT VALID`,
      ),
    );
    const response = await api<{ code: string }>(
      server.url,
      cookie,
      'PATCH',
      `/api/encounters/${chart.id}`,
      { clinicalNote: `${NOTE} log-test-marker ${PATIENT.name} ${PATIENT.mrn}`, patient: PATIENT },
      ifMatch(chart.version),
    );
    expect(response.status).toBe(500);
    expect(response.body.code).toBe('internal');
    // The failure itself was logged (so the search below looks at real error output) ...
    const errors = capture.lines.filter((line) => line.includes('23514'));
    expect(errors.length).toBeGreaterThan(0);
    // ... and neither it nor anything else carries the chart's note, name or MRN.
    expect(capture.linesContaining([NOTE, PATIENT.name, PATIENT.mrn, 'log-test-marker'])).toEqual(
      [],
    );
  });

  it('previews and commits an import, and fails its commit in Postgres, without logging any row', async () => {
    // After the test above the constraint refuses a note with the marker: the commit fails in Postgres.
    const csv = [
      'source_system,source_id,patient_name,mrn,date_of_birth,date_of_service,provider_name,place_of_service,note_text',
      `log-ehr,L-1,${PATIENT.name},${PATIENT.mrn},${PATIENT.dateOfBirth},2026-03-02,Dr Who,11,"${NOTE} log-test-marker"`,
      `log-ehr,L-2,${PATIENT.name},${PATIENT.mrn},1959-13-04,2026-03-02,Dr Who,11,"${NOTE}"`,
    ].join('\n');
    const uploaded = await fetch(`${server.url}/api/encounter-imports`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/csv' },
      body: csv,
    });
    const preview = (await uploaded.json()) as IntakePreview;
    expect(uploaded.status).toBe(201);
    expect(preview).toMatchObject({ toCreate: 1, invalid: 1 });
    const started = await api<IntakeSummary>(
      server.url,
      cookie,
      'POST',
      `/api/encounter-imports/${preview.id}/commit`,
      { mode: 'good_rows' },
    );
    expect(started.status).toBe(202);
    let summary = started.body;
    while (summary.status === 'committing') {
      await new Promise((r) => setTimeout(r, 50));
      summary = (
        await api<IntakeSummary>(server.url, cookie, 'GET', `/api/encounter-imports/${preview.id}`)
      ).body;
    }
    expect(summary).toMatchObject({ status: 'failed', created: 0 });
    expect(summary.error).toMatch(/Commit again to resume/);
    expect(capture.lines.filter((line) => line.includes('import commit failed'))).toHaveLength(1);
    expect(capture.linesContaining([NOTE, PATIENT.name, PATIENT.mrn, 'log-test-marker'])).toEqual(
      [],
    );
  });
});

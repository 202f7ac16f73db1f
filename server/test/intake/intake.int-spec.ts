/**
 * Charts in over REST, against the shipped public code sets (ICD-10-CM 2026).
 * @database code-sets
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Encounter,
  EncounterEvent,
  IntakePreview,
  IntakeRowsResponse,
  IntakeSummary,
} from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const HEADER =
  'source_system,source_id,patient_name,mrn,date_of_birth,date_of_service,provider_name,provider_npi,place_of_service,diagnoses,note_text,coder_email,reviewer_email';

describe('charts in: CSV and FHIR imports', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  async function team(): Promise<{ org: TestOrganization; coder: string; supervisor: string }> {
    const org = await createOrganization(server.dataSource, 'Intake Clinic');
    return {
      org,
      coder: await login(server.url, org.users.coder),
      supervisor: await login(server.url, org.users.supervisor),
    };
  }

  async function upload(
    cookie: string,
    content: string,
    type = 'text/csv',
  ): Promise<{ status: number; body: IntakePreview & { code?: string; details?: unknown } }> {
    const response = await fetch(`${server.url}/api/encounter-imports?fileName=test`, {
      method: 'POST',
      headers: { cookie, 'content-type': type },
      body: content,
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  async function previewOf(cookie: string, content: string, type = 'text/csv') {
    const response = await upload(cookie, content, type);
    expect(response.status).toBe(201);
    return response.body;
  }

  /** Commits and follows the progress until the import is done or failed. */
  async function commit(cookie: string, id: string, mode: 'all' | 'good_rows') {
    const started = await api<IntakeSummary>(
      server.url,
      cookie,
      'POST',
      `/api/encounter-imports/${id}/commit`,
      { mode },
    );
    expect(started.status).toBe(202);
    const seen: IntakeSummary[] = [started.body];
    for (let polls = 0; polls < 600; polls++) {
      const { body } = await api<IntakeSummary>(
        server.url,
        cookie,
        'GET',
        `/api/encounter-imports/${id}`,
      );
      seen.push(body);
      if (body.status === 'done' || body.status === 'failed') return { final: body, seen };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the commit did not finish');
  }

  async function chartsFrom(orgId: string, sourceIds: string[]): Promise<string[]> {
    const rows = await server.dataSource.query<Array<{ source_id: string }>>(
      `SELECT source_id FROM encounters WHERE organization_id = $1 AND source_id = ANY($2) ORDER BY source_id`,
      [orgId, sourceIds],
    );
    return rows.map((r) => r.source_id);
  }

  it('previews a good CSV, creates every chart with an imported event, and creates nothing on a second import', async () => {
    const { org, supervisor } = await team();
    const preview = await previewOf(supervisor, fixture('good.csv'));
    expect(preview).toMatchObject({
      format: 'csv',
      status: 'previewed',
      total: 3,
      toCreate: 3,
      alreadyImported: 0,
      invalid: 0,
      nextOffset: null,
    });
    expect(preview.rows.map((r) => [r.row, r.sourceId, r.action, r.patientName])).toEqual([
      [2, 'ENC-1001', 'create', 'Avery Quinlan'],
      [3, 'ENC-1002', 'create', 'Morgan Treadwell'],
      [4, 'ENC-1003', 'create', 'Riley Fenwick'],
    ]);
    expect(await chartsFrom(org.id, ['ENC-1001', 'ENC-1002', 'ENC-1003'])).toEqual([]);

    const { final, seen } = await commit(supervisor, preview.id, 'all');
    expect(final).toMatchObject({
      status: 'done',
      done: 3,
      total: 3,
      created: 3,
      skipped: 0,
      mode: 'all',
    });
    expect(seen.every((s) => s.done <= s.total)).toBe(true);
    expect(await chartsFrom(org.id, ['ENC-1001', 'ENC-1002', 'ENC-1003'])).toEqual([
      'ENC-1001',
      'ENC-1002',
      'ENC-1003',
    ]);

    const rows = await api<IntakeRowsResponse>(
      server.url,
      supervisor,
      'GET',
      `/api/encounter-imports/${preview.id}/rows?offset=0&limit=2`,
    );
    expect(rows.body).toMatchObject({ total: 3, nextOffset: 2 });
    const chartId = rows.body.items[0]!.encounterId!;
    const chart = await api<Encounter>(server.url, supervisor, 'GET', `/api/encounters/${chartId}`);
    expect(chart.body).toMatchObject({
      status: 'draft',
      patient: { name: 'Avery Quinlan', mrn: 'MRN-50001', dateOfBirth: '1961-07-19' },
      diagnoses: ['M1711', 'E119'],
      provider: { npi: '1234567893' },
    });
    const events = await api<{ items: EncounterEvent[] }>(
      server.url,
      supervisor,
      'GET',
      `/api/encounters/${chartId}/events`,
    );
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      type: 'encounter.created',
      actor: { id: org.users.supervisor.id },
      payload: {
        imported: {
          format: 'csv',
          sourceSystem: 'clinic-ehr',
          sourceId: 'ENC-1001',
          importId: preview.id,
        },
      },
    });

    const again = await previewOf(supervisor, fixture('good.csv'));
    expect(again).toMatchObject({ total: 3, toCreate: 0, alreadyImported: 3, invalid: 0 });
    expect(again.rows.every((r) => r.action === 'exists' && r.encounterId)).toBe(true);
    const second = await commit(supervisor, again.id, 'all');
    expect(second.final).toMatchObject({ status: 'done', created: 0, skipped: 3, done: 3 });
    const [{ count }] = await server.dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM encounters WHERE organization_id = $1`,
      [org.id],
    );
    expect(count).toBe(3);
  });

  it('reports every bad cell by row and column, refuses "all", and creates only the good rows on request', async () => {
    const { org, supervisor } = await team();
    const preview = await previewOf(supervisor, fixture('bad.csv'));
    expect(preview).toMatchObject({ total: 5, toCreate: 1, invalid: 4 });
    const errors = preview.rows.flatMap((r) =>
      r.errors.map((e) => `${e.row} ${e.column}: ${e.message}`),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        '3 patient_name: Required',
        '3 date_of_service: Use the form YYYY-MM-DD',
        '3 provider_npi: Not a valid NPI (its check digit is wrong)',
        '3 place_of_service: Unknown place of service code',
        '4 date_of_birth: Not a calendar date',
        '5 source_id: Duplicate of row 2 (same source id)',
        '6 diagnoses: I10 appears twice',
      ]),
    );
    // Formats are fine but the catalogue lists no E11.99: the row with only that problem left is still refused.
    const unknown = await previewOf(
      supervisor,
      `${HEADER}\nclinic-ehr,ENC-2100,Quinn Abernathy,MRN-1,1970-01-01,2026-03-02,Dr Who,,11,E11.99,,,\n`,
    );
    expect(unknown.rows[0]!.errors).toEqual([
      {
        row: 2,
        column: 'diagnoses',
        message: 'E1199 is not an ICD-10-CM code in any loaded edition',
      },
    ]);

    const refused = await api<{ code: string; details: { invalid: number } }>(
      server.url,
      supervisor,
      'POST',
      `/api/encounter-imports/${preview.id}/commit`,
      { mode: 'all' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'invalid_state', details: { invalid: 4 } });
    const ids = ['ENC-2001', 'ENC-2002', 'ENC-2003', 'ENC-2005'];
    expect(await chartsFrom(org.id, ids)).toEqual([]);

    const { final } = await commit(supervisor, preview.id, 'good_rows');
    expect(final).toMatchObject({ status: 'done', done: 5, total: 5, created: 1, skipped: 4 });
    expect(await chartsFrom(org.id, ids)).toEqual(['ENC-2001']);
  });

  it('imports a FHIR Bundle: notes from DocumentReference and Composition, diagnoses from Conditions', async () => {
    const { supervisor } = await team();
    const preview = await previewOf(
      supervisor,
      fixture('good-bundle.json'),
      'application/fhir+json',
    );
    expect(preview).toMatchObject({ format: 'fhir', total: 2, toCreate: 2, invalid: 0 });
    const { final } = await commit(supervisor, preview.id, 'all');
    expect(final).toMatchObject({ status: 'done', created: 2 });
    const rows = await api<IntakeRowsResponse>(
      server.url,
      supervisor,
      'GET',
      `/api/encounter-imports/${preview.id}/rows`,
    );
    const charts = await Promise.all(
      rows.body.items.map(
        async (r) =>
          (await api<Encounter>(server.url, supervisor, 'GET', `/api/encounters/${r.encounterId}`))
            .body,
      ),
    );
    expect(
      charts.map((c) => [c.patient.name, c.dateOfService, c.placeOfService, c.diagnoses]),
    ).toEqual([
      ['Avery Quinlan', '2026-03-02', '11', ['M1711', 'E119']],
      ['Morgan J Treadwell', '2026-03-03', '11', ['I10']],
    ]);
    expect(charts[0]!.clinicalNote).toMatch(/primary osteoarthritis of the right knee/);
    expect(charts[1]!.clinicalNote).toContain('Blood pressure 128/82 & well controlled.');

    const bad = await previewOf(supervisor, fixture('bad-bundle.json'), 'application/fhir+json');
    expect(bad).toMatchObject({ total: 2, invalid: 2, toCreate: 0 });
    const columns = bad.rows.flatMap((r) => r.errors.map((e) => e.column));
    expect(columns).toEqual(
      expect.arrayContaining([
        'Patient/pat-9.birthDate',
        'Encounter/enc-9.period.start',
        'Condition/cond-9.code',
        'Condition/cond-10.code',
        'Encounter/enc-10.subject',
      ]),
    );
  });

  it('refuses a file it cannot read as a whole, with the reasons, and stores nothing', async () => {
    const { org, supervisor } = await team();
    const missing = await upload(supervisor, 'source_system,source_id\nx,y\n');
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('validation_failed');
    expect(missing.body.details).toMatchObject({
      errors: expect.arrayContaining([
        { row: 1, column: 'patient_name', message: 'This required column is missing' },
      ]),
    });
    const notJson = await upload(supervisor, '{"resourceType":', 'application/fhir+json');
    expect(notJson.status).toBe(400);
    for (const type of ['text/plain', 'application/json']) {
      const wrongType = await upload(supervisor, '{}', type);
      expect(wrongType.status).toBe(415);
    }
    const list = await api<{ items: IntakeSummary[] }>(
      server.url,
      supervisor,
      'GET',
      '/api/encounter-imports',
    );
    expect(list.body.items.filter((i) => i.createdBy.id === org.users.supervisor.id)).toEqual([]);
  });

  it('assigns by email under the create rule: a coder cannot name a reviewer, a supervisor can', async () => {
    const { org, coder, supervisor } = await team();
    const csv = `${HEADER}\nclinic-ehr,ENC-4001,Rowan Pike,MRN-4,1980-05-05,2026-03-02,Dr Who,,11,I10,,${org.users.coder.email},${org.users.reviewer.email}\nclinic-ehr,ENC-4002,Sky Pike,MRN-5,1980-05-05,2026-03-02,Dr Who,,11,I10,,nobody@nowhere.example,\n`;
    const asCoder = await previewOf(coder, csv);
    expect(asCoder.rows[0]!.errors).toEqual([
      {
        row: 2,
        column: 'reviewer_email',
        message: 'Only a supervisor or an admin can assign the chart’s reviewer',
      },
    ]);
    expect(asCoder.rows[1]!.errors).toEqual([
      { row: 3, column: 'coder_email', message: 'No member of your organization has this email' },
    ]);
    const asSupervisor = await previewOf(supervisor, csv);
    expect(asSupervisor.rows[0]!.action).toBe('create');
    await commit(supervisor, asSupervisor.id, 'good_rows');
    const rows = await api<IntakeRowsResponse>(
      server.url,
      supervisor,
      'GET',
      `/api/encounter-imports/${asSupervisor.id}/rows`,
    );
    const chart = await api<Encounter>(
      server.url,
      supervisor,
      'GET',
      `/api/encounters/${rows.body.items[0]!.encounterId}`,
    );
    expect(chart.body.coder?.id).toBe(org.users.coder.id);
    expect(chart.body.reviewer?.id).toBe(org.users.reviewer.id);
  });

  it('two commits of the same file at once create each chart once', async () => {
    const { org, supervisor } = await team();
    const first = await previewOf(supervisor, fixture('good.csv'));
    const second = await previewOf(supervisor, fixture('good.csv'));
    const [a, b] = await Promise.all([
      commit(supervisor, first.id, 'all'),
      commit(supervisor, second.id, 'all'),
    ]);
    expect(a.final.status).toBe('done');
    expect(b.final.status).toBe('done');
    expect(a.final.created + b.final.created).toBe(3);
    expect(a.final.skipped + b.final.skipped).toBe(3);
    expect(await chartsFrom(org.id, ['ENC-1001', 'ENC-1002', 'ENC-1003'])).toHaveLength(3);
  });

  it('shows an import only to its organization, and lets only its uploader commit it', async () => {
    const { coder, supervisor } = await team();
    const other = await team();
    const preview = await previewOf(supervisor, fixture('good.csv'));
    for (const path of [
      `/api/encounter-imports/${preview.id}`,
      `/api/encounter-imports/${preview.id}/rows`,
    ]) {
      const response = await api<{ code: string }>(server.url, other.supervisor, 'GET', path);
      expect(response.status).toBe(404);
    }
    const foreign = await api<{ code: string }>(
      server.url,
      other.supervisor,
      'POST',
      `/api/encounter-imports/${preview.id}/commit`,
      { mode: 'all' },
    );
    expect(foreign.status).toBe(404);
    const list = await api<{ items: IntakeSummary[] }>(
      server.url,
      other.supervisor,
      'GET',
      '/api/encounter-imports',
    );
    expect(list.body.items).toEqual([]);

    const teammate = await api<{ code: string }>(
      server.url,
      coder,
      'POST',
      `/api/encounter-imports/${preview.id}/commit`,
      { mode: 'all' },
    );
    expect(teammate.status).toBe(403);
    const cancelled = await api<IntakeSummary>(
      server.url,
      supervisor,
      'POST',
      `/api/encounter-imports/${preview.id}/cancel`,
    );
    expect(cancelled.body.status).toBe('cancelled');
    const late = await api<{ code: string }>(
      server.url,
      supervisor,
      'POST',
      `/api/encounter-imports/${preview.id}/commit`,
      { mode: 'all' },
    );
    expect(late.status).toBe(409);
  });

  it('previews a file with NUL characters or null identifiers as invalid rows, never a 500', async () => {
    const { supervisor } = await team();
    const nul = await previewOf(
      supervisor,
      `${HEADER}\nclinic-ehr,ENC-5001,Nul\u0000Name,MRN-\u0000,1970-01-01,2026-03-02,Dr Who,,11,I1\u00000,,,\n`,
    );
    expect(nul).toMatchObject({ total: 1, invalid: 1, toCreate: 0 });
    expect(nul.rows[0]!.errors.length).toBeGreaterThan(0);

    const bundle = JSON.parse(fixture('good-bundle.json')) as {
      entry: Array<{ resource: { resourceType: string; identifier?: unknown[] } }>;
    };
    for (const { resource } of bundle.entry)
      if (resource.resourceType === 'Patient' || resource.resourceType === 'Practitioner')
        resource.identifier = [null, ...(resource.identifier ?? [])];
    const nulls = await previewOf(supervisor, JSON.stringify(bundle), 'application/fhir+json');
    expect(nulls).toMatchObject({ format: 'fhir', total: 2 });
  });
});

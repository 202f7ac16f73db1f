import type { CatalogImport } from '@countersign/shared';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import type { RunningServer } from '../../src/bootstrap.js';
import { asOwner } from '../support/as-owner.js';
import {
  CatalogImporter,
  stagingTable,
  stagingTableName,
} from '../../src/catalog/import/catalog-importer.js';
import { ImportLineError } from '../../src/catalog/import/import-format.js';
import {
  api,
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';
import { readCodeSet } from '../../src/testing/code-sets.js';
import { importWhileProbing, PROBED_IMPORT_ROWS } from '../../src/testing/load-scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'countersign-import-safety-'));
const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const MUE_HEADER = 'code\tmue_value\tmai\trationale\n';
/** `n` MUE rows for made-up HCPCS codes Q0000.. (structurally valid, never real). */
const mueRows = (n: number, value = 1) =>
  Array.from(
    { length: n },
    (_, i) => `Q${String(i).padStart(4, '0')}\t${value}\t2\tCMS Policy\n`,
  ).join('');
const ICD_HEADER = 'code\tshort_description\tlong_description\n';
/** `n` made-up billable ICD-10-CM codes Z99.A0.. */
const icdRows = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `V99${String.fromCharCode(65 + Math.floor(i / 10))}${i % 10}\tTest code ${i}\tTest code ${i}\n`,
  ).join('');

/** Every table an import can change, reduced to one comparable value each, and the staging tables left. */
async function fingerprint(dataSource: DataSource): Promise<unknown> {
  const [row] = await dataSource.query(`
    SELECT (SELECT md5(coalesce(string_agg(concat_ws('|', system, code, edition, effective_date, termination_date, source_row), ',' ORDER BY system, code, edition), '')) FROM catalog_codes) AS codes,
           (SELECT md5(coalesce(string_agg(concat_ws('|', edition, code, mue_value, mai, source_row), ',' ORDER BY edition, code), '')) FROM ncci_mue_values) AS mue,
           (SELECT count(*) FROM ncci_ptp_edits) AS ptp,
           (SELECT md5(coalesce(string_agg(concat_ws('|', kind, edition, effective_date, file_name, import_id), ',' ORDER BY kind, edition), '')) FROM catalog_editions) AS editions,
           (SELECT count(*) FROM pg_tables WHERE tablename LIKE 'catalog\\_import\\_staging\\_%') AS staging`);
  return row;
}

const uploadsLeft = () =>
  readdirSync(tmpdir()).filter(
    (f) =>
      f.startsWith('countersign-import-') &&
      !f.startsWith('countersign-import-safety-') &&
      !f.startsWith('countersign-import-test-'),
  );

describe('Imports that cannot hurt', () => {
  let server: RunningServer;
  let importer: CatalogImporter;
  let org: TestOrganization;
  let operator: string;
  let admin: string;
  let coder: string;

  beforeAll(async () => {
    server = await startTestApp();
    importer = new CatalogImporter(server.dataSource);
    org = await createOrganization(server.dataSource, 'Safety Clinic');
    operator = await login(server.url, org.users.operator);
    admin = await login(server.url, org.users.admin);
    coder = await login(server.url, org.users.coder);
  }, 120_000);
  afterAll(() => server.stop());

  const upload = async (cookie: string, query: string, body: Buffer | string) => {
    const response = await fetch(`${server.url}/api/catalog/imports?${query}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/octet-stream' },
      body: typeof body === 'string' ? Buffer.from(body) : body,
    });
    return {
      status: response.status,
      body: (await response.json()) as CatalogImport & { code?: string; message?: string },
    };
  };
  const post = (cookie: string, path: string, body?: unknown) =>
    api<CatalogImport & { code?: string; message?: string }>(
      server.url,
      cookie,
      'POST',
      path,
      body,
    );

  describe('a bad file ends with a clear error and changes nothing', () => {
    const real = () => readCodeSet('mue-practitioner-2024q3.tsv.gz').toString('utf8');
    const badFiles: Array<[string, () => string, { line: number | null; reason: RegExp }]> = [
      [
        'a real file cut mid-line (last line without its line end)',
        () => write('mue-practitioner-2040q1.tsv', real().slice(0, 200_001)),
        {
          line: expect.any(Number),
          reason: /the last line has no line end: the file is cut short/,
        },
      ],
      [
        'a .tsv that stops mid-row (wrong column count on the last line)',
        () => {
          const lines = real().split('\n').slice(0, 3000);
          lines[2999] = lines[2999]!.split('\t').slice(0, 2).join('\t');
          return write('mue-practitioner-2040q1.tsv', `${lines.join('\n')}\n`);
        },
        {
          line: 3000,
          reason: /expected 4 tab-separated columns, found 2 \(is the file cut short\?\)/,
        },
      ],
      [
        'an integer that overflows',
        () =>
          write(
            'mue-practitioner-2040q1.tsv',
            `${MUE_HEADER}${mueRows(2)}Q9000\t99999999999999999999\t2\tx\n`,
          ),
        { line: 4, reason: /MUE value 99999999999999999999 is out of range \(0 to 1,000,000\)/ },
      ],
      [
        'an RVU past its column',
        () => {
          const [header, row] = readCodeSet('mpfs-rvu-2025.tsv.gz').toString('utf8').split('\n');
          const fields = row!.split('\t');
          fields[4] = '12345678.5';
          return write('mpfs-rvu-2040.tsv', `${header}\n${fields.join('\t')}\n`);
        },
        { line: 2, reason: /work RVU 12345678\.5 is out of range \(0 to 99999\.99\)/ },
      ],
      [
        'a date that is not a day',
        () =>
          write(
            'ncci-aoc-2040q1.tsv',
            'Add-on Code\tPrimary Code\tAOC Edit Type\tAOC Edit Effective Date\n22633\t22612\t1\t20401345\n',
          ),
        { line: 2, reason: /"20401345" is not a date/ },
      ],
      [
        'a NUL byte',
        () =>
          write('mue-practitioner-2040q1.tsv', `${MUE_HEADER}${mueRows(2)}Q9000\t1\u0000\t2\tx\n`),
        { line: 4, reason: /NUL byte/ },
      ],
      [
        'an over-long line',
        () =>
          write(
            'mue-practitioner-2040q1.tsv',
            `${MUE_HEADER}${mueRows(2)}Q9000\t1\t2\t${'x'.repeat(100_000)}\n`,
          ),
        { line: 4, reason: /longer than 65,536 bytes/ },
      ],
      [
        'a gzip bomb',
        () => {
          // 64 MB of one valid row repeated: about 65 KB compressed, a thousand times over.
          const row = Buffer.from('Q0001\t1\t2\tCMS Policy\n');
          const body = Buffer.alloc(64 * 1024 * 1024 - ((64 * 1024 * 1024) % row.length));
          for (let i = 0; i < body.length; i += row.length) row.copy(body, i);
          return write(
            'mue-practitioner-2040q1.tsv.gz',
            gzipSync(Buffer.concat([Buffer.from(MUE_HEADER), body]), { level: 9 }),
          );
        },
        {
          line: expect.any(Number),
          reason: /expands more than 100 times .* refused as a decompression bomb/,
        },
      ],
      [
        'wrong columns',
        () =>
          write('mue-practitioner-2040q1.tsv', real().replace('mue_value\tmai', 'mai\tmue_value')),
        {
          line: 1,
          reason:
            /expected the columns code, mue_value, mai, rationale; found code, mai, mue_value, rationale/,
        },
      ],
    ];

    it.each(badFiles)(
      '%s',
      async (_name, make, expected) => {
        const path = make();
        const before = await fingerprint(server.dataSource);
        const error = await importer.preview(path).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ImportLineError);
        expect(error).toMatchObject({
          line: expected.line,
          reason: expect.stringMatching(expected.reason),
        });
        expect(await fingerprint(server.dataSource)).toEqual(before);
        const [last] = await server.dataSource.query(
          `SELECT id::text, status, error FROM catalog_imports ORDER BY id DESC LIMIT 1`,
        );
        expect(last).toMatchObject({
          status: 'failed',
          error: { reason: expect.stringMatching(expected.reason) },
        });
        expect(
          await server.dataSource.query(`SELECT 1 FROM pg_tables WHERE tablename = $1`, [
            stagingTableName(last.id),
          ]),
        ).toEqual([]);
      },
      60_000,
    );

    it('turns a value Postgres refuses during the COPY into a failed import, and the server keeps serving', async () => {
      const before = await fingerprint(server.dataSource);
      // The parsers keep values inside their columns; a narrower column stands for any value they might miss.
      await asOwner((owner) =>
        owner.query(`ALTER TABLE ncci_mue_values ALTER COLUMN rationale TYPE varchar(3)`),
      );
      try {
        const { id, done } = await importer.startPreview(
          write('mue-practitioner-2040q2.tsv', `${MUE_HEADER}${mueRows(3)}`),
          {},
          null,
        );
        const outcome = await done;
        expect(outcome).toMatchObject({
          id,
          status: 'failed',
          error: { reason: expect.stringMatching(/the database refused a value.*too long/) },
        });
      } finally {
        await asOwner((owner) =>
          owner.query(`ALTER TABLE ncci_mue_values ALTER COLUMN rationale TYPE text`),
        );
      }
      expect(await fingerprint(server.dataSource)).toEqual(before);
      expect((await api(server.url, coder, 'GET', '/api/catalog/editions')).status).toBe(200);
    });

    it('answers 400 for an effective date that is not a day, and leaves no uploaded file behind', async () => {
      const before = uploadsLeft();
      const refused = await upload(
        operator,
        'fileName=mue-practitioner-2040q1.tsv&effectiveDate=2026-13-45',
        `${MUE_HEADER}${mueRows(2)}`,
      );
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'validation_failed',
        message: expect.stringMatching(/Not a calendar date/),
      });
      expect(uploadsLeft()).toEqual(before);
    });

    it('deletes the uploaded file of a refused upload', async () => {
      const before = uploadsLeft();
      const refused = await upload(
        operator,
        'fileName=mue-practitioner-2040q1.tsv&wait=true',
        `${MUE_HEADER}Q0001\t1\u0000\t2\tx\n`,
      );
      expect(refused.body).toMatchObject({
        status: 'failed',
        error: { line: 2, reason: expect.stringMatching(/NUL/) },
      });
      expect(uploadsLeft()).toEqual(before);
    });
  });

  describe('preview, then confirm', () => {
    it('counts what a file would change and applies nothing until confirmed; a cancelled preview leaves nothing', async () => {
      const first = await upload(
        operator,
        'fileName=mue-practitioner-2041q1.tsv&wait=true',
        `${MUE_HEADER}${mueRows(40)}`,
      );
      expect(first.body).toMatchObject({
        status: 'preview',
        preview: { rows: 40, existing: 0, added: 40, changed: 0, removed: 0, warning: null },
      });
      expect(first.body.preview!.samples.added).toEqual([
        'Q0000',
        'Q0001',
        'Q0002',
        'Q0003',
        'Q0004',
      ]);
      expect(first.body.expiresAt).not.toBeNull();
      expect(
        await server.dataSource.query(
          `SELECT count(*)::int AS n FROM ncci_mue_values WHERE edition = '2041Q1'`,
        ),
      ).toEqual([{ n: 0 }]);
      expect(
        (await post(operator, `/api/catalog/imports/${first.body.id}/confirm`)).body,
      ).toMatchObject({ status: 'succeeded', summary: { added: 40 } });
      expect(
        await server.dataSource.query(
          `SELECT count(*)::int AS n FROM ncci_mue_values WHERE edition = '2041Q1'`,
        ),
      ).toEqual([{ n: 40 }]);

      const before = await fingerprint(server.dataSource);
      const second = await upload(
        operator,
        'fileName=mue-practitioner-2041q1.tsv&wait=true',
        `${MUE_HEADER}${mueRows(39, 2)}Q7777\t1\t2\tx\n`,
      );
      expect(second.body.preview).toMatchObject({
        rows: 40,
        existing: 40,
        added: 1,
        changed: 39,
        removed: 1,
        samples: { added: ['Q7777'], removed: ['Q0039'] },
      });
      const cancelled = await post(operator, `/api/catalog/imports/${second.body.id}/cancel`);
      expect(cancelled.body).toMatchObject({ status: 'cancelled' });
      expect(await fingerprint(server.dataSource)).toEqual(before);
      expect(
        (await post(operator, `/api/catalog/imports/${second.body.id}/confirm`)).body,
      ).toMatchObject({ code: 'invalid_state' });
    });

    it('warns loudly when a partial file would remove most of an edition', async () => {
      await importer.importFile(
        write('mue-practitioner-2041q2.tsv', `${MUE_HEADER}${mueRows(100)}`),
      );
      const before = await fingerprint(server.dataSource);
      const partial = await upload(
        operator,
        'fileName=mue-practitioner-2041q2.tsv&wait=true',
        `${MUE_HEADER}${mueRows(3)}`,
      );
      expect(partial.body.preview).toMatchObject({ existing: 100, removed: 97 });
      expect(partial.body.preview!.warning).toMatch(
        /removes 97 of the 100 rows of MUE 2041Q2 now loaded \(97%\)/,
      );
      await post(operator, `/api/catalog/imports/${partial.body.id}/cancel`);
      expect(await fingerprint(server.dataSource)).toEqual(before);
    });

    it('warns loudly when a partial complete code set would end most codes in force', async () => {
      await importer.importFile(write('icd10cm-2040.tsv', `${ICD_HEADER}${icdRows(60)}`));
      const before = await fingerprint(server.dataSource);
      const partial = await upload(
        operator,
        'fileName=icd10cm-2041.tsv&wait=true',
        `${ICD_HEADER}${icdRows(2)}`,
      );
      expect(partial.body.preview).toMatchObject({ rows: 2, ended: expect.any(Number) });
      expect(partial.body.preview!.ended).toBeGreaterThanOrEqual(58);
      expect(partial.body.preview!.samples.ended).toHaveLength(5);
      expect(partial.body.preview!.warning).toMatch(
        /ends \d+ of the \d+ ICD10CM codes of older editions in force/,
      );
      await post(operator, `/api/catalog/imports/${partial.body.id}/cancel`);
      expect(await fingerprint(server.dataSource)).toEqual(before);
    });

    it('refuses a preview once another import was applied since it was counted: preview again', async () => {
      const stale = await upload(
        operator,
        'fileName=mue-practitioner-2041q3.tsv&wait=true',
        `${MUE_HEADER}${mueRows(5)}`,
      );
      await importer.importFile(
        write('ncci-aoc-2041q3.tsv', 'primary_code\taddon_code\taoc_type\n22612\t22633\t1\n'),
      );
      const before = await fingerprint(server.dataSource);
      const refused = await post(operator, `/api/catalog/imports/${stale.body.id}/confirm`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/import the file again/),
      });
      // The data is as it was; only the stale preview's staging table is gone.
      const after = (await fingerprint(server.dataSource)) as Record<string, unknown>;
      expect({ ...after, staging: null }).toEqual({
        ...(before as Record<string, unknown>),
        staging: null,
      });
      expect(Number(after.staging)).toBe(Number((before as Record<string, unknown>).staging) - 1);
      expect(
        (
          await api<CatalogImport>(
            server.url,
            operator,
            'GET',
            `/api/catalog/imports/${stale.body.id}`,
          )
        ).body,
      ).toMatchObject({ status: 'expired' });
    });

    it('expires a preview nobody confirms, with its staging data', async () => {
      const waiting = await importer.preview(
        write('mue-practitioner-2041q4.tsv', `${MUE_HEADER}${mueRows(5)}`),
      );
      expect(
        await server.dataSource.query(`SELECT 1 AS one FROM pg_tables WHERE tablename = $1`, [
          stagingTableName(waiting.id),
        ]),
      ).toEqual([{ one: 1 }]);
      await importer.recover(new Date(Date.now() + 31 * 60 * 1000));
      expect(
        await server.dataSource.query(`SELECT 1 FROM pg_tables WHERE tablename = $1`, [
          stagingTableName(waiting.id),
        ]),
      ).toEqual([]);
      const refused = await post(operator, `/api/catalog/imports/${waiting.id}/confirm`);
      expect(refused.body).toMatchObject({
        code: 'invalid_state',
        message: expect.stringMatching(/is expired/),
      });
    });

    it('is the instance operator’s: an organization admin sees the imports but cannot confirm, cancel or restore', async () => {
      const waiting = await upload(
        operator,
        'fileName=mue-practitioner-2042q1.tsv&wait=true',
        `${MUE_HEADER}${mueRows(2)}`,
      );
      expect(
        (
          await api<CatalogImport>(
            server.url,
            admin,
            'GET',
            `/api/catalog/imports/${waiting.body.id}`,
          )
        ).body,
      ).toMatchObject({ status: 'preview' });
      expect((await post(admin, `/api/catalog/imports/${waiting.body.id}/confirm`)).status).toBe(
        403,
      );
      expect((await post(admin, `/api/catalog/imports/${waiting.body.id}/cancel`)).status).toBe(
        403,
      );
      expect(
        (await post(admin, '/api/catalog/imports/restore', { kind: 'mue-tsv', edition: '2041Q1' }))
          .status,
      ).toBe(403);
      expect((await api(server.url, coder, 'GET', '/api/catalog/imports')).status).toBe(403);
      await post(operator, `/api/catalog/imports/${waiting.body.id}/cancel`);
    });
  });

  describe('restore the previous edition', () => {
    it('undoes the last import of an edition through its own preview, and only once', async () => {
      await importer.importFile(
        write('mue-practitioner-2043q1.tsv', `${MUE_HEADER}${mueRows(10)}`),
      );
      const original = await fingerprint(server.dataSource);
      await importer.importFile(
        write('mue-practitioner-2043q1.tsv', `${MUE_HEADER}${mueRows(8, 3)}`),
      );
      expect(await fingerprint(server.dataSource)).not.toEqual(original);

      const restore = await post(operator, '/api/catalog/imports/restore', {
        kind: 'mue-tsv',
        edition: '2043Q1',
      });
      expect(restore.status).toBe(201);
      expect(restore.body).toMatchObject({
        status: 'preview',
        preview: { rows: 10, existing: 8, added: 2, changed: 8, removed: 0 },
        restoresImportId: expect.any(String),
      });
      const applied = await post(operator, `/api/catalog/imports/${restore.body.id}/confirm`);
      expect(applied.body).toMatchObject({
        status: 'succeeded',
        summary: { added: 2, changed: 8 },
      });
      const now = (await fingerprint(server.dataSource)) as Record<string, unknown>;
      const was = original as Record<string, unknown>;
      expect(now.mue).toEqual(was.mue);
      expect(now.staging).toEqual(was.staging);

      const again = await post(operator, '/api/catalog/imports/restore', {
        kind: 'mue-tsv',
        edition: '2043Q1',
      });
      expect(again.body).toMatchObject({
        code: 'invalid_state',
        message: expect.stringMatching(/already undone/),
      });
    });

    it('restoring a new complete code set reopens the codes it ended and forgets its edition', async () => {
      await importer.importFile(write('icd10cm-2044.tsv', `${ICD_HEADER}${icdRows(20)}`));
      const before = await fingerprint(server.dataSource);
      const next = await importer.importFile(
        write('icd10cm-2045.tsv', `${ICD_HEADER}${icdRows(18)}`),
      );
      expect(next.ended).toBeGreaterThanOrEqual(2);
      const restore = await importer.startRestore('icd10cm-tsv', '2045', null);
      const outcome = await restore.done;
      expect(outcome).toMatchObject({
        status: 'preview',
        preview: { removed: 18, reopened: next.ended },
      });
      await importer.apply(restore.id);
      expect(await fingerprint(server.dataSource)).toEqual(before);
    });
  });

  describe('an interrupted import leaves nothing behind', () => {
    it('fails an import its dead process left running, with its staging table and uploaded file, but not one still reading', async () => {
      const upload1 = write('countersign-upload-dead', 'x');
      const [dead] = await server.dataSource.query(
        `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, upload_path) VALUES ('mue-tsv', 'MUE', '2046Q1', '2046-01-01', 'dead.tsv', 'x', 'running', $1) RETURNING id::text`,
        [upload1],
      );
      const [alive] = await server.dataSource.query(
        `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status) VALUES ('mue-tsv', 'MUE', '2046Q2', '2046-04-01', 'alive.tsv', 'x', 'running') RETURNING id::text`,
      );
      for (const row of [dead, alive])
        await server.dataSource.query(
          `CREATE UNLOGGED TABLE ${stagingTable(row.id)} (LIKE ncci_mue_values)`,
        );
      const holder = server.dataSource.createQueryRunner();
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock(7239003, $1::int)', [Number(alive.id)]);
      try {
        expect(await importer.recover()).toMatchObject({ failed: 1 });
      } finally {
        await holder.query('SELECT pg_advisory_unlock(7239003, $1::int)', [Number(alive.id)]);
        await holder.release();
      }
      const rows = await server.dataSource.query(
        `SELECT id::text, status, error->>'reason' AS reason FROM catalog_imports WHERE id IN ($1, $2) ORDER BY id`,
        [dead.id, alive.id],
      );
      expect(rows).toEqual([
        { id: dead.id, status: 'failed', reason: expect.stringMatching(/interrupted/) },
        { id: alive.id, status: 'running', reason: null },
      ]);
      expect(existsSync(upload1)).toBe(false);
      expect(
        await server.dataSource.query(
          `SELECT tablename FROM pg_tables WHERE tablename = ANY($1) ORDER BY 1`,
          [[stagingTableName(dead.id), stagingTableName(alive.id)]],
        ),
      ).toEqual([{ tablename: stagingTableName(alive.id) }]);
      await importer.recover();
      expect(
        await server.dataSource.query(`SELECT status FROM catalog_imports WHERE id = $1`, [
          alive.id,
        ]),
      ).toEqual([{ status: 'failed' }]);
    });
  });

  describe('the server keeps answering during a big import', () => {
    // How fast it answers is measured by `npm run bench:limits`.
    it('answers another user every time, many times over, while a 600,000-row file is previewed and applied', async () => {
      const { preview, applied, probes } = await importWhileProbing(server);
      expect(preview).toMatchObject({
        status: 'preview',
        preview: { rows: PROBED_IMPORT_ROWS, added: PROBED_IMPORT_ROWS },
      });
      expect(applied).toMatchObject({
        status: 'succeeded',
        summary: { added: PROBED_IMPORT_ROWS },
      });
      expect(probes.filter((p) => p.status !== 200)).toEqual([]);
      // Many round trips while it ran: the import never held the event loop throughout.
      expect(probes.length).toBeGreaterThan(20);
    }, 300_000);
  });
});

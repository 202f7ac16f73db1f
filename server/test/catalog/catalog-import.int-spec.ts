import type { CatalogImport, CatalogSearchResponse, ImportSummary } from '@countersign/shared';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import type { RunningServer } from '../../src/bootstrap.js';
import { CatalogSearchService } from '../../src/catalog/catalog-search.service.js';
import { CatalogImporter } from '../../src/catalog/import/catalog-importer.js';
import { ImportLineError } from '../../src/catalog/import/import-format.js';
import {
  api,
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';
import {
  PUBLIC_CODE_SET_FILES as REFERENCE_FILES,
  publicCodeSetPath as codeSetFile,
} from '../../src/catalog/public-code-sets.js';
import { importReferenceData, readCodeSet } from '../../src/testing/code-sets.js';

const dir = mkdtempSync(join(tmpdir(), 'countersign-import-test-'));
const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Everything an import can touch, reduced to one comparable value per table. */
async function fingerprint(dataSource: DataSource): Promise<unknown> {
  const [row] = await dataSource.query(`
    SELECT (SELECT md5(string_agg(concat_ws('|', system, code, edition, effective_date, termination_date, short_description, billable, source_row), ',' ORDER BY system, code, edition)) FROM catalog_codes) AS codes,
           (SELECT md5(string_agg(concat_ws('|', edition, code, mue_value, mai, source_row), ',' ORDER BY edition, code)) FROM ncci_mue_values) AS mue,
           (SELECT md5(string_agg(concat_ws('|', edition, addon_code, primary_code, aoc_type), ',' ORDER BY edition, addon_code, primary_code)) FROM ncci_addon_edits) AS aoc,
           (SELECT md5(string_agg(concat_ws('|', edition, code, modifier, work_rvu, source_row), ',' ORDER BY edition, code, modifier)) FROM mpfs_rvus) AS rvu,
           (SELECT count(*) FROM ncci_ptp_edits) AS ptp,
           (SELECT md5(string_agg(concat_ws('|', kind, edition, import_id), ',' ORDER BY kind, edition)) FROM catalog_editions) AS editions`);
  return row;
}

describe(CatalogImporter.name, () => {
  let server: RunningServer;
  let importer: CatalogImporter;
  let org: TestOrganization;
  let admin: string;
  let operator: string;
  let coder: string;
  let summaries: ImportSummary[];

  beforeAll(async () => {
    server = await startTestApp();
    importer = new CatalogImporter(server.dataSource);
    org = await createOrganization(server.dataSource, 'Import Clinic');
    admin = await login(server.url, org.users.admin);
    operator = await login(server.url, org.users.operator);
    coder = await login(server.url, org.users.coder);
    summaries = await importReferenceData(server.dataSource);
  }, 300_000);
  afterAll(() => server.stop());

  it('imports every reference file with its row count, recognising the kind and edition from the file', () => {
    expect(summaries.map((s) => [s.fileName, s.kind, s.rows])).toEqual(
      REFERENCE_FILES.map((f) => [f.file, f.kind, f.rows]),
    );
    expect(summaries.find((s) => s.kind === 'ptp-tsv')).toMatchObject({
      edition: '2024Q3',
      effectiveDate: '2024-07-01',
      dataset: 'PTP',
    });
    expect(summaries.find((s) => s.kind === 'icd10cm-tsv')).toMatchObject({
      edition: '2026',
      effectiveDate: '2025-10-01',
    });
  });

  it('keeps the source line of every row, for findings to cite', async () => {
    const [ptp] = await server.dataSource.query(
      `SELECT column1, column2, modifier_indicator, rationale FROM ncci_ptp_edits WHERE edition = '2024Q3' AND source_row = 2`,
    );
    const second = readCodeSet('mue-practitioner-2024q3.tsv.gz')
      .toString('utf8')
      .split('\n')[1]!
      .split('\t');
    const [mue] = await server.dataSource.query(
      `SELECT code, mue_value FROM ncci_mue_values WHERE edition = '2024Q3' AND source_row = 2`,
    );
    expect(ptp).toEqual({
      column1: '0001U',
      column2: '0029U',
      modifier_indicator: 1,
      rationale: 'Misuse of Column Two code with Column One code',
    });
    expect(mue).toEqual({ code: second[0], mue_value: Number(second[1]) });
  });

  it('changes nothing when the same edition is imported again with the same content', async () => {
    const before = await fingerprint(server.dataSource);
    const again = await importer.importFile(codeSetFile('mue-practitioner-2024q3.tsv.gz'));
    const ptp = await importer.importFile(codeSetFile('ncci-ptp-practitioner-2024q3.tsv.gz'));
    expect(again).toMatchObject({
      unchanged: true,
      added: 0,
      changed: 0,
      removed: 0,
      rows: 14_677,
    });
    expect(ptp).toMatchObject({ unchanged: true, rows: 1_669_820 });
    expect(await fingerprint(server.dataSource)).toEqual(before);
  });

  it('replaces an edition by difference when its content changes: added, changed and removed rows counted', async () => {
    const original = readCodeSet('mue-practitioner-2024q3.tsv.gz').toString('utf8').split('\n');
    const lines = [...original];
    const changedCode = lines[1]!.split('\t')[0]!;
    lines[1] = lines[1]!.replace(
      /^(\S+)\t(\d+)/,
      (_m, code: string, value: string) => `${code}\t${Number(value) + 5}`,
    );
    const removedCode = lines[2]!.split('\t')[0]!;
    lines.splice(2, 1);
    lines.splice(3, 0, 'Q9999\t3\t2\tCMS Policy');
    const modified = await importer.importFile(
      write('mue-practitioner-2024q3.tsv', lines.join('\n')),
    );
    expect(modified).toMatchObject({
      unchanged: false,
      added: 1,
      changed: 1,
      removed: 1,
      rows: 14_677,
    });
    const codes = await server.dataSource.query(
      `SELECT code FROM ncci_mue_values WHERE code = ANY($1) ORDER BY code`,
      [[changedCode, removedCode, 'Q9999']],
    );
    expect(codes.map((r: { code: string }) => r.code)).toEqual([changedCode, 'Q9999'].sort());

    // The original file again: it is no longer what is loaded, so it applies.
    const restored = await importer.importFile(codeSetFile('mue-practitioner-2024q3.tsv.gz'));
    expect(restored).toMatchObject({ unchanged: false, added: 1, changed: 1, removed: 1 });
  });

  describe('a bad file changes nothing and names the line and the reason', () => {
    const badFiles: Array<[string, () => string, { line: number | null; reason: RegExp }]> = [
      [
        'truncated mid-line',
        () =>
          write(
            'hcpcs-2026.tsv',
            readCodeSet('hcpcs-2026.tsv.gz').toString('utf8').slice(0, 100_000),
          ),
        {
          line: expect.any(Number),
          reason: /the last line has no line end: the file is cut short/,
        },
      ],
      [
        'truncated gzip',
        () => {
          const gz = gzipSync(readCodeSet('mue-practitioner-2024q3.tsv.gz'));
          return write('mue-practitioner-2024q3.tsv.gz', gz.subarray(0, Math.floor(gz.length / 2)));
        },
        { line: expect.any(Number), reason: /truncated/ },
      ],
      [
        'wrong columns',
        () =>
          write(
            'mue-practitioner-2024q3.tsv',
            readCodeSet('mue-practitioner-2024q3.tsv.gz')
              .toString('utf8')
              .replace('mue_value\tmai', 'mai\tmue_value'),
          ),
        {
          line: 1,
          reason:
            /expected the columns code, mue_value, mai, rationale; found code, mai, mue_value, rationale/,
        },
      ],
      [
        'a bad ICD-10-CM code',
        () => {
          const lines = readCodeSet('icd10cm-2026-headers.tsv.gz').toString('utf8').split('\n');
          lines[5000] = `E11.9!\tBroken\tBroken`;
          return write('icd10cm-2026-headers.tsv', lines.join('\n'));
        },
        { line: 5001, reason: /"E11\.9!" is not an ICD-10-CM code/ },
      ],
      [
        'a bad PTP modifier indicator',
        () =>
          write(
            'ncci-ptp-practitioner-2030q1.tsv',
            'column1\tcolumn2\tmodifier_indicator\trationale_id\n20610\t99213\t1\t7\n20610\t99214\t3\t7\n',
          ),
        { line: 3, reason: /modifier indicator 3 is not one of 0, 1, 9/ },
      ],
      [
        'a repeated key',
        () =>
          write(
            'ncci-aoc-2030q1.tsv',
            'primary_code\taddon_code\taoc_type\n22612\t22633\t1\n22614\t22633\t1\n22612\t22633\t1\n',
          ),
        { line: 4, reason: /2030Q1 \/ 22633 \/ 22612 repeats line 2/ },
      ],
      [
        'a header and no rows',
        () => write('mue-practitioner-2030q1.tsv', 'code\tmue_value\tmai\trationale\n'),
        { line: 1, reason: /no data rows/ },
      ],
    ];

    it.each(badFiles)('%s', async (_name, make, expected) => {
      const path = make();
      const before = await fingerprint(server.dataSource);
      const error = await importer.importFile(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportLineError);
      expect(error).toMatchObject({
        line: expected.line,
        reason: expect.stringMatching(expected.reason),
      });
      expect(await fingerprint(server.dataSource)).toEqual(before);
      const [last] = await server.dataSource.query(
        `SELECT status, error FROM catalog_imports ORDER BY id DESC LIMIT 1`,
      );
      expect(last.status).toBe('failed');
      expect(last.error.reason).toMatch(expected.reason);
    });
  });

  describe('official CMS and CDC formats', () => {
    const fixed = (width: number, fields: Array<[number, string]>) => {
      const line = Array.from({ length: width }, () => ' ');
      for (const [from, text] of fields)
        for (let i = 0; i < text.length; i++) line[from - 1 + i] = text[i]!;
      return line.join('');
    };

    it('reads the ICD-10-CM tabular order file with headers and billable codes', async () => {
      const line = (order: number, code: string, billable: 0 | 1, short: string, long: string) =>
        `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${billable} ${short.padEnd(60)} ${long}`;
      const path = write(
        'icd10cm_order_2031.txt',
        [
          line(1, 'A00', 0, 'Cholera', 'Cholera'),
          line(
            2,
            'A000',
            1,
            'Cholera due to V cholerae',
            'Cholera due to Vibrio cholerae 01, biovar cholerae',
          ),
          '',
        ].join('\r\n'),
      );
      const summary = await importer.importFile(path);
      expect(summary).toMatchObject({
        kind: 'icd10cm-order',
        edition: '2031',
        effectiveDate: '2030-10-01',
        rows: 2,
      });
      // A complete code set ends the codes of older editions it no longer lists, the day before it starts.
      expect(summary.ended).toBeGreaterThan(90_000);
      const [e119] = await server.dataSource.query(
        `SELECT termination_date::text FROM catalog_codes WHERE system = 'ICD10CM' AND code = 'E119' AND edition = '2026'`,
      );
      expect(e119.termination_date).toBe('2030-09-30');
      const rows = await server.dataSource.query(
        `SELECT code, billable, long_description, source_row FROM catalog_codes WHERE edition = '2031' ORDER BY code`,
      );
      expect(rows).toEqual([
        { code: 'A00', billable: false, long_description: 'Cholera', source_row: 1 },
        {
          code: 'A000',
          billable: true,
          long_description: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
          source_row: 2,
        },
      ]);
    });

    it('reads the HCPCS alpha-numeric file: procedures with continuation lines, and modifiers', async () => {
      const path = write(
        'HCPC2031_JAN_ANWEB.txt',
        [
          fixed(320, [
            [1, 'J1010'],
            [6, '00100'],
            [11, '3'],
            [12, 'Injection, methylprednisolone acetate, 1 mg, for the'],
            [92, 'Methylprednisolone acetate'],
            [120, '51'],
            [230, 'C'],
            [257, 'O1E'],
            [261, '1'],
            [269, '20240401'],
            [277, '20240401'],
            [293, 'N'],
          ]),
          fixed(320, [
            [1, 'J1010'],
            [6, '00200'],
            [11, '4'],
            [12, 'purposes of this test'],
          ]),
          fixed(320, [
            [1, 'J1030'],
            [6, '00100'],
            [11, '3'],
            [12, 'Injection, methylprednisolone acetate, 40 mg'],
            [92, 'Methylprednisolone 40 MG inj'],
            [269, '20050101'],
            [285, '20240331'],
            [293, 'D'],
          ]),
          fixed(320, [
            [1, 'XS'],
            [6, '00100'],
            [11, '7'],
            [12, 'Separate structure'],
            [92, 'Separate structure'],
            [269, '20150101'],
          ]),
        ].join('\n') + '\n',
      );
      const summary = await importer.importFile(path);
      expect(summary).toMatchObject({ kind: 'hcpcs-anweb', edition: '2031', rows: 3 });
      const rows = await server.dataSource.query(
        `SELECT system, code, effective_date::text, termination_date::text, long_description, attributes->>'betos' AS betos FROM catalog_codes WHERE edition = '2031' AND import_kind = 'hcpcs-anweb' ORDER BY code`,
      );
      expect(rows).toEqual([
        {
          system: 'HCPCS',
          code: 'J1010',
          effective_date: '2024-04-01',
          termination_date: null,
          long_description:
            'Injection, methylprednisolone acetate, 1 mg, for the purposes of this test',
          betos: 'O1E',
        },
        {
          system: 'HCPCS',
          code: 'J1030',
          effective_date: '2005-01-01',
          termination_date: '2024-03-31',
          long_description: 'Injection, methylprednisolone acetate, 40 mg',
          betos: null,
        },
        {
          system: 'MODIFIER',
          code: 'XS',
          effective_date: '2015-01-01',
          termination_date: null,
          long_description: 'Separate structure',
          betos: null,
        },
      ]);
    });

    it('reads the NCCI PTP text file with its preamble, dates and deletions', async () => {
      const path = write(
        'ccipra-v311r0-f1.txt',
        [
          'CPT codes and descriptions only are copyright American Medical Association. All rights reserved.',
          'Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale',
          '20610\t99213\t\t20240101\t*\t1\tMisuse of column two code with column one code',
          '29881\t29877\t*\t19960101\t20231231\t0\tMutually exclusive procedures',
        ].join('\n') + '\n',
      );
      const summary = await importer.importFile(path, { edition: '2031Q1' });
      expect(summary).toMatchObject({ kind: 'ptp-cms', rows: 2, effectiveDate: '2031-01-01' });
      const rows = await server.dataSource.query(
        `SELECT column1, column2, effective_date::text, deletion_date::text, modifier_indicator, source_row FROM ncci_ptp_edits WHERE edition = '2031Q1' ORDER BY column1`,
      );
      expect(rows).toEqual([
        {
          column1: '20610',
          column2: '99213',
          effective_date: '2024-01-01',
          deletion_date: null,
          modifier_indicator: 1,
          source_row: 3,
        },
        {
          column1: '29881',
          column2: '29877',
          effective_date: '1996-01-01',
          deletion_date: '2023-12-31',
          modifier_indicator: 0,
          source_row: 4,
        },
      ]);

      // CMS ships a quarter in four files by column 1 code: each part replaces only its own codes.
      const part2 = write(
        'ccipra-v311r0-f2.txt',
        [
          'Column 1\tColumn 2\t*\tEffective Date\tDeletion Date\tModifier\tPTP Edit Rationale',
          '99213\t36415\t\t20240101\t*\t0\tStandards of medical/surgical practice',
        ].join('\n') + '\n',
      );
      expect(await importer.importFile(part2, { edition: '2031Q1' })).toMatchObject({
        rows: 1,
        added: 1,
        removed: 0,
      });
      const [{ n }] = await server.dataSource.query(
        `SELECT count(*)::int AS n FROM ncci_ptp_edits WHERE edition = '2031Q1'`,
      );
      expect(n).toBe(3);
      const [edition] = await server.dataSource.query(
        `SELECT file_name FROM catalog_editions WHERE kind = 'ptp-cms' AND edition = '2031Q1'`,
      );
      expect(edition.file_name).toBe('ccipra-v311r0-f1.txt, ccipra-v311r0-f2.txt');
    });

    it('reads the MUE CSV, the add-on code file, the RVU CSV and a licensed CPT file', async () => {
      const mue = write(
        'MCR_MUE_PractitionerServices_Eff_01-01-2031.csv',
        [
          '"CPT codes and descriptions only are copyright American Medical Association."',
          '"HCPCS/CPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator","MUE Rationale"',
          '"20610","2","3 Date of Service Edit: Clinical","Anatomic Consideration"',
          '"99213","1","2 Date of Service Edit: Policy","Code Descriptor / CPT Instruction"',
        ].join('\r\n') + '\r\n',
      );
      expect(await importer.importFile(mue)).toMatchObject({
        kind: 'mue-cms',
        edition: '2031Q1',
        rows: 2,
      });
      expect(
        await server.dataSource.query(
          `SELECT code, mue_value, mai FROM ncci_mue_values WHERE edition = '2031Q1' ORDER BY code`,
        ),
      ).toEqual([
        { code: '20610', mue_value: 2, mai: 3 },
        { code: '99213', mue_value: 1, mai: 2 },
      ]);

      const aoc = write(
        'AOC_V2031Q1.txt',
        [
          'Add-on Code\tAdd-On Code Effective Date\tAdd-On Code Deletion Date\tPrimary Code\tPrimary Code Effective Date\tPrimary Code Deletion Date\tAOC Edit Type\tAOC Edit Effective Date\tAOC Edit Deletion Date\tSpecial Instruction Notes',
          '22633\t20120101\t*\t22612\t20000101\t*\t1\t20120101\t*\t',
          '99417\t20210101\t*\tCCCCC\t\t\t2\t20210101\t*\t',
        ].join('\n') + '\n',
      );
      expect(await importer.importFile(aoc)).toMatchObject({
        kind: 'aoc-cms',
        edition: '2031Q1',
        rows: 2,
      });
      expect(
        await server.dataSource.query(
          `SELECT addon_code, primary_code, aoc_type, effective_date::text FROM ncci_addon_edits WHERE edition = '2031Q1' ORDER BY addon_code`,
        ),
      ).toEqual([
        { addon_code: '22633', primary_code: '22612', aoc_type: 1, effective_date: '2012-01-01' },
        { addon_code: '99417', primary_code: 'CCCCC', aoc_type: 2, effective_date: '2021-01-01' },
      ]);

      const rvu = write(
        'PPRRVU31_JAN.csv',
        [
          'PPRRVU31 national physician fee schedule relative value file',
          'HCPCS,MOD,DESCRIPTION,CODE,PAYMENT,WORK,NON-FAC,NON-FAC,FACILITY,FACILITY,MP,NON-FACILITY,FACILITY,PCTC,GLOB,PRE,INTRA,POST,MULT,BILAT,ASST,CO-,TEAM,ENDO,CONV',
          ',,,STATUS,POLICY,RVU,PE RVU,NA INDICATOR,PE RVU,NA INDICATOR,RVU,TOTAL,TOTAL,IND,DAYS,OP,OP,OP,PROC,SURG,SURG,SURG,SURG,BASE,FACTOR',
          '71046,26,"(descriptor omitted)",A,,0.22,0.08,,0.08,,0.01,0.31,0.31,1,XXX,0.00,0.00,0.00,0,0,0,0,0,,34.0000,09,0,99,0.08,0.08,0.01',
          '99213,,"(descriptor omitted)",A,,1.30,1.28,,0.55,,0.10,2.68,1.95,0,XXX,0.00,0.00,0.00,0,0,0,0,0,,34.0000,09,0,99,1.28,0.55,0.10',
        ].join('\n') + '\n',
      );
      expect(await importer.importFile(rvu)).toMatchObject({
        kind: 'rvu-cms',
        edition: '2031',
        rows: 2,
      });
      expect(
        await server.dataSource.query(
          `SELECT code, modifier, work_rvu::float8, facility_pe_rvu::float8, pctc_ind, conv_factor::float8 FROM mpfs_rvus WHERE edition = '2031' ORDER BY code`,
        ),
      ).toEqual([
        {
          code: '71046',
          modifier: '26',
          work_rvu: 0.22,
          facility_pe_rvu: 0.08,
          pctc_ind: '1',
          conv_factor: 34,
        },
        {
          code: '99213',
          modifier: '',
          work_rvu: 1.3,
          facility_pe_rvu: 0.55,
          pctc_ind: '0',
          conv_factor: 34,
        },
      ]);

      const cpt = write(
        'cpt-2031.txt',
        'code\tdescriptor\n99213\tOwn test summary of an office visit\n0042T\tOwn test summary of a perfusion study\n',
      );
      expect(await importer.importFile(cpt)).toMatchObject({
        kind: 'cpt-licensed',
        edition: '2031',
        effectiveDate: '2031-01-01',
        rows: 2,
      });
      expect(
        await server.dataSource.query(
          `SELECT code, attributes FROM catalog_codes WHERE system = 'CPT' AND edition = '2031' ORDER BY code`,
        ),
      ).toEqual([
        { code: '0042T', attributes: { category: 'III', section: null } },
        { code: '99213', attributes: { category: 'I', section: 'Evaluation and Management' } },
      ]);
    });
  });

  describe('operator upload over REST', () => {
    const upload = async (cookie: string, query: string, body: Buffer | string) => {
      const response = await fetch(`${server.url}/api/catalog/imports?${query}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/octet-stream' },
        body: typeof body === 'string' ? Buffer.from(body) : body,
      });
      return {
        status: response.status,
        body: (await response.json()) as CatalogImport & { code?: string },
      };
    };

    it('previews an uploaded file, applies it once confirmed, and reports the summary', async () => {
      const file = 'primary_code\taddon_code\taoc_type\n22612\t22633\t1\n22614\t22633\t1\n';
      const response = await upload(operator, 'fileName=ncci-aoc-2032q1.tsv&wait=true', file);
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({
        status: 'preview',
        percent: 100,
        kind: 'aoc-tsv',
        edition: '2032Q1',
        preview: { rows: 2, added: 2, removed: 0, warning: null },
      });
      const confirmed = await api<CatalogImport>(
        server.url,
        operator,
        'POST',
        `/api/catalog/imports/${response.body.id}/confirm`,
      );
      expect(confirmed.body).toMatchObject({
        status: 'succeeded',
        summary: { rows: 2, added: 2 },
        restorable: true,
      });
      const polled = await api<CatalogImport>(
        server.url,
        admin,
        'GET',
        `/api/catalog/imports/${response.body.id}`,
      );
      expect(polled.body).toEqual(confirmed.body);
      const again = await upload(operator, 'fileName=ncci-aoc-2032q1.tsv&wait=true', file);
      expect(again.body).toMatchObject({ status: 'unchanged', summary: { unchanged: true } });
    });

    it('reports a bad upload with its line, and runs in the background when not asked to wait', async () => {
      const started = await upload(
        operator,
        'fileName=bad.tsv&kind=mue-tsv&edition=2032Q1',
        'code\tmue_value\tmai\trationale\n20610\ttwo\t3\tx\n',
      );
      expect(started.status).toBe(202);
      let job = started.body;
      for (let i = 0; i < 100 && job.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        job = (
          await api<CatalogImport>(
            server.url,
            operator,
            'GET',
            `/api/catalog/imports/${started.body.id}`,
          )
        ).body;
      }
      expect(job).toMatchObject({
        status: 'failed',
        error: { line: 2, reason: 'MUE value "two" is not a whole number' },
      });
      const list = await api<{ items: CatalogImport[] }>(
        server.url,
        admin,
        'GET',
        '/api/catalog/imports',
      );
      expect(list.body.items[0]!.id).toBe(job.id);
    });

    it('is for the instance operator only; an organization admin may look', async () => {
      for (const cookie of [coder, admin]) {
        const refused = await upload(cookie, 'fileName=x.tsv', 'code\n');
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('forbidden');
      }
      expect((await api(server.url, admin, 'GET', '/api/catalog/imports')).status).toBe(200);
      expect((await api(server.url, coder, 'GET', '/api/catalog/imports')).status).toBe(403);
    });
  });

  describe('search over REST', () => {
    const search = async (query: string) =>
      (await api<CatalogSearchResponse>(server.url, coder, 'GET', `/api/catalog/search?${query}`))
        .body.items;

    it('finds codes with or without the dot, exact first, and words ANDed, filtered by system and date', async () => {
      await server.app.get(CatalogSearchService).refreshed();
      expect((await search('q=e11.9&system=ICD10CM'))[0]).toMatchObject({
        code: 'E119',
        match: 'exact',
        billable: true,
      });
      const e11 = await search('q=E11&system=ICD10CM');
      expect(e11[0]).toMatchObject({ code: 'E11', billable: false, match: 'exact' });
      expect(
        e11.slice(1).every((hit) => hit.code.startsWith('E11') && hit.match === 'prefix'),
      ).toBe(true);
      const words = await search('q=diab%20mell%20kidn&system=ICD10CM&date=2026-03-02');
      expect(words.length).toBeGreaterThan(0);
      expect(
        words.every(
          (hit) =>
            /diab/i.test(hit.longDescription) &&
            /kidn/i.test(hit.longDescription) &&
            hit.match === 'words',
        ),
      ).toBe(true);
      expect(await search('q=j1030&date=2026-03-02')).toEqual([]);
      expect((await search('q=j1030&date=2023-03-02'))[0]).toMatchObject({
        code: 'J1030',
        terminationDate: '2024-03-31',
      });
      expect(await search('q=knee')).toHaveLength(20);
    });
  });
});

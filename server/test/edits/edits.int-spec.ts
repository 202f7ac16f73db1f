/**
 * Checks the engine against the shipped public code sets, which its database already holds.
 * @database code-sets
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EditsInput, EditsReference, EncounterEdits, Finding } from '@countersign/shared';
import { isEvaluationAndManagement, roundCents } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { CatalogGeneration } from '../../src/catalog/catalog-generation.js';
import { CatalogImporter } from '../../src/catalog/import/catalog-importer.js';
import { DEMO_RVU_EDITION, DEMO_RVU_TSV } from '../../src/demo/demo-fee-schedule.js';
import { EditsService } from '../../src/edits/edits.service.js';
import { api, createOrganization, login, startTestApp } from '../support/test-app.js';
import { seededRandom } from '../../src/testing/seeded-random.js';

const DOS = '2026-03-02';
const SEED = Number(process.env.EDITS_SAMPLE_SEED ?? 20_260_302);

let nextLine = 0;
const line = (code: string, modifiers: string[] = [], units = 1) => ({
  id: `line-${++nextLine}`,
  code,
  modifiers,
  units,
  pointers: ['A' as const],
});
const encounter = (lines: EditsInput['lines']): EditsInput => ({
  dateOfService: DOS,
  placeOfService: '11',
  diagnoses: ['M1711'],
  lines,
});
const about = (findings: Finding[], prefix: string, codes: string[]) =>
  findings.filter(
    (f) =>
      f.ruleId.startsWith(prefix) &&
      f.codes.length >= codes.length &&
      codes.every((c, i) => f.codes[i] === c),
  );

/** `count` rows of `table` picked by a seeded random order, so a failure can be replayed with EDITS_SAMPLE_SEED. */
async function sample<T>(
  server: RunningServer,
  sql: string,
  count: number,
  seed: number,
): Promise<T[]> {
  const [{ n }] = await server.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) s`);
  const random = seededRandom(seed);
  const offsets = new Set<number>();
  while (offsets.size < Math.min(count, n)) offsets.add(Math.floor(random() * n));
  return server.dataSource.query(
    `SELECT * FROM (SELECT s.*, row_number() OVER (ORDER BY source_row) - 1 AS k FROM (${sql}) s) t WHERE k = ANY($1::int[])`,
    [[...offsets]],
  );
}

describe(EditsService.name, () => {
  let server: RunningServer;
  let edits: EditsService;

  beforeAll(async () => {
    // Reading the 1.67 million PTP pairs into memory is one COPY that the server reads as fast
    // as its CPU lets it; on a busy two-core machine that passes the pool's 30 s statement limit.
    server = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: '300000' });
    edits = server.app.get(EditsService);
  }, 120_000);
  afterAll(() => server.stop());

  it(`gives exactly the expected PTP finding for 500 random rows of the practitioner file (seed ${SEED})`, async () => {
    const rows = await sample<{
      column1: string;
      column2: string;
      modifier_indicator: number;
      source_row: number;
    }>(
      server,
      `SELECT column1, column2, modifier_indicator, source_row FROM ncci_ptp_edits WHERE edition = '2024Q3'`,
      500,
      SEED,
    );
    expect(rows).toHaveLength(500);
    for (const row of rows) {
      const plain = await edits.evaluate(encounter([line(row.column1), line(row.column2)]));
      const found = about(plain.findings, 'ptp-', [row.column1, row.column2]);
      const expected = row.modifier_indicator === 0 ? 'ptp-not-allowed' : 'ptp-modifier-required';
      expect([row, found.map((f) => [f.ruleId, f.source.row, f.source.edition])]).toEqual([
        row,
        [[expected, row.source_row, '2024Q3']],
      ]);
      expect(found[0]!.source.text).toBe(
        `NCCI PTP practitioner 2024Q3: ${row.column1} / ${row.column2}, modifier indicator ${row.modifier_indicator}`,
      );

      // The bypass that fits the column-2 code: 25 on an E/M, an X modifier on a procedure; the other one is no bypass.
      const [fits, wrong] = isEvaluationAndManagement(row.column2) ? ['25', 'XU'] : ['XU', '25'];
      const modified = await edits.evaluate(
        encounter([line(row.column1), line(row.column2, [fits])]),
      );
      const bypassed = about(modified.findings, 'ptp-', [row.column1, row.column2]).map(
        (f) => f.ruleId,
      );
      expect([row, bypassed]).toEqual([
        row,
        [row.modifier_indicator === 0 ? 'ptp-not-allowed' : 'ptp-modifier-bypass'],
      ]);
      const misused = await edits.evaluate(
        encounter([line(row.column1), line(row.column2, [wrong])]),
      );
      expect([
        row,
        about(misused.findings, 'ptp-', [row.column1, row.column2]).map((f) => f.ruleId),
      ]).toEqual([row, [expected]]);
    }
  }, 120_000);

  it(`gives exactly the expected MUE finding for 200 random rows (seed ${SEED})`, async () => {
    const rows = await sample<{
      code: string;
      mue_value: number;
      mai: 1 | 2 | 3;
      source_row: number;
    }>(
      server,
      `SELECT code, mue_value, mai, source_row FROM ncci_mue_values WHERE edition = '2024Q3' AND mue_value BETWEEN 1 AND 9000`,
      200,
      SEED + 1,
    );
    for (const row of rows) {
      const mue = (result: EncounterEdits) =>
        result.findings.filter((f) => f.ruleId.startsWith('mue-') && f.codes[0] === row.code);
      expect([
        row,
        mue(await edits.evaluate(encounter([line(row.code, [], row.mue_value)]))),
      ]).toEqual([row, []]);

      const over = mue(await edits.evaluate(encounter([line(row.code, [], row.mue_value + 1)])));
      const rule = row.mai === 3 ? 'mue-exceeded-clinical' : 'mue-exceeded';
      expect([row, over.map((f) => [f.ruleId, f.source.row])]).toEqual([
        row,
        [[rule, row.source_row]],
      ]);

      // Split over two lines: only the per-date indicators (2, 3) add the lines up.
      const split = mue(
        await edits.evaluate(
          encounter([line(row.code, ['RT'], row.mue_value), line(row.code, ['LT'], 1)]),
        ),
      );
      expect([row, split.map((f) => f.ruleId)]).toEqual([row, row.mai === 1 ? [] : [rule]]);
    }
  }, 120_000);

  it(`gives exactly the expected add-on finding for 200 random rows of the add-on file (seed ${SEED})`, async () => {
    const rows = await sample<{
      addon_code: string;
      primary_code: string;
      aoc_type: 1 | 2 | 3;
      source_row: number;
    }>(
      server,
      `SELECT addon_code, primary_code, aoc_type, source_row FROM ncci_addon_edits WHERE edition = '2024Q3'`,
      200,
      SEED + 2,
    );
    for (const row of rows) {
      const addOn = (result: EncounterEdits) =>
        result.findings.filter(
          (f) => f.ruleId.startsWith('addon-') && f.codes[0] === row.addon_code,
        );
      const alone = addOn(await edits.evaluate(encounter([line(row.addon_code)])));
      expect([row, alone.map((f) => [f.ruleId, f.source.edition])]).toEqual([
        row,
        [['addon-without-primary', '2024Q3']],
      ]);
      const primary = row.primary_code === 'CCCCC' ? '99213' : row.primary_code;
      const withPrimary = addOn(
        await edits.evaluate(encounter([line(primary), line(row.addon_code)])),
      );
      expect([row, withPrimary]).toEqual([row, []]);
    }
  }, 120_000);

  it('cites the file, edition and row of the example in the issue', async () => {
    const result = await edits.evaluate(encounter([line('99213'), line('20610', ['RT'])]));
    const [ptp] = about(result.findings, 'ptp-', ['20610', '99213']);
    expect(ptp).toMatchObject({
      ruleId: 'ptp-modifier-required',
      severity: 'error',
      source: {
        dataset: 'NCCI PTP practitioner',
        edition: '2024Q3',
        file: 'ncci-ptp-practitioner-2024q3.tsv.gz',
        effectiveDate: '2024-07-01',
        text: 'NCCI PTP practitioner 2024Q3: 20610 / 99213, modifier indicator 1',
      },
    });
    expect(ptp!.source.row).toBeGreaterThan(1);
  });

  it('checks codes on the date of service and diagnoses for billability, against the imported code sets', async () => {
    const result = await edits.evaluate({
      dateOfService: DOS,
      placeOfService: '11',
      diagnoses: ['E11', 'E119', 'E1199'],
      lines: [line('J1030'), line('J1010', [], 40)],
    });
    const byRule = Object.fromEntries(result.findings.map((f) => [`${f.ruleId}:${f.codes[0]}`, f]));
    expect(byRule['code-not-in-effect:J1030']!.message).toContain('ended on 2024-03-31');
    // The catalogue tests may have loaded a later HCPCS edition in the same database: the newest row is cited.
    expect(byRule['code-not-in-effect:J1030']!.source).toMatchObject({
      file: expect.stringMatching(/hcpcs-2026\.tsv|ANWEB/),
      row: expect.any(Number),
    });
    expect(byRule['diagnosis-not-billable:E11']!.source).toMatchObject({
      file: 'icd10cm-2026-headers.tsv.gz',
    });
    expect(byRule['code-unknown:E1199']).toBeDefined();
    expect(byRule['code-unknown:E119']).toBeUndefined();
    expect(Object.keys(byRule).some((k) => k.endsWith(':J1010'))).toBe(false);
  });

  it('estimates fees from the RVUs in force and the conversion factor of the year of service', async () => {
    const [visit] = await server.dataSource.query(
      `SELECT work_rvu::float8 + nonfac_pe_rvu::float8 + mp_rvu::float8 AS total FROM mpfs_rvus WHERE code = '99213' AND modifier = ''`,
    );
    const result = await edits.evaluate(encounter([line('99213', [], 1), line('3074F')]));
    expect(result.fees.conversionFactor).toBe(33.4009);
    expect(result.fees.source).toBe('MPFS RVU 2025, conversion factor 2026 33.4009, non-facility');
    expect(result.fees.lines[0]!.amount).toBe(roundCents(visit.total * 33.4009));
    expect(result.fees.lines[1]).toMatchObject({
      amount: 0,
      note: 'Category II codes carry no charge',
    });
    expect(result.fees.total).toBe(result.fees.lines[0]!.amount);

    const impact = await edits.dollarImpact(
      { dateOfService: DOS, placeOfService: '11' },
      [line('99214')],
      [line('99213')],
    );
    expect(impact.impact).toBeLessThan(0);
    expect(impact.impact).toBe(roundCents(impact.reviewedTotal - impact.coderTotal));
  });

  it('gives the attributes of a code from the edit data in force', async () => {
    const [fee] = await server.dataSource.query(
      `SELECT global_days, pctc_ind, bilat_surg, work_rvu::float8 FROM mpfs_rvus WHERE code = '20610' AND modifier = ''`,
    );
    expect(await edits.attributes('20610', DOS)).toMatchObject({
      code: '20610',
      cptCategory: 'I',
      cptSection: 'Surgery',
      addOn: { isAddOn: false },
      feeSchedule: {
        edition: '2025',
        globalDays: fee.global_days,
        pctc: fee.pctc_ind,
        bilateral: fee.bilat_surg,
        workRvu: fee.work_rvu,
      },
      mue: { value: 2, mai: 3, edition: '2024Q3' },
    });
    const addOn = await edits.attributes('22614', DOS);
    expect(addOn.addOn).toMatchObject({ isAddOn: true, types: [1] });
    expect(addOn.addOn.primaries).toContain('22612');
    expect(addOn.feeSchedule?.globalDays).toBe('ZZZ');
    expect(await edits.attributes('e11.9', DOS)).toMatchObject({
      code: 'E119',
      systems: ['ICD10CM'],
      inEffect: true,
      billable: true,
      feeSchedule: null,
    });
    expect((await edits.attributes('E11', DOS)).billable).toBe(false);
  });

  it('serves the reference data and evaluation over REST, the same as the server computes', async () => {
    const org = await createOrganization(server.dataSource, 'Edits Clinic');
    const cookie = await login(server.url, org.users.coder);
    const input = encounter([line('99213'), line('20610', ['RT'])]);
    const reference = await api<EditsReference>(
      server.url,
      cookie,
      'GET',
      `/api/edits/reference?dateOfService=${DOS}&codes=99213,20610,RT,M17.11`,
    );
    expect(reference.status).toBe(200);
    expect(reference.body.ptp.map((p) => `${p.column1}/${p.column2}`)).toContain('20610/99213');
    expect(reference.body.mue['20610']).toMatchObject({ mai: 3 });
    expect(reference.body.codes['ICD10CM:M1711']).toHaveLength(1);
    const evaluated = await api<EncounterEdits>(
      server.url,
      cookie,
      'POST',
      '/api/edits/evaluate',
      input,
    );
    expect(evaluated.status).toBe(200);
    expect(evaluated.body).toEqual(await edits.evaluate(input));
    expect((await api(server.url, null, 'POST', '/api/edits/evaluate', input)).status).toBe(401);
  });
  it(`prices 200 random RVU rows: (work + PE + MP) x CF x units to the cent, facility and non-facility; unpaid statuses $0 with the reason (seed ${SEED})`, async () => {
    const cf = 33.4009;
    const rows = await sample<{
      code: string;
      status_code: string;
      mult_proc: string;
      source_row: number;
      mue: number;
      nonfac_unit: number;
      facility_unit: number;
    }>(
      server,
      `SELECT r.code, r.status_code, r.mult_proc, r.source_row, COALESCE(m.mue_value, -1) AS mue,
              round((r.work_rvu + CASE WHEN r.nonfac_na THEN r.facility_pe_rvu ELSE r.nonfac_pe_rvu END + r.mp_rvu) * ${cf}, 2)::float8 AS nonfac_unit,
              round((r.work_rvu + r.facility_pe_rvu + r.mp_rvu) * ${cf}, 2)::float8 AS facility_unit
         FROM mpfs_rvus r LEFT JOIN ncci_mue_values m ON m.edition = '2024Q3' AND m.code = r.code
        WHERE r.edition = '2025' AND r.modifier = '' AND r.code !~ '^[0-9]{4}F$'`,
      200,
      SEED + 3,
    );
    expect(rows).toHaveLength(200);
    const random = seededRandom(SEED + 4);
    let paid = 0;
    let unpaid = 0;
    for (const row of rows) {
      const units = 1 + Math.floor(random() * 3);
      for (const [pos, unit] of [
        ['11', row.nonfac_unit],
        ['22', row.facility_unit],
      ] as const) {
        const result = await edits.evaluate({
          ...encounter([line(row.code, [], units)]),
          placeOfService: pos,
        });
        const fee = result.fees.lines[0]!;
        if (!['A', 'R', 'T'].includes(row.status_code)) {
          unpaid += 1;
          expect([
            row,
            pos,
            fee.amount,
            fee.priced,
            fee.note?.startsWith(`Status ${row.status_code}: `),
          ]).toEqual([row, pos, 0, false, true]);
        } else if (row.mue === 0) {
          expect([row, pos, fee.amount, fee.outcome, fee.note]).toEqual([
            row,
            pos,
            0,
            'denied',
            `Denied: MUE 0, ${row.code} is not payable on a practitioner claim`,
          ]);
        } else {
          paid += 1;
          const full = roundCents(unit * units);
          // CMS's multiple procedure rule counts each further unit of an indicator-2 code as another procedure, at 50%.
          const expected =
            row.mult_proc === '2' && units > 1
              ? roundCents((full / units) * (1 + 0.5 * (units - 1)))
              : full;
          expect([row, pos, units, fee.amount, fee.baseAmount, result.fees.total]).toEqual([
            row,
            pos,
            units,
            expected,
            full,
            expected,
          ]);
        }
      }
    }
    expect(paid).toBeGreaterThan(100);
    expect(unpaid).toBeGreaterThan(0);
  }, 120_000);

  it('denies the column-2 line of a real indicator-0 PTP edit: $0, out of the total, and the dollar impact uses the same rule', async () => {
    const candidates: Array<{ column1: string; column2: string }> = await server.dataSource.query(
      `SELECT column1, column2 FROM ncci_ptp_edits WHERE edition = '2024Q3' AND modifier_indicator = 0 AND column1 BETWEEN '10004' AND '69990' LIMIT 20000`,
    );
    const priced: Array<{ code: string; mult_proc: string }> = await server.dataSource.query(
      `SELECT code, mult_proc FROM mpfs_rvus WHERE edition = '2025' AND modifier = '' AND status_code = 'A' AND work_rvu > 0`,
    );
    const paid = new Map(priced.map((r) => [r.code, r.mult_proc]));
    // Column 2 is denied, so it never enters the multiple procedure ranking: column 1 is paid in full.
    const pair = candidates.find((c) => paid.has(c.column1) && paid.has(c.column2))!;
    expect(pair).toBeDefined();
    const lines = [line(pair.column1), line(pair.column2)];
    const result = await edits.evaluate(encounter(lines));
    expect(result.fees.lines[1]).toMatchObject({ amount: 0, outcome: 'denied' });
    expect(result.fees.lines[1]!.baseAmount).toBeGreaterThan(0);
    expect(result.fees.lines[1]!.note).toContain(
      `Denied: NCCI PTP edit ${pair.column1} / ${pair.column2} (modifier indicator 0)`,
    );
    expect(result.fees.total).toBe(result.fees.lines[0]!.amount);
    const impact = await edits.dollarImpact({ dateOfService: DOS, placeOfService: '11' }, lines, [
      lines[0]!,
    ]);
    expect(impact.impact).toBe(0);
  });

  it('knows CPT numbers CMS publishes (17000, 93005, 11042, Category III 0042T) and U codes; warns on an unlisted well-formed one', async () => {
    const result = await edits.evaluate({
      dateOfService: DOS,
      placeOfService: '11',
      diagnoses: ['U071', 'U099'],
      lines: [line('17000'), line('93005'), line('11042'), line('0042T'), line('0999U')],
    });
    const existence = result.findings
      .filter((f) => f.ruleId.startsWith('code-'))
      .map((f) => [f.ruleId, f.severity, f.codes[0]]);
    expect(existence).toEqual([['code-unlisted', 'warning', '0999U']]);
  });

  it('tells edition coverage once per chart: no ICD-10-CM edition for 2025-03-10, no NCCI edition for 2024-03-01, a stale NCCI quarter for 2026', async () => {
    const early = await edits.evaluate({
      dateOfService: '2025-03-10',
      placeOfService: '11',
      diagnoses: ['L97412', 'E119'],
      lines: [line('99213')],
    });
    const icd = early.findings.filter(
      (f) => f.codes[0] === 'ICD10CM' || f.codes.includes('L97412') || f.codes.includes('E119'),
    );
    expect(icd.map((f) => [f.ruleId, f.lineIds])).toEqual([['edition-not-covering', []]]);
    // Other files of the run may have loaded later test editions too; the shipped FY2026 one is named first.
    expect(icd[0]!.message).toMatch(
      /^No loaded ICD-10-CM code set edition covers the date of service 2025-03-10: loaded 2026 \(from 2025-10-01\)(, [^;]+)?; its codes are not checked against any edition\.$/,
    );

    const before = await edits.evaluate({
      ...encounter([line('20610', [], 5), line('99213')]),
      dateOfService: '2024-03-01',
    });
    expect(
      before.findings.filter((f) => f.ruleId.startsWith('ptp-') || f.ruleId.startsWith('mue-')),
    ).toEqual([]);
    const ncci = before.findings.filter(
      (f) => f.ruleId === 'edition-not-covering' && ['PTP', 'MUE'].includes(f.codes[0]!),
    );
    expect(ncci.map((f) => f.codes[0]).sort()).toEqual(['MUE', 'PTP']);
    expect(ncci[0]!.message).toContain('its edits are not applied to this chart');
    expect(before.fees.warnings[0]).toBe(
      'No loaded RVU edition covers 2024-03-01: priced with the nearest, 2025.',
    );

    const late = await edits.evaluate(encounter([line('99213')]));
    const stale = late.findings.filter((f) => f.ruleId === 'ncci-edition-stale');
    expect(stale.map((f) => [f.codes[0], f.lineIds])).toEqual([
      ['PTP', []],
      ['MUE', []],
    ]);
    expect(stale[0]!.message).toContain('2024Q3');
    expect(stale[0]!.message).toContain('2026Q1');
    expect(late.fees.warnings).toEqual([
      'Priced with the 2025 RVUs (edition 2025); no 2026 RVU edition is loaded.',
    ]);
    expect(late.fees).toMatchObject({ rvuEdition: '2025', conversionFactorYear: 2026 });
  });

  it('the demo fee schedule never shadows the official one of the same date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-demo-'));
    try {
      writeFileSync(join(dir, 'demo-rvu.tsv'), DEMO_RVU_TSV);
      await new CatalogImporter(server.dataSource).importFile(join(dir, 'demo-rvu.tsv'), {
        kind: 'rvu-tsv',
        edition: DEMO_RVU_EDITION,
        effectiveDate: '2025-01-01',
      });
      server.app.get(CatalogGeneration).changed();
      const result = await edits.evaluate({
        ...encounter([line('17000'), line('20610')]),
        dateOfService: '2025-06-02',
      });
      expect(result.fees.source).toMatch(/^MPFS RVU 2025, /);
      expect(result.fees.lines.map((l) => l.priced)).toEqual([true, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.dataSource.query(`DELETE FROM mpfs_rvus WHERE edition = $1`, [DEMO_RVU_EDITION]);
      await server.dataSource.query(`DELETE FROM catalog_editions WHERE edition = $1`, [
        DEMO_RVU_EDITION,
      ]);
      server.app.get(CatalogGeneration).changed();
    }
  });

  it('imports the CMS CLFS file by its header names and prices lab lines from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-clfs-'));
    const file = join(dir, 'CLFS 2026 Q1V1.csv');
    writeFileSync(
      file,
      [
        'CMS clinical laboratory fee schedule, public file.',
        '',
        '"YEAR","HCPCS","MOD","EFF_DATE","INDICATOR","RATE","SHORTDESC","LONGDESC"',
        '"2026","36415","","20260101","N","3.00","summary not read","long text not read, with a comma"',
        '"2026","85025","","20260101","N","7.77","summary not read","long text not read"',
        '"2026","0999U","","20260101","N","$1,250.00","summary not read",""',
      ].join('\n') + '\n',
    );
    try {
      const summary = await new CatalogImporter(server.dataSource).importFile(file, {});
      expect(summary).toMatchObject({ kind: 'clfs-cms', edition: '2026Q1' });
      server.app.get(CatalogGeneration).changed();
      const [stored] = await server.dataSource.query(
        `SELECT * FROM clfs_rates WHERE code = '36415'`,
      );
      expect(Object.keys(stored).sort()).toEqual([
        'code',
        'edition',
        'effective_date',
        'indicator',
        'modifier',
        'rate',
        'source_row',
      ]);
      const result = await edits.evaluate(
        encounter([line('36415'), line('85025', [], 2), line('0999U')]),
      );
      expect(result.fees.lines.map((l) => [l.code, l.amount, l.priced])).toEqual([
        ['36415', 3, true],
        ['85025', 15.54, true],
        ['0999U', 1250, true],
      ]);
      expect(result.fees.lines[0]!.note).toBe('Clinical lab fee schedule 2026Q1: $3.00 a unit');
      expect(result.findings.filter((f) => f.ruleId.startsWith('code-'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

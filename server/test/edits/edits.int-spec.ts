import type { EditsInput, EditsReference, EncounterEdits, Finding } from '@countersign/shared';
import { roundCents } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { CatalogGeneration } from '../../src/catalog/catalog-generation.js';
import { EditsService } from '../../src/edits/edits.service.js';
import { api, createOrganization, login, startTestApp } from '../support/test-app.js';
import { clearReferenceData, importReferenceData, seededRandom } from '../catalog/code-sets.js';

const DOS = '2026-03-02';
const SEED = Number(process.env.EDITS_SAMPLE_SEED ?? 20_260_302);

let nextLine = 0;
const line = (code: string, modifiers: string[] = [], units = 1) => ({ id: `line-${++nextLine}`, code, modifiers, units, pointers: ['A' as const] });
const encounter = (lines: EditsInput['lines']): EditsInput => ({ dateOfService: DOS, placeOfService: '11', diagnoses: ['M1711'], lines });
const about = (findings: Finding[], prefix: string, codes: string[]) =>
  findings.filter((f) => f.ruleId.startsWith(prefix) && f.codes.length >= codes.length && codes.every((c, i) => f.codes[i] === c));

/** `count` rows of `table` picked by a seeded random order, so a failure can be replayed with EDITS_SAMPLE_SEED. */
async function sample<T>(server: RunningServer, sql: string, count: number, seed: number): Promise<T[]> {
  const [{ n }] = await server.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) s`);
  const random = seededRandom(seed);
  const offsets = new Set<number>();
  while (offsets.size < Math.min(count, n)) offsets.add(Math.floor(random() * n));
  return server.dataSource.query(`SELECT * FROM (SELECT s.*, row_number() OVER (ORDER BY source_row) - 1 AS k FROM (${sql}) s) t WHERE k = ANY($1::int[])`, [[...offsets]]);
}

describe(EditsService.name, () => {
  let server: RunningServer;
  let edits: EditsService;

  beforeAll(async () => {
    server = await startTestApp();
    await importReferenceData(server.dataSource);
    server.app.get(CatalogGeneration).changed();
    edits = server.app.get(EditsService);
  }, 300_000);
  afterAll(async () => {
    await clearReferenceData(server.dataSource);
    await server.stop();
  });

  it(`gives exactly the expected PTP finding for 500 random rows of the practitioner file (seed ${SEED})`, async () => {
    const rows = await sample<{ column1: string; column2: string; modifier_indicator: number; source_row: number }>(
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
      expect([row, found.map((f) => [f.ruleId, f.source.row, f.source.edition])]).toEqual([row, [[expected, row.source_row, '2024Q3']]]);
      expect(found[0]!.source.text).toBe(`NCCI PTP practitioner 2024Q3: ${row.column1} / ${row.column2}, modifier indicator ${row.modifier_indicator}`);

      const modified = await edits.evaluate(encounter([line(row.column1), line(row.column2, ['XU'])]));
      const bypassed = about(modified.findings, 'ptp-', [row.column1, row.column2]).map((f) => f.ruleId);
      expect([row, bypassed]).toEqual([row, [row.modifier_indicator === 0 ? 'ptp-not-allowed' : 'ptp-modifier-bypass']]);
    }
  }, 120_000);

  it(`gives exactly the expected MUE finding for 200 random rows (seed ${SEED})`, async () => {
    const rows = await sample<{ code: string; mue_value: number; mai: 1 | 2 | 3; source_row: number }>(
      server,
      `SELECT code, mue_value, mai, source_row FROM ncci_mue_values WHERE edition = '2024Q3' AND mue_value BETWEEN 1 AND 9000`,
      200,
      SEED + 1,
    );
    for (const row of rows) {
      const mue = (result: EncounterEdits) => result.findings.filter((f) => f.ruleId.startsWith('mue-') && f.codes[0] === row.code);
      expect([row, mue(await edits.evaluate(encounter([line(row.code, [], row.mue_value)])))]).toEqual([row, []]);

      const over = mue(await edits.evaluate(encounter([line(row.code, [], row.mue_value + 1)])));
      const rule = row.mai === 3 ? 'mue-exceeded-clinical' : 'mue-exceeded';
      expect([row, over.map((f) => [f.ruleId, f.source.row])]).toEqual([row, [[rule, row.source_row]]]);

      // Split over two lines: only the per-date indicators (2, 3) add the lines up.
      const split = mue(await edits.evaluate(encounter([line(row.code, ['RT'], row.mue_value), line(row.code, ['LT'], 1)])));
      expect([row, split.map((f) => f.ruleId)]).toEqual([row, row.mai === 1 ? [] : [rule]]);
    }
  }, 120_000);

  it(`gives exactly the expected add-on finding for 200 random rows of the add-on file (seed ${SEED})`, async () => {
    const rows = await sample<{ addon_code: string; primary_code: string; aoc_type: 1 | 2 | 3; source_row: number }>(
      server,
      `SELECT addon_code, primary_code, aoc_type, source_row FROM ncci_addon_edits WHERE edition = '2024Q3'`,
      200,
      SEED + 2,
    );
    for (const row of rows) {
      const addOn = (result: EncounterEdits) => result.findings.filter((f) => f.ruleId.startsWith('addon-') && f.codes[0] === row.addon_code);
      const alone = addOn(await edits.evaluate(encounter([line(row.addon_code)])));
      expect([row, alone.map((f) => [f.ruleId, f.source.edition])]).toEqual([row, [['addon-without-primary', '2024Q3']]]);
      const primary = row.primary_code === 'CCCCC' ? '99213' : row.primary_code;
      const withPrimary = addOn(await edits.evaluate(encounter([line(primary), line(row.addon_code)])));
      expect([row, withPrimary]).toEqual([row, []]);
    }
  }, 120_000);

  it('cites the file, edition and row of the example in the issue', async () => {
    const result = await edits.evaluate(encounter([line('99213'), line('20610', ['RT'])]));
    const [ptp] = about(result.findings, 'ptp-', ['20610', '99213']);
    expect(ptp).toMatchObject({
      ruleId: 'ptp-modifier-required',
      severity: 'error',
      source: { dataset: 'NCCI PTP practitioner', edition: '2024Q3', file: 'ncci-ptp-practitioner-2024q3.tsv.gz', effectiveDate: '2024-07-01', text: 'NCCI PTP practitioner 2024Q3: 20610 / 99213, modifier indicator 1' },
    });
    expect(ptp!.source.row).toBeGreaterThan(1);
  });

  it('checks codes on the date of service and diagnoses for billability, against the imported code sets', async () => {
    const result = await edits.evaluate({ dateOfService: DOS, placeOfService: '11', diagnoses: ['E11', 'E119', 'E1199'], lines: [line('J1030'), line('J1010', [], 40)] });
    const byRule = Object.fromEntries(result.findings.map((f) => [`${f.ruleId}:${f.codes[0]}`, f]));
    expect(byRule['code-not-in-effect:J1030']!.message).toContain('ended on 2024-03-31');
    // The catalogue tests may have loaded a later HCPCS edition in the same database: the newest row is cited.
    expect(byRule['code-not-in-effect:J1030']!.source).toMatchObject({ file: expect.stringMatching(/hcpcs-2026\.tsv|ANWEB/), row: expect.any(Number) });
    expect(byRule['diagnosis-not-billable:E11']!.source).toMatchObject({ file: 'icd10cm-2026-headers.tsv.gz' });
    expect(byRule['code-unknown:E1199']).toBeDefined();
    expect(byRule['code-unknown:E119']).toBeUndefined();
    expect(Object.keys(byRule).some((k) => k.endsWith(':J1010'))).toBe(false);
  });

  it('estimates fees from the RVUs in force and the conversion factor of the year of service', async () => {
    const [visit] = await server.dataSource.query(`SELECT work_rvu::float8 + nonfac_pe_rvu::float8 + mp_rvu::float8 AS total FROM mpfs_rvus WHERE code = '99213' AND modifier = ''`);
    const result = await edits.evaluate(encounter([line('99213', [], 1), line('3074F')]));
    expect(result.fees.conversionFactor).toBe(33.4009);
    expect(result.fees.source).toBe('MPFS RVU 2025, conversion factor 2026 33.4009, non-facility');
    expect(result.fees.lines[0]!.amount).toBe(roundCents(visit.total * 33.4009));
    expect(result.fees.lines[1]).toMatchObject({ amount: 0, note: 'Category II codes carry no charge' });
    expect(result.fees.total).toBe(result.fees.lines[0]!.amount);

    const impact = await edits.dollarImpact({ dateOfService: DOS, placeOfService: '11' }, [line('99214')], [line('99213')]);
    expect(impact.impact).toBeLessThan(0);
    expect(impact.impact).toBe(roundCents(impact.reviewedTotal - impact.coderTotal));
  });

  it('gives the attributes of a code from the edit data in force', async () => {
    const [fee] = await server.dataSource.query(`SELECT global_days, pctc_ind, bilat_surg, work_rvu::float8 FROM mpfs_rvus WHERE code = '20610' AND modifier = ''`);
    expect(await edits.attributes('20610', DOS)).toMatchObject({
      code: '20610',
      cptCategory: 'I',
      cptSection: 'Surgery',
      addOn: { isAddOn: false },
      feeSchedule: { edition: '2025', globalDays: fee.global_days, pctc: fee.pctc_ind, bilateral: fee.bilat_surg, workRvu: fee.work_rvu },
      mue: { value: 2, mai: 3, edition: '2024Q3' },
    });
    const addOn = await edits.attributes('22614', DOS);
    expect(addOn.addOn).toMatchObject({ isAddOn: true, types: [1] });
    expect(addOn.addOn.primaries).toContain('22612');
    expect(addOn.feeSchedule?.globalDays).toBe('ZZZ');
    expect(await edits.attributes('e11.9', DOS)).toMatchObject({ code: 'E119', systems: ['ICD10CM'], inEffect: true, billable: true, feeSchedule: null });
    expect((await edits.attributes('E11', DOS)).billable).toBe(false);
  });

  it('serves the reference data and evaluation over REST, the same as the server computes', async () => {
    const org = await createOrganization(server.dataSource, 'Edits Clinic');
    const cookie = await login(server.url, org.users.coder);
    const input = encounter([line('99213'), line('20610', ['RT'])]);
    const reference = await api<EditsReference>(server.url, cookie, 'GET', `/api/edits/reference?dateOfService=${DOS}&codes=99213,20610,RT,M17.11`);
    expect(reference.status).toBe(200);
    expect(reference.body.ptp.map((p) => `${p.column1}/${p.column2}`)).toContain('20610/99213');
    expect(reference.body.mue['20610']).toMatchObject({ mai: 3 });
    expect(reference.body.codes['ICD10CM:M1711']).toHaveLength(1);
    const evaluated = await api<EncounterEdits>(server.url, cookie, 'POST', '/api/edits/evaluate', input);
    expect(evaluated.status).toBe(200);
    expect(evaluated.body).toEqual(await edits.evaluate(input));
    expect((await api(server.url, null, 'POST', '/api/edits/evaluate', input)).status).toBe(401);
  });
});

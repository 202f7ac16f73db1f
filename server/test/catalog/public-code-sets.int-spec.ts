import type { DataSource } from 'typeorm';
import type { RunningServer } from '../../src/bootstrap.js';
import { CatalogGeneration } from '../../src/catalog/catalog-generation.js';
import { CatalogSearchService } from '../../src/catalog/catalog-search.service.js';
import { CatalogService } from '../../src/catalog/catalog.service.js';
import { CatalogRepository } from '../../src/catalog/catalog.repository.js';
import {
  CODESETS_DIR,
  PUBLIC_CODE_SET_FILES,
  loadPublicCodeSets,
} from '../../src/catalog/public-code-sets.js';
import { DEMO_CATALOG } from '../../src/demo/demo-catalog.js';
import { seedDemoCatalog } from '../../src/demo/demo-seed.js';
import { DEMO_ENCOUNTERS } from '../../src/demo/demo-encounters.js';
import { startTestApp } from '../support/test-app.js';
import { clearReferenceData } from './code-sets.js';

/** The small shipped files (all but the 1.67 million PTP pairs and ICD-10-CM, which the catalogue test loads). */
const SMALL = PUBLIC_CODE_SET_FILES.filter(
  (f) => !['ptp-tsv', 'icd10cm-tsv', 'icd10cm-headers-tsv'].includes(f.kind),
);

const importRows = async (dataSource: DataSource) =>
  (
    (await dataSource.query(`SELECT count(*)::int AS n FROM catalog_imports`)) as Array<{
      n: number;
    }>
  )[0]!.n;

describe('the public code sets shipped in codesets/', () => {
  let server: RunningServer;
  const lines: string[] = [];
  const logger = { log: (message: string) => void lines.push(message) };

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await clearReferenceData(server.dataSource);
    await server.dataSource.query(`DELETE FROM catalog_codes WHERE import_kind = 'demo'`);
    await server.stop();
  });

  it('loads each file not loaded yet through the importer, with progress lines naming file, percent and rows', async () => {
    const summaries = await loadPublicCodeSets(server.dataSource, logger, CODESETS_DIR, SMALL);
    expect(summaries.map((s) => [s.fileName, s.kind, s.rows, s.unchanged])).toEqual(
      SMALL.map((f) => [f.file, f.kind, f.rows, false]),
    );
    expect(lines[0]).toMatch(/^Loading the public code sets shipped in .*codesets/);
    expect(lines).toContain(`  mpfs-rvu-2025.tsv.gz: 100% done, 19,090 of 19,090 rows`);
    expect(lines.at(-1)).toMatch(/^Public code sets loaded in \d+\.\d s$/);
  });

  it('finds them loaded on the next start: no file is read again and no import row is added', async () => {
    const before = await importRows(server.dataSource);
    lines.length = 0;
    expect(await loadPublicCodeSets(server.dataSource, logger, CODESETS_DIR, SMALL)).toEqual([]);
    expect(lines).toEqual([]);
    expect(await importRows(server.dataSource)).toBe(before);
  });

  it('lets the demo catalogue fill only what no loaded file lists: lookup and search show the official text', async () => {
    await seedDemoCatalog(server.dataSource);
    // Modifier 25: the demo catalogue and the shipped modifier list both start on 2025-01-01, with other words.
    const shipped =
      'Separate, significant E/M visit on the same day as a procedure or other service';
    const demo = DEMO_CATALOG.find((e) => e.system === 'MODIFIER' && e.code === '25')!;
    expect(demo.shortDescription).not.toBe(shipped);

    const looked = await new CatalogService(new CatalogRepository(server.dataSource)).lookup([
      '25',
      '27447',
    ]);
    expect(looked.find((c) => c.code === '25')).toMatchObject({
      system: 'MODIFIER',
      edition: '2026',
      shortDescription: shipped,
    });
    expect(looked.find((c) => c.code === '27447')).toMatchObject({
      system: 'CPT',
      edition: 'demo-2026',
    });

    const catalog = new CatalogRepository(server.dataSource);
    const search = new CatalogSearchService(catalog, new CatalogGeneration(catalog));
    await search.refreshed();
    const byCode = await search.search({ q: '25', system: ['MODIFIER'], limit: 5 });
    expect(byCode[0]).toMatchObject({
      code: '25',
      match: 'exact',
      edition: '2026',
      shortDescription: shipped,
    });
    expect(byCode.filter((h) => h.code === '25')).toHaveLength(1);
    const words = demo.shortDescription.split(/\W+/).slice(0, 2).join(' ');
    expect(
      (await search.search({ q: words, system: ['MODIFIER'], limit: 20 })).filter((h) =>
        h.edition.startsWith('demo-'),
      ),
    ).toEqual([]);

    // 27447 has no public descriptor; the demo summary makes "knee replacement" find it.
    const knee = await search.search({ q: 'knee replacement', system: ['CPT', 'HCPCS'], limit: 5 });
    expect(knee.map((h) => h.code)).toContain('27447');
  });

  it('holds, with the demo catalogue, every code of the demo charts', async () => {
    const codes = new Set(DEMO_ENCOUNTERS.flatMap((d) => d.lines.map((l) => l.code)));
    const looked = await new CatalogService(new CatalogRepository(server.dataSource)).lookup([
      ...codes,
    ]);
    expect([...codes].filter((c) => !looked.some((l) => l.code === c))).toEqual([]);
  });
});

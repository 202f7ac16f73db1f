/**
 * The integration run's databases. The run (with-test-database.mjs) migrates one template
 * database; every test file gets its own copy of it (`CREATE DATABASE … TEMPLATE`, a file copy
 * that takes well under a second) and drops it afterwards, so no file sees what another left.
 * Files that need the shipped public code sets copy a second template that has them loaded,
 * built from the first the first time a file asks for it, once per run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The migrated template (set by with-test-database.mjs). */
export const TEMPLATE_ENV = 'COUNTERSIGN_TEST_TEMPLATE_URL';

/** `url` with another database name. */
export function databaseUrl(url, name) {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

export const databaseName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));

export async function withClient(connectionString, work) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The maintenance database beside `url`, to create and drop databases from. */
export const maintenanceUrl = (url) => databaseUrl(url, 'postgres');

/** Creates a database named after the template and a random suffix, as a copy of the template; returns its URL. */
export async function copyTemplate(templateUrl) {
  const template = databaseName(templateUrl);
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await withClient(maintenanceUrl(templateUrl), async (client) => {
    // A copy fails while anyone is connected to the template; only a concurrent copy or the
    // code-set template's build (which ends its connections first) can be, for a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        if (error.code !== '55006' || attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return databaseUrl(templateUrl, name);
}

export async function dropDatabase(url) {
  await withClient(maintenanceUrl(url), (client) =>
    client.query(`DROP DATABASE IF EXISTS "${databaseName(url)}" WITH (FORCE)`),
  );
}

/** Drops every database whose name starts with the template's: the copies a killed file left, and the templates. */
export async function dropRun(templateUrl) {
  const prefix = databaseName(templateUrl);
  await withClient(maintenanceUrl(templateUrl), async (client) => {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY length(datname) DESC`,
      [prefix],
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

/**
 * The template with the shipped public code sets loaded, as the server's first start loads them:
 * built from the migrated template by the first file that asks, under an advisory lock so
 * parallel workers build it once.
 */
export async function codeSetTemplate(templateUrl) {
  const url = databaseUrl(templateUrl, `${databaseName(templateUrl)}_codesets`);
  const name = databaseName(url);
  await withClient(maintenanceUrl(templateUrl), async (client) => {
    // One lock key per run: the template's name.
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [name]);
    try {
      const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [
        name,
      ]);
      if (rowCount) return;
      const building = `${name}_building`;
      await client.query(`CREATE DATABASE "${building}" TEMPLATE "${databaseName(templateUrl)}"`);
      const { openDatabase } = await import('../../dist/server/src/database/data-source.js');
      const { loadPublicCodeSets } =
        await import('../../dist/server/src/catalog/public-code-sets.js');
      const quiet = { log: () => undefined };
      const dataSource = await openDatabase(databaseUrl(templateUrl, building), {
        poolSize: 2,
        afterMigrations: (ds) => loadPublicCodeSets(ds, quiet),
      });
      await dataSource.destroy();
      // Frozen and analysed once here, so no copy rewrites 1.67 million rows' hint bits on its
      // first read or plans without statistics.
      await withClient(databaseUrl(templateUrl, building), (owner) =>
        owner.query('VACUUM (FREEZE, ANALYZE)'),
      );
      // Renamed only once complete, so a build cut short is never copied.
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  });
  return url;
}

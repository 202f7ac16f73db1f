import type { DataSource } from 'typeorm';

/**
 * The least-privilege role the server's pool runs as. Migrations run as the role in
 * DATABASE_URL (the schema's owner); every pooled connection then starts with
 * `-c role=countersign_app`, so the app's queries have only the grants below. Roles are
 * cluster-wide, so creating it must be idempotent and safe when several servers (or test runs on
 * throw-away databases of one cluster) start at once; the grants are per database.
 */
export const APP_ROLE = 'countersign_app';

/** Tables the app appends to but never changes: the audit trail. */
export const APPEND_ONLY_TABLES = ['encounter_events', 'chart_reads', 'people_events'] as const;

/** The connection option that makes a pooled connection act as the app role. */
export const APP_ROLE_CONNECTION_OPTIONS = `-c role=${APP_ROLE}`;

/**
 * Creates the role when missing, lets the owner act as it, and grants it the tables and sequences
 * of every migration so far: read and write, except UPDATE, DELETE and TRUNCATE on the audit
 * trail and DELETE and TRUNCATE on encounters (never hard-deleted), and nothing on the
 * migrations table. Runs after migrations at every start, in one transaction, so tables another
 * migration added are covered. Triggers (migration AuditTrail) refuse the same for the owner too.
 */
export async function grantAppRole(owner: DataSource): Promise<void> {
  await owner
    .query(
      `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        BEGIN
          CREATE ROLE ${APP_ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL; -- another server or test run created it at the same moment
        END;
      END IF;
    END $$`,
    )
    .catch((error: unknown) => {
      throw new Error(
        `The database user in DATABASE_URL cannot create the role ${APP_ROLE} the server runs as (${messageOf(error)}). ` +
          `Create it once as a superuser: CREATE ROLE ${APP_ROLE} NOLOGIN; GRANT ${APP_ROLE} TO <that user>;`,
      );
    });
  // Postgres 16 separates membership from the right to SET ROLE (a CREATEROLE creator gets ADMIN without SET).
  const [{ version }] = await owner.query<[{ version: number }]>(
    `SELECT current_setting('server_version_num')::int AS version`,
  );
  const privilege = version >= 160000 ? 'SET' : 'MEMBER';
  const [{ member }] = await owner.query<[{ member: boolean }]>(
    `SELECT pg_has_role(current_user, $1, $2) AS member`,
    [APP_ROLE, privilege],
  );
  if (!member) {
    await owner
      .query(`GRANT ${APP_ROLE} TO CURRENT_USER${version >= 160000 ? ' WITH SET TRUE' : ''}`)
      .catch((error: unknown) => {
        throw new Error(
          `The database user in DATABASE_URL cannot act as ${APP_ROLE} (${messageOf(error)}). As a superuser: GRANT ${APP_ROLE} TO <that user>;`,
        );
      });
  }

  await owner.transaction(async (tx) => {
    const [{ schema }] = await tx.query<[{ schema: string }]>(
      `SELECT quote_ident(current_schema()) AS schema`,
    );
    await tx.query(`GRANT USAGE ON SCHEMA ${schema} TO ${APP_ROLE}`);
    await tx.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA ${schema} TO ${APP_ROLE}`,
    );
    await tx.query(
      `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${APP_ROLE}`,
    );
    // Tables created later by this owner start with the ordinary grants; the revokes below run again after every migration.
    await tx.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`,
    );
    await tx.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`,
    );
    await tx.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY_TABLES.join(', ')} FROM ${APP_ROLE}`,
    );
    await tx.query(`REVOKE DELETE, TRUNCATE ON encounters FROM ${APP_ROLE}`);
    await tx.query(`REVOKE ALL ON migrations FROM ${APP_ROLE}`);
    // Imports stage their rows in tables of their own, in a schema kept for that (migration ImportWorkSchema).
    await tx.query(`GRANT USAGE, CREATE ON SCHEMA catalog_work TO ${APP_ROLE}`);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

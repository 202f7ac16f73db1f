import pg from 'pg';

/** The test database's URL as the DATABASE_URL user: the schema's owner (a superuser in the test cluster). */
export const ownerUrl = (): string => process.env.COUNTERSIGN_TEST_DB_URL!;

/**
 * Runs `work` on a connection of its own as the owner, for what the server's least-privilege
 * pool may not do (alter a table, switch a trigger off).
 */
export async function asOwner<T>(
  work: (client: pg.Client) => Promise<T>,
  url = ownerUrl(),
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

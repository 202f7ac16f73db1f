/**
 * The bare reference server of `npm run bench:live`: plain socket.io and pg, no framework, no
 * checks beyond the row lock. Per `line:update`, in one transaction: lock the chart row, bump its
 * version, insert the event, commit; then broadcast the event to the room and acknowledge.
 * It speaks the subset of the app's protocol the load generator uses (`room:join`,
 * `line:update`, `encounter:event`), so one generator drives both.
 *
 * Environment: DATABASE_URL (a database of its own; the tables are created here), PORT.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

interface LineUpdate {
  encounterId: string;
  baseVersion: number;
  opId: string;
  lineId: string;
  patch: Record<string, unknown>;
}
type Ack = (response: unknown) => void;

const BARE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS bare_charts (
    id uuid PRIMARY KEY,
    version integer NOT NULL,
    lines jsonb NOT NULL
  );
  CREATE TABLE IF NOT EXISTS bare_events (
    chart_id uuid NOT NULL REFERENCES bare_charts(id),
    seq integer NOT NULL,
    op_id uuid NOT NULL,
    payload jsonb NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chart_id, seq)
  );`;

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(BARE_SCHEMA);
  const http = createServer();
  const io = new Server(http, { serveClient: false });

  io.on('connection', (socket) => {
    socket.on('room:join', async ({ encounterId }: { encounterId: string }, ack: Ack) => {
      try {
        const { rows } = await pool.query<{ version: number; lines: Array<{ id: string }> }>(
          'SELECT version, lines FROM bare_charts WHERE id = $1',
          [encounterId],
        );
        const chart = rows[0];
        if (!chart) return ack({ ok: false, error: { code: 'not_found', message: 'no chart' } });
        await socket.join(`encounter:${encounterId}`);
        ack({
          ok: true,
          data: { seq: chart.version, encounter: { id: encounterId, ...chart } },
        });
      } catch (error) {
        ack({ ok: false, error: { code: 'internal', message: String(error) } });
      }
    });

    socket.on('line:update', async (command: LineUpdate, ack: Ack) => {
      let client: pg.PoolClient | null = null;
      let seq: number;
      try {
        client = await pool.connect();
        await client.query('BEGIN');
        await client.query('SELECT version FROM bare_charts WHERE id = $1 FOR UPDATE', [
          command.encounterId,
        ]);
        const { rows } = await client.query<{ version: number }>(
          'UPDATE bare_charts SET version = version + 1 WHERE id = $1 RETURNING version',
          [command.encounterId],
        );
        seq = rows[0]!.version;
        await client.query(
          'INSERT INTO bare_events (chart_id, seq, op_id, payload) VALUES ($1, $2, $3, $4)',
          [
            command.encounterId,
            seq,
            command.opId,
            { lineId: command.lineId, patch: command.patch },
          ],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client?.query('ROLLBACK').catch(() => undefined);
        ack({ ok: false, error: { code: 'internal', message: String(error) } });
        return;
      } finally {
        client?.release();
      }
      io.to(`encounter:${command.encounterId}`).emit('encounter:event', {
        encounterId: command.encounterId,
        seq,
        type: 'line.updated',
        opId: command.opId,
        payload: { lineId: command.lineId, patch: command.patch },
        at: new Date().toISOString(),
      });
      ack({ ok: true, data: { seq, duplicate: false } });
    });
  });

  const port = Number(process.env.PORT ?? 4330);
  http.listen(port, '127.0.0.1', () => process.stdout.write(`bare server on ${port}\n`));
  const stop = () => {
    void io.close();
    void pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare server: ${String(error)}\n`);
  process.exit(1);
});

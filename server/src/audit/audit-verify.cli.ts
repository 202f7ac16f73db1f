/**
 * `npm run audit:verify [-- <encounterId>... | --all]`
 *
 * Recomputes the hash chain of each chart's events in the database the server uses
 * (DATABASE_URL, else the embedded Postgres under DATA_DIR), and, without chart ids, each
 * organization's people trail too. Prints one line per broken chain naming its first broken
 * event, then a summary; exits 1 when any chain is broken, 2 on bad
 * arguments or an unknown chart. No patient data is printed.
 */
import { z } from 'zod';
import { loadConfig } from '../config/config.js';
import { openCliDatabase } from '../database/cli-database.js';
import { AuditRepository } from './audit.repository.js';
import { verifyChain } from './chain-verifier.js';
import { PeopleTrail } from './people-trail.js';
import { PeopleTrailRepository } from './people-trail.repository.js';
import { runCli } from '../config/run-cli.js';

const USAGE =
  'usage: npm run audit:verify [-- <encounterId>... | --all]   (no argument: every chart)';

function parseArguments(argv: readonly string[]): string[] | 'all' {
  if (argv.includes('--help') || argv.includes('-h')) throw new Error(USAGE);
  const ids = argv.filter((a) => a !== '--all');
  if (ids.length === 0) return 'all';
  if (argv.includes('--all')) throw new Error(`--all and chart ids do not go together\n${USAGE}`);
  const bad = ids.filter((id) => !z.string().uuid().safeParse(id).success);
  if (bad.length) throw new Error(`Not a chart id: ${bad.join(', ')}\n${USAGE}`);
  return ids;
}

async function main(): Promise<number> {
  let target;
  try {
    target = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const config = loadConfig();
  const { dataSource, close } = await openCliDatabase(config, 'AuditVerify', 2);
  try {
    const audit = new AuditRepository(dataSource);
    const started = performance.now();
    const ids = target === 'all' ? await audit.encounterIds() : target;
    let broken = 0;
    let events = 0;
    for (const id of ids) {
      const check = await verifyChain(audit, id);
      if (!check) {
        process.stderr.write(`encounter ${id}: no such chart\n`);
        return 2;
      }
      events += check.events;
      if (!check.ok) {
        broken += 1;
        process.stdout.write(
          `encounter ${id}: BROKEN at event ${check.brokenAt}: ${check.reason}\n`,
        );
      }
    }
    let trails = 0;
    if (target === 'all') {
      const repository = new PeopleTrailRepository(dataSource);
      const people = new PeopleTrail(repository);
      for (const organizationId of await repository.organizationIds()) {
        const trail = await people.check(organizationId, 0);
        if (!trail) continue;
        trails += 1;
        events += trail.chain.events;
        if (!trail.chain.ok) {
          broken += 1;
          process.stdout.write(
            `people trail of organization ${organizationId}: BROKEN at event ${trail.chain.brokenAt}: ${trail.chain.reason}\n`,
          );
        }
      }
    }
    const ms = performance.now() - started;
    const trailsNote = target === 'all' ? ` and ${trails} people trail(s)` : '';
    const summary = `Verified ${ids.length} chart(s)${trailsNote}, ${events} event(s) in ${ms.toFixed(0)} ms`;
    process.stdout.write(
      broken ? `${summary}: ${broken} broken chain(s)\n` : `${summary}: every chain holds\n`,
    );
    return broken ? 1 : 0;
  } finally {
    await close();
  }
}

runCli(main);

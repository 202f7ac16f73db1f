/**
 * `npm run people:add-admin -- --organization "<name>" --name "<person>" --email <email> [--operator]`
 *
 * How a team starts on a machine without email: adds an organization's first admin (or, with
 * `--operator`, the instance operator who also loads code sets) to the database the server uses
 * (DATABASE_URL, else the embedded Postgres under DATA_DIR; stop a server that runs it first),
 * creating the organization when none has that name, and prints their one-time set-password
 * link. Everyone else is added from the People page. Exits 2 on bad arguments or a taken email.
 */
import { parseArgs } from 'node:util';
import { NewPersonSchema, PASSWORD_LINK_HOURS } from '@countersign/shared';
import { z } from 'zod';
import { PeopleTrail } from '../audit/people-trail.js';
import { PeopleTrailRepository } from '../audit/people-trail.repository.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { SessionsService } from '../auth/sessions.service.js';
import { loadConfig } from '../config/config.js';
import { openCliDatabase } from '../database/cli-database.js';
import { DomainError } from '../errors/domain-error.js';
import { PasswordLinksRepository } from './password-links.repository.js';
import { UserAdminService } from './user-admin.service.js';
import { UsersRepository } from './users.repository.js';
import { runCli } from '../config/run-cli.js';

const USAGE =
  'usage: npm run people:add-admin -- --organization "<name>" --name "<person>" --email <email> [--operator] [--url <https://app.example>]';

const ArgumentsSchema = z.object({
  organization: z.string().trim().min(1, 'name the organization').max(200),
  url: z.string().url().optional(),
});

async function main(): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: process.argv.slice(2),
      options: {
        organization: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        operator: { type: 'boolean', default: false },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const place = ArgumentsSchema.safeParse(options);
  const person = NewPersonSchema.safeParse({
    name: options.name,
    email: options.email,
    role: options.operator ? 'operator' : 'admin',
  });
  const problems = [
    ...(place.success ? [] : place.error.issues),
    ...(person.success ? [] : person.error.issues),
  ].map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
  if (!place.success || !person.success || problems.length) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const { dataSource, close } = await openCliDatabase(config, 'AddAdmin', 2);
  try {
    const admin = new UserAdminService(
      dataSource,
      new UsersRepository(dataSource),
      new PasswordLinksRepository(dataSource),
      new SessionsService(new SessionsRepository(dataSource), config),
      new PeopleTrail(new PeopleTrailRepository(dataSource)),
    );
    const added = await admin.addFirstAdmin(place.data.organization, person.data);
    const base = place.data.url ?? `http://localhost:${config.port}`;
    process.stdout.write(
      `Added ${added.person.name} <${added.person.email}> as ${added.person.role} of "${place.data.organization}".\n` +
        `Their one-time set-password link (works once, for ${PASSWORD_LINK_HOURS} hours; shown only now):\n\n` +
        `  ${new URL(added.link.path, base).toString()}\n\n` +
        `Give it to them yourself. They choose a password there, then sign in and add everyone else on the People page.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await close();
  }
}

runCli(main);

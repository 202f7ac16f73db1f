// Builds the Angular client only when its inputs changed since the last build, so a second
// `npm start` of an unchanged tree does not spend half a minute in `ng build`. The inputs are
// hashed by content (not by date: a checkout or a touched file rebuilds only if bytes differ)
// and the hash is kept beside the output; `--force` always builds (`npm run build`, CI).
//   node scripts/build-client.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'client');
const output = join(client, 'dist', 'client');
const stamp = join(output, 'inputs.sha256');

/**
 * Everything `ng build` reads that can change in this repository: the client's sources and
 * configuration, the built shared package it imports (not its build info, which is no input),
 * and the lock file that pins every dependency.
 */
const INPUTS = [
  'client/src',
  'client/public',
  'client/angular.json',
  'client/tsconfig.json',
  'client/tsconfig.app.json',
  'client/package.json',
  'shared/dist',
  'shared/package.json',
  'tsconfig.base.json',
  'package-lock.json',
];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.tsbuildinfo'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function inputsHash() {
  const hash = createHash('sha256');
  const all = INPUTS.flatMap((input) => files(join(root, input))).sort();
  for (const file of all) {
    hash.update(`${relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
// Hashed before the build, so a file saved while `ng build` runs makes the next start rebuild.
const hash = inputsHash();
const current =
  existsSync(join(output, 'browser', 'index.html')) &&
  existsSync(stamp) &&
  readFileSync(stamp, 'utf8').trim() === hash;

if (current && !force) {
  console.log('client: up to date (inputs unchanged since the last build), not rebuilt');
} else {
  const build = spawnSync('npm', ['run', 'build', '-w', 'client'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, `${hash}\n`);
}

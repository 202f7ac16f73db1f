// Fails when a component style (a .scss file, or a component's inline `styles`) names a colour
// itself instead of using a token: colours are defined once, in src/styles.scss (app tokens
// beside Material's --mat-sys-* system tokens).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../src', import.meta.url));
const TOKEN_FILE = 'styles.scss';
const LITERAL = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/i;

function* styleFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* styleFiles(path);
    else if (entry.name.endsWith('.scss') || /(?<!\.spec)\.ts$/.test(entry.name)) yield path;
  }
}

/** The style lines of a file with their line numbers: all of a .scss, a component's `styles: \`…\``. */
function* styleLines(path, text) {
  const lines = text.split('\n');
  let inStyles = path.endsWith('.scss');
  for (const [i, line] of lines.entries()) {
    if (!path.endsWith('.scss')) {
      if (/^\s*styles: `/.test(line)) inStyles = true;
      else if (inStyles && /^\s*`,?$/.test(line)) inStyles = false;
    }
    if (inStyles) yield [i + 1, line];
  }
}

const found = [];
for (const path of styleFiles(root)) {
  const name = relative(root, path).split('\\').join('/');
  if (name === TOKEN_FILE) continue;
  for (const [number, line] of styleLines(path, readFileSync(path, 'utf8'))) {
    const code = line.replace(/\/\/.*$/, '');
    // A declaration's value, not a selector (`#id {`).
    if (code.includes(':') && !code.trimEnd().endsWith('{') && LITERAL.test(code))
      found.push(`client/src/${name}:${number}: ${line.trim()}`);
  }
}
if (found.length) {
  console.error(
    `Colour literals outside client/src/${TOKEN_FILE}; use a --cs-* or --mat-sys-* token:\n${found.join('\n')}`,
  );
  process.exit(1);
}

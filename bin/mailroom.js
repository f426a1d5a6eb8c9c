#!/usr/bin/env -S node --max-semi-space-size=4
// The `mailroom` command. `npm ci` compiles src/ to dist/ (the `prepare` script), and the command
// runs that: it starts in well under a second. When src/ has changed since the last build (a
// developer at work), it runs the TypeScript sources through tsx instead, so it is never stale.
// A small young generation keeps the resident size near the live heap.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return 0; // an install without sources (the container image): dist/ it is
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAndFresh() {
  try {
    return statSync(join(root, 'dist', '.built')).mtimeMs >= newestSource(join(root, 'src'));
  } catch {
    return false;
  }
}

let runCli;
if (builtAndFresh()) {
  ({ runCli } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));

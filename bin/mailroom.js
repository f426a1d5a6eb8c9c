#!/usr/bin/env -S node --max-semi-space-size=4
// The `mailroom` command. The project runs its TypeScript sources directly through tsx, so a
// fresh clone works after `npm ci` with no build step. A small young generation keeps the
// resident size near the live heap (ingesting email makes much short-lived garbage).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));

#!/usr/bin/env node
// The `mailroom` command. The project runs its TypeScript sources directly through tsx, so a
// fresh clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));

// `npm run bench`: runs each benchmark section against real local servers and prints one table
// (metric, value, target, result) with the machine it ran on.
//   --only <name>[,<name>]  run only these sections (see --list)
//   --quick                 smaller samples, for a smoke run
//   --json                  print {machine, rows} as JSON on stdout instead of the table
//   --strict                exit 1 when a figure misses its target
//   --list                  list the sections and exit
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machineLine } from './machine.ts';
import { formatTable, verdict, type Row } from './report.ts';
import { sections } from './sections/index.ts';

// Ctrl-C or a kill must still run the exit hooks that stop Dovecot and the app.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
// Keeps the loop alive while a teardown awaits an unref'd child (TestDovecot.destroy waits for
// Dovecot's exit event; with nothing else alive Node would quit with code 13 mid-teardown).
setInterval(() => undefined, 60_000);

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
  },
});

if (values.list) {
  for (const s of sections) console.log(`${s.name.padEnd(18)} ${s.title}`);
  process.exit(0);
}

const wanted = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
if (unknown.length) {
  console.error(`unknown section ${unknown.join(', ')}; sections: ${sections.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length ? sections.filter((s) => wanted.includes(s.name)) : sections;

const log = (message: string) => process.stderr.write(`${message}\n`);

// The app runs as `npm start` runs it: compiled (bin/mailroom.js falls back to tsx, slower to start
// and bigger in memory, when src/ is newer than dist/). Build first, and say if src/ changes
// during the run: the figures taken after that are tsx's.
log('[bench] npm run build');
execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
const builtAt = Date.now();
const rows: Row[] = [];
const started = Date.now();
const loadAtStart = os.loadavg()[0]!;
for (const section of chosen) {
  const t0 = Date.now();
  log(`[bench] ${section.name}: ${section.title}`);
  try {
    rows.push(...(await section.run({ quick: values.quick, log })));
  } catch (err) {
    // One broken section must not hide the others' figures.
    log(`[bench] ${section.name} failed: ${(err as Error).stack ?? String(err)}`);
    rows.push({ section: section.name, metric: 'section failed', value: null, unit: 'count', target: { max: 0 }, note: (err as Error).message.split('\n')[0] });
  }
  log(`[bench] ${section.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const machine = describeMachine(loadAtStart);
const editedDuringRun = newestMtime(path.join(process.cwd(), 'src')) > builtAt;
// The anchor the figures are read against (issue 6).
const latency = rows.find((r) => r.section === 'email→slack' && r.metric === 'all: email in Slack thread p50');
const anchor = `anchor: helpdesks that poll IMAP every 60 s show a new email after 30 s on average${latency?.value ? `; Mailroom: ${(latency.value / 1000).toFixed(2)} s (email → Slack p50, Dovecot's 0.5 s IDLE delay included)` : ''}`;
const missed = rows.filter((r) => verdict(r) === 'FAIL');
if (values.json) {
  console.log(JSON.stringify({ machine, quick: values.quick, seconds: (Date.now() - started) / 1000, rows: rows.map((r) => ({ ...r, result: verdict(r) || null })), anchor, editedDuringRun }, null, 2));
} else {
  console.log('');
  console.log(machineLine(machine));
  console.log(`run: ${((Date.now() - started) / 1000).toFixed(0)} s${values.quick ? ' (--quick: small samples)' : ''}`);
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  console.log(anchor);
  console.log(missed.length ? `${missed.length} figure(s) missed their target` : 'every figure with a target met it');
  if (editedDuringRun) console.log('WARNING: src/ changed during the run, so later sections ran the app through tsx: run again');
}
process.exit(values.strict && missed.length ? 1 : 0);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}


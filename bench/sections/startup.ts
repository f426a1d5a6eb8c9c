// Start-up: `node bin/mailroom.js start` as npm start runs it, from spawn to the app's "Mailroom
// started" log line (listening, migrations done) and to "IMAP connected", on a fresh database
// (every migration runs) and on an existing one; the median of several runs each. Then where the
// time goes, each part in its own processes (tools/startup-probe.mjs): Node's boot, registering
// tsx, importing the app's modules through tsx, and the largest libraries alone; building and
// starting the app, and the migrations alone, timed in this process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchRig, type BenchRig } from '../app-rig.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { percentile } from '../stats.ts';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/logger.ts';
import { closeDb, openDb } from '../../src/store/index.ts';
import { makeTempDir } from '../../test/support/tmp.ts';

const SECTION = 'start-up';
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROBE = path.join(ROOT, 'bench', 'tools', 'startup-probe.mjs');
/** The libraries the app loads at start, heaviest first as measured (alone, through tsx). */
const LIBRARIES = ['@slack/bolt', 'imapflow', 'drizzle-orm/better-sqlite3', 'zod', 'mailparser', 'nodemailer', 'html-to-text', 'yaml', 'pino'];

interface Probe {
  boot: number;
  tsx: number;
  modules: number;
  total: number;
}

const median = (xs: number[]) => percentile(xs, 50);

function probe(env: Record<string, string>): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=4', PROBE], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Probe) : reject(new Error(`startup probe exited ${code}: ${err.slice(-500)}`))));
  });
}

const medianProbe = (all: Probe[]): Probe => ({ boot: median(all.map((p) => p.boot)), tsx: median(all.map((p) => p.tsx)), modules: median(all.map((p) => p.modules)), total: median(all.map((p) => p.total)) });

async function probeMedian(runs: number, env: Record<string, string>): Promise<Probe> {
  const all: Probe[] = [];
  for (let i = 0; i < runs; i++) all.push(await probe(env));
  return medianProbe(all);
}

/** One start of the app; spawn → its own log lines (same clock). */
async function timeStart(rig: BenchRig, env: Record<string, string>): Promise<{ ready: number; imap: number }> {
  const t0 = Date.now();
  await rig.startApp(env);
  const logs = rig.logs();
  const ready = logs.find((e) => e.msg === 'Mailroom started')!.time - t0;
  const imap = Math.max(...logs.filter((e) => e.msg === 'IMAP connected').map((e) => e.time)) - t0;
  await rig.stopApp();
  return { ready, imap };
}

/** buildApp + start() in this process (modules already loaded), on a fresh database: the app's own start-up work. */
async function timeBuildAndStart(rig: BenchRig, file: string): Promise<number> {
  const config = loadConfig({ ...rig.env, DATABASE_PATH: file, NODE_OPTIONS: undefined });
  const t = performance.now();
  const app = buildApp(config, { logger: silentLogger() });
  await app.start();
  const ms = performance.now() - t;
  await app.stop();
  return ms;
}

function timeMigrations(runs: number): { fresh: number; existing: number } {
  const dir = makeTempDir('mailroom-bench-migrate-');
  try {
    const fresh: number[] = [];
    const existing: number[] = [];
    for (let i = 0; i < runs; i++) {
      const file = path.join(dir.path, `m${i}.db`);
      for (const list of [fresh, existing]) {
        const t = performance.now();
        closeDb(openDb(file));
        list.push(performance.now() - t);
      }
    }
    return { fresh: median(fresh), existing: median(existing) };
  } finally {
    dir.remove();
  }
}

export const startup: Section = {
  name: 'start-up',
  title: 'Start-up: process start → "Mailroom started" and → IMAP connected, with where the time goes',
  async run(ctx) {
    const runs = ctx.quick ? 2 : 5;
    const rig = await startBenchRig();
    const dir = makeTempDir('mailroom-bench-startup-');
    try {
      await rig.stopApp();
      // Round by round, so a busy machine weighs on every figure alike.
      ctx.log(`  ${runs} rounds: a start on a fresh database, one on an existing one, the split probes`);
      const fresh: { ready: number; imap: number }[] = [];
      const existing: { ready: number; imap: number }[] = [];
      const bares: Probe[] = [];
      const tsxs: Probe[] = [];
      const apps: Probe[] = [];
      const rests: number[] = [];
      for (let i = 0; i < runs; i++) {
        fresh.push(await timeStart(rig, { DATABASE_PATH: path.join(dir.path, `fresh-${i}.db`) }));
        existing.push(await timeStart(rig, {}));
        bares.push(await probe({}));
        tsxs.push(await probe({ PROBE_TSX: '1' }));
        apps.push(await probe({ PROBE_TSX: '1', PROBE_MODULES: './src/cli/main.ts,./src/cli/start.ts' }));
        rests.push(await timeBuildAndStart(rig, path.join(dir.path, `in-process-${i}.db`)));
      }
      const bare = medianProbe(bares);
      const tsx = medianProbe(tsxs);
      const app = medianProbe(apps);
      const libs: { name: string; ms: number }[] = [];
      for (const name of LIBRARIES) libs.push({ name, ms: (await probeMedian(ctx.quick ? 1 : 2, { PROBE_TSX: '1', PROBE_MODULES: name })).modules });
      const migrations = timeMigrations(runs);

      const readyFresh = median(fresh.map((r) => r.ready));
      const readyExisting = median(existing.map((r) => r.ready));
      const imapFresh = median(fresh.map((r) => r.imap));
      const row = (metric: string, value: number, extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit: 'ms', ...extra });
      const list = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
      return [
        row('start → "Mailroom started", fresh database', readyFresh, {
          target: { max: 1000 },
          note: `median of ${runs} (${list(fresh.map((r) => r.ready))} ms): node --max-semi-space-size=4 bin/mailroom.js start as npm start runs it, spawn → the log line's own time; HTTP listening, every migration run`,
        }),
        row('start → "Mailroom started", existing database', readyExisting, { target: { max: 1000 }, note: `median of ${runs} (${list(existing.map((r) => r.ready))} ms); migrations already applied` }),
        row('start → IMAP connected, fresh database', imapFresh, { note: `median of ${runs}: Dovecot on loopback, login and EXAMINE INBOX` }),
        row('split: Node boot', bare.boot, { note: 'process start → the first line of a script runs (performance.now() there)' }),
        row('split: tsx registration', tsx.tsx, { note: 'import tsx/esm/api and register(), as bin/mailroom.js does' }),
        row('split: importing the app’s modules', app.modules, {
          note: `src/cli/main.ts and start.ts (the whole app graph) through tsx, transforms cached; libraries alone through tsx: ${libs.map((l) => `${l.name} ${Math.round(l.ms)}`).join(', ')} ms (shared dependencies count in each)`,
        }),
        row('split: migrations on a fresh database', migrations.fresh, { note: `openDb on a new file (pragmas + every migration); on a migrated one ${migrations.existing.toFixed(1)} ms` }),
        row('split: building and starting the app', median(rests), { note: 'buildApp + start() in the bench process, modules already loaded, fresh database: opening the store (migrations included), Bolt, HTTP listening, starting the watchers and the outbox' }),
      ];
    } finally {
      dir.remove();
      await rig.close();
    }
  },
};

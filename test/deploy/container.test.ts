// The container image, as built by CI (.ci/run builds it and names it in MAILROOM_IMAGE). Podman
// here builds images but can't start containers, so this runs what the image holds the way its
// runtime would: its root file system (podman create + mount), its Env, WorkingDir, User,
// Entrypoint and Cmd, in a PID namespace of its own so Mailroom is PID 1 — by chroot. The image's
// Mailroom then faces a real Dovecot, SMTP server and the fake Slack over the shared loopback.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REQUIRED_BOT_SCOPES } from '../../src/doctor/run-doctor.ts';
import { email } from '../helpers/mailroom.ts';
import { startSlackFront, type SlackFront } from '../support/slack-front.ts';
import { startDovecot, type TestDovecot } from '../support/dovecot.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { freePort } from '../support/ports.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { waitFor } from '../support/wait.ts';

const IMAGE = process.env.MAILROOM_IMAGE;
const CHANNEL = 'C0SUPPORT01';
const INBOX = 'support@example.com';
const IMAP_PASSWORD = 'imap-pass-Cc31';
const APP_TOKEN = 'xapp-1-container-test-0001';

interface ImageConfig {
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, unknown>;
}

interface ImageInspect {
  Config: ImageConfig;
  /** Podman keeps the Docker-format HEALTHCHECK beside Config. */
  Healthcheck?: { Test?: string[] };
}

const podman = (...args: string[]) => execFileSync('podman', args, { encoding: 'utf8' }).trim();

let config: ImageConfig;
let health: ImageInspect['Healthcheck'];
let container = '';
let root = '';
const mounted: string[] = [];
let uid = -1;
let gid = -1;
let dovecot: TestDovecot;
let smtp: TestSmtpServer;
let fake: FakeSlack;
let front: SlackFront;
let port: number;
let app: { child: ChildProcess; out: () => string; pid: () => number; stop(): Promise<number | null> } | undefined;

beforeAll(async () => {
  if (!IMAGE) throw new Error('MAILROOM_IMAGE names no image: these tests run in .ci/run after it builds the image');
  const inspect = (JSON.parse(podman('image', 'inspect', IMAGE)) as ImageInspect[])[0]!;
  config = inspect.Config;
  health = inspect.Healthcheck;
  container = podman('create', IMAGE);
  root = podman('mount', container);
  for (const dir of ['proc', 'dev']) {
    execFileSync('mount', ['--bind', `/${dir}`, join(root, dir)]);
    mounted.push(join(root, dir));
  }
  // The image's user, by name, from the image's own /etc/passwd.
  const user = (config.User ?? 'root').split(':')[0]!;
  const entry = readFileSync(join(root, 'etc', 'passwd'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === user || f[2] === user);
  if (!entry) throw new Error(`user ${user} is not in the image's /etc/passwd`);
  [uid, gid] = [Number(entry[2]), Number(entry[3])];

  [dovecot, smtp, fake] = await Promise.all([
    startDovecot({ users: [{ user: INBOX, password: IMAP_PASSWORD }] }),
    startSmtpServer(),
    startFakeSlack({ channels: [{ id: CHANNEL, name: 'support' }] }),
  ]);
  front = await startSlackFront(fake, { appToken: APP_TOKEN, scopes: [...REQUIRED_BOT_SCOPES], socket: true });
  const c = await dovecot.connect();
  await c.logout();
  port = await freePort();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  for (const m of mounted.reverse()) execFileSync('umount', ['--lazy', m]);
  if (container) {
    podman('unmount', container);
    podman('rm', '--force', container);
  }
  await Promise.all([dovecot?.destroy(), smtp?.stop(), front?.stop(), fake?.stop()]);
});

/** The image's Env, then the test's settings: Socket Mode, as the README and compose.yaml run it. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const fromImage = Object.fromEntries((config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return {
    ...fromImage,
    SLACK_BOT_TOKEN: fake.token,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: front.url,
    PORT: String(port),
    MAILROOM_CHANNEL: CHANNEL,
    MAILROOM_ADDRESS: INBOX,
    IMAP_HOST: '127.0.0.1',
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    IMAP_USER: INBOX,
    IMAP_PASSWORD,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** `chroot` into the image as its user, in its working directory; `pid1` runs it as its own PID 1. */
function inImage(command: string[], o: { pid1?: boolean } = {}): ChildProcess {
  const chroot = ['chroot', `--userspec=${uid}:${gid}`, root, '/bin/sh', '-c', 'cd "$0" && exec "$@"', config.WorkingDir || '/', ...command];
  const argv = o.pid1 ? ['unshare', '--pid', '--fork', '--kill-child', `--mount-proc=${join(root, 'proc')}`, ...chroot] : chroot;
  return spawn(argv[0]!, argv.slice(1), { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
}

function runInImage(command: string[]): Promise<{ code: number | null; out: string }> {
  const child = inImage(command);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

/** The image's HEALTHCHECK command, as the runtime would run it. */
function healthcheck(): Promise<{ code: number | null; out: string }> {
  const [kind, ...rest] = health?.Test ?? [];
  if (kind === 'CMD') return runInImage(rest);
  if (kind === 'CMD-SHELL') return runInImage(['/bin/sh', '-c', rest.join(' ')]);
  throw new Error(`the image has no HEALTHCHECK command (${JSON.stringify(health)})`);
}

function startImage() {
  const child = inImage([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], { pid1: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // unshare forks once; its child execs chroot, sh and then the entrypoint in the same process.
  const pid = () => Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  return {
    child,
    out: () => out,
    pid,
    async stop() {
      if (child.exitCode === null) process.kill(pid(), 'SIGTERM');
      return exited;
    },
  };
}

describe('the container image', () => {
  it('is configured as documented: non-root node user, /data volume and database, /healthz health check, SIGTERM', () => {
    expect(config.User).toBe('node');
    expect(uid).not.toBe(0);
    expect(Object.keys(config.Volumes ?? {})).toEqual(['/data']);
    expect(config.Env).toContain('DATABASE_PATH=/data/mailroom.db');
    expect(JSON.stringify(health?.Test)).toContain('/healthz');
    expect(statSync(join(root, 'data')).uid).toBe(uid);
    // Only what runs: no sources, tests or dev tools in the image.
    for (const absent of ['app/src', 'app/test', 'app/node_modules/typescript', 'app/node_modules/vitest', 'app/.env']) expect(existsSync(join(root, absent)), absent).toBe(false);
  });

  it('is what compose.yaml expects: its volume for the database and backups, a restart policy, settings from env_file', () => {
    const compose = parse(readFileSync(join(import.meta.dirname, '..', '..', 'compose.yaml'), 'utf8')) as {
      services: { mailroom: { volumes: string[]; env_file: string; restart: string; environment: { DATABASE_PATH: string; MAILROOM_BACKUP_DIR: string } } };
    };
    const service = compose.services.mailroom;
    const target = service.volumes.map((v) => v.split(':')[1]);
    expect(target).toEqual(Object.keys(config.Volumes ?? {}));
    expect(service.environment.DATABASE_PATH.startsWith(`${target[0]}/`)).toBe(true);
    expect(service.environment.MAILROOM_BACKUP_DIR.startsWith(`${target[0]}/`)).toBe(true);
    expect(service.env_file).toBe('.env');
    expect(service.restart).toBe('unless-stopped');
  });

  it('starts, serves /healthz and passes its own HEALTHCHECK, runs as node and as PID 1, keeps its database in /data', async () => {
    app = startImage();
    await waitFor(() => /"msg":"Mailroom started"/.test(app!.out()), { timeoutMs: 30_000, description: () => `"Mailroom started" in:\n${app!.out().slice(-2000)}` });
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    // …and says so once the inbox's IMAP connection is up.
    await waitFor(async () => ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { imap: Record<string, boolean> }).imap.inbox, { timeoutMs: 10_000 });
    const check = await healthcheck();
    expect(check, check.out).toMatchObject({ code: 0 });

    const status = readFileSync(`/proc/${app.pid()}/status`, 'utf8');
    expect(/^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/)).toEqual(Array(4).fill(String(uid)));
    expect(/^Gid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/)).toEqual(Array(4).fill(String(gid)));
    expect(/^NSpid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/).at(-1)).toBe('1');

    // A real email through the image's Mailroom, into Slack and into the database in /data.
    await dovecot.append(INBOX, 'INBOX', email({ to: INBOX, subject: 'From inside the image' }));
    await waitFor(() => fake.messagesIn(CHANNEL).find((m) => JSON.stringify(m.blocks ?? m.text).includes('From inside the image')), { timeoutMs: 15_000 });
    const file = join(root, 'data', 'mailroom.db');
    expect(statSync(file).uid).toBe(uid);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('select subject from conversations').all()).toEqual([{ subject: 'From inside the image' }]);
    } finally {
      db.close();
    }
  });

  it('runs mailroom doctor: every check passes against the same servers', async () => {
    const run = await runInImage([...(config.Entrypoint ?? []), 'doctor']);
    expect(run.out).toMatch(/^✔ IMAP support@example\.com@127\.0\.0\.1:/m);
    expect(run.out).toMatch(/^✔ Slack auth\.test/m);
    expect(run.out).toMatch(/^All good: /m);
    expect(run.code).toBe(0);
  });

  it('stops cleanly on SIGTERM as PID 1, and its health check then fails', async () => {
    const code = await app!.stop();
    expect(app!.out()).toMatch(/"signal":"SIGTERM"[^\n]*"msg":"stopping"/);
    expect(app!.out()).toMatch(/"msg":"Mailroom stopped"/);
    expect(code).toBe(0);
    app = undefined;
    expect((await healthcheck()).code).not.toBe(0);
  });
});

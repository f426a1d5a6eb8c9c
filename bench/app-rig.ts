// Mailroom as a real child process (`node bin/mailroom.js start`) on a throw-away Dovecot and the
// fake Slack Web API, with a persistent IMAP connection per inbox for delivering mail and the
// app's own JSON log lines parsed, so sections can time each step from outside and from the
// app's log. One inbox is configured by environment variables; several by a YAML file
// (MAILROOM_CONFIG). The app can be stopped and started again on the same database.
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { startAppProcess, type AppProcess } from '../test/helpers/app-process.ts';
import { startDovecot, type TestDovecot } from '../test/support/dovecot.ts';
import { startFakeSlack, type FakeSlack } from '../test/support/fake-slack.ts';
import { makeTempDir, type TempDir } from '../test/support/tmp.ts';
import { sleep, waitFor } from '../test/support/wait.ts';

export const CHANNEL = 'C0BENCH001';
export const INBOX_ADDRESS = 'support@example.com';
export const MEMBER = 'U0BENCH001';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const PASSWORD = 'bench-password';

export interface BenchInbox {
  name: string;
  channel: string;
  address: string;
}

export const DEFAULT_INBOX: BenchInbox = { name: 'Acme Support', channel: CHANNEL, address: INBOX_ADDRESS };

export interface LogEntry {
  /** Epoch ms, written by the app (same clock as ours). */
  time: number;
  msg: string;
  [field: string]: unknown;
}

export interface Delivered {
  uid: number;
  /** Epoch ms when the APPEND completed: the message is in the mailbox. */
  at: number;
  /** Messages in the mailbox after this one (what an IDLE client is told in EXISTS). */
  count: number;
}

export interface BenchRig {
  dovecot: TestDovecot;
  slack: FakeSlack;
  /** The running app (a new process after restart()). */
  readonly app: AppProcess;
  inboxes: readonly BenchInbox[];
  /** The environment the app runs with (its configuration). */
  env: Readonly<Record<string, string>>;
  /** http://127.0.0.1:<port>/slack/events of the running app. */
  readonly eventsUrl: string;
  /** Epoch ms when the running app's process was spawned. */
  readonly spawnedAt: number;
  /** APPENDs one message to an inbox (the first by default) over a connection kept open. */
  deliver(raw: Buffer, address?: string): Promise<Delivered>;
  /** APPENDs batches at once over as many connections, each batch in order on its own one. */
  deliverParallel(batches: Buffer[][], address?: string): Promise<void>;
  /** The app's log lines so far, parsed (of the current process; earlier ones in `history`). */
  logs(): LogEntry[];
  /** Resident set size of the app now, and its peak so far (VmHWM), in bytes. */
  memory(): { rss: number; peak: number };
  /** Resets the app's VmHWM to its current RSS (Linux clear_refs), so `peak` covers what follows. */
  resetPeak(): boolean;
  /** CPU time (user + system) the app has used so far, in ms. */
  cpuMs(): number;
  /** File descriptors the app has open now (/proc/<pid>/fd). */
  openFds(): number;
  /** TCP connections the app has open to Dovecot now. */
  imapConnections(): number;
  /** Stops the app (SIGTERM); the database, Dovecot and the fake Slack stay. */
  stopApp(): Promise<void>;
  /** Starts the app again (on the same database unless `env` says otherwise); resolves once it is ready and every inbox is connected. */
  startApp(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface BenchRigOptions {
  /** Extra environment for the app (MAILROOM_POSTS_PER_SECOND, LOG_LEVEL...). */
  env?: Record<string, string>;
  /** The inboxes (default one, by environment variables); two or more go in a YAML config. */
  inboxes?: BenchInbox[];
  /** Where replies go (default 127.0.0.1:2525, where nothing listens). */
  smtp?: { host: string; port: number };
  /** Dovecot also takes OAuth2 tokens, checked at this introspection URL. */
  oauth2IntrospectionUrl?: string;
  /** Configure even a single inbox by a YAML file (MAILROOM_CONFIG), as several are. */
  yaml?: boolean;
}

// utime and stime, in clock ticks (USER_HZ, 100 on Linux), after the command name in parentheses.
function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function readStatusKb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
}

/** Sockets of a process connected to a local TCP port (its fds' inodes looked up in /proc/net/tcp). */
function connectionsTo(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // f[2] remote address:port, f[3] state (01 ESTABLISHED), f[9] inode
    if (f.length > 9 && f[2]!.endsWith(`:${hexPort}`) && f[3] === '01' && inodes.has(f[9]!)) n++;
  }
  return n;
}

/** Parses the app's JSON log lines incrementally (the output only grows). */
function logReader(app: AppProcess) {
  const entries: LogEntry[] = [];
  let parsedUpTo = 0;
  return () => {
    const out = app.output();
    const end = out.lastIndexOf('\n') + 1;
    for (const line of out.slice(parsedUpTo, end).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const e = JSON.parse(line) as LogEntry;
        if (typeof e.time === 'number' && typeof e.msg === 'string') entries.push(e);
      } catch {
        // not a log line
      }
    }
    parsedUpTo = Math.max(parsedUpTo, end);
    return entries;
  };
}

function yamlConfig(inboxes: readonly BenchInbox[], dovecot: TestDovecot, smtp: { host: string; port: number }): string {
  const lines = ['inboxes:'];
  for (const i of inboxes) {
    lines.push(
      `  - name: ${JSON.stringify(i.name)}`,
      `    channel: ${i.channel}`,
      `    address: ${i.address}`,
      `    imap: { host: ${dovecot.host}, port: ${dovecot.port}, secure: false, user: ${JSON.stringify(i.address)}, password: ${JSON.stringify(PASSWORD)} }`,
      `    smtp: { host: ${smtp.host}, port: ${smtp.port} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Starts Dovecot, the fake Slack and the app, and resolves once the app watches every inbox. */
export async function startBenchRig(o: BenchRigOptions = {}): Promise<BenchRig> {
  const inboxes = o.inboxes ?? [DEFAULT_INBOX];
  const smtp = o.smtp ?? { host: '127.0.0.1', port: 2525 };
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const dovecot = await startDovecot({
      users: inboxes.map((i) => ({ user: i.address, password: PASSWORD })),
      // The app's connection and ours for delivering, per inbox, and a few more.
      ...(inboxes.length > 40 ? { maxConnections: 3 * inboxes.length + 50 } : {}),
      ...(o.oauth2IntrospectionUrl ? { oauth2IntrospectionUrl: o.oauth2IntrospectionUrl } : {}),
    });
    cleanups.push(() => dovecot.destroy());
    const slack = await startFakeSlack({
      users: [{ id: MEMBER, name: 'ana', real_name: 'Ana Lima', email: 'ana@example.com' }],
      channels: inboxes.map((i) => ({ id: i.channel, name: i.name.toLowerCase().replace(/\W+/g, '-'), members: [MEMBER] })),
    });
    cleanups.push(() => slack.stop());
    // Logging in creates the Maildir, so INBOX exists before the app opens it.
    const mailers = new Map<string, ImapFlow>();
    cleanups.push(async () => {
      for (const m of mailers.values()) await m.logout().catch(() => m.close());
    });
    for (const i of inboxes) mailers.set(i.address, await dovecot.connect(i.address));
    const dir: TempDir = makeTempDir('mailroom-bench-');
    cleanups.push(() => dir.remove());

    const common: Record<string, string> = {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: '0',
      DATABASE_PATH: path.join(dir.path, 'mailroom.db'),
      MAILROOM_SEND_DELAY_SECONDS: '0',
      LOG_LEVEL: 'info',
    };
    let inboxEnv: Record<string, string>;
    if (inboxes.length === 1 && !o.yaml) {
      const i = inboxes[0]!;
      inboxEnv = {
        MAILROOM_CHANNEL: i.channel,
        MAILROOM_ADDRESS: i.address,
        MAILROOM_NAME: i.name,
        IMAP_HOST: dovecot.host,
        IMAP_PORT: String(dovecot.port),
        IMAP_SECURE: 'false',
        IMAP_USER: i.address,
        IMAP_PASSWORD: PASSWORD,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
      };
    } else {
      const file = path.join(dir.path, 'mailroom.yaml');
      writeFileSync(file, yamlConfig(inboxes, dovecot, smtp));
      inboxEnv = { MAILROOM_CONFIG: file };
    }
    const env = {
      ...common,
      ...inboxEnv,
      ...o.env,
      // Investigating the app under load, e.g. BENCH_APP_NODE_OPTIONS='--import ./bench/tools/cpu-profile.mjs'.
      NODE_OPTIONS: [o.env?.NODE_OPTIONS, process.env.BENCH_APP_NODE_OPTIONS].filter(Boolean).join(' '),
    };

    let app: AppProcess | null = null;
    let logs: () => LogEntry[] = () => [];
    let port = 0;
    let spawnedAt = 0;
    let firstStart = true;
    const stopApp = async () => {
      const current = app;
      if (!current) return;
      app = null;
      const exited = current.kill('SIGTERM');
      const timer = setTimeout(() => void current.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    };
    cleanups.push(stopApp);
    const startApp = async (extra: Record<string, string> = {}) => {
      spawnedAt = Date.now();
      const started = startAppProcess({ ...env, ...extra });
      app = started;
      logs = logReader(started);
      port = await started.ready;
      // First start records "from now on": mail must only arrive after the app has looked. Later
      // starts: every inbox connected.
      const line = firstStart ? 'first start on this mailbox' : 'IMAP connected';
      firstStart = false;
      await waitFor(() => logs().filter((e) => e.msg === line).length >= inboxes.length, {
        timeoutMs: 15_000 + 100 * inboxes.length,
        description: () => `the app to open ${inboxes.length} inbox(es); output:\n${started.output().slice(-2000)}`,
      });
      await sleep(300);
    };
    await startApp();

    const counts = new Map<string, number>();
    const extra = new Map<string, ImapFlow[]>();
    cleanups.push(async () => {
      for (const list of extra.values()) for (const c of list) await c.logout().catch(() => c.close());
    });
    const running = () => {
      if (!app) throw new Error('the app is not running');
      return app;
    };
    const pid = () => running().child.pid!;
    return {
      dovecot,
      slack,
      get app() {
        return running();
      },
      inboxes,
      env,
      get eventsUrl() {
        return `http://127.0.0.1:${port}/slack/events`;
      },
      get spawnedAt() {
        return spawnedAt;
      },
      async deliver(raw, address = inboxes[0]!.address) {
        // A kicked session (doveadm kick ends every session of the user, ours too) is opened again.
        let mailer = mailers.get(address)!;
        if (!mailer.usable) {
          mailer = await dovecot.connect(address);
          mailers.set(address, mailer);
        }
        const result = await mailer.append('INBOX', raw);
        const at = Date.now();
        if (!result || !result.uid) throw new Error('APPEND did not return a UID');
        const count = (counts.get(address) ?? 0) + 1;
        counts.set(address, count);
        return { uid: result.uid, at, count };
      },
      async deliverParallel(batches, address = inboxes[0]!.address) {
        const pool = extra.get(address) ?? [];
        extra.set(address, pool);
        while (pool.length < batches.length) pool.push(await dovecot.connect(address));
        await Promise.all(
          batches.map(async (batch, i) => {
            for (const raw of batch) {
              await pool[i]!.append('INBOX', raw);
              counts.set(address, (counts.get(address) ?? 0) + 1);
            }
          }),
        );
      },
      logs: () => logs(),
      memory: () => ({ rss: readStatusKb(pid(), 'VmRSS') * 1024, peak: readStatusKb(pid(), 'VmHWM') * 1024 }),
      resetPeak() {
        try {
          writeFileSync(`/proc/${pid()}/clear_refs`, '5');
          return true;
        } catch {
          return false;
        }
      },
      cpuMs: () => readCpuMs(pid()),
      openFds: () => readdirSync(`/proc/${pid()}/fd`).length,
      imapConnections: () => connectionsTo(pid(), dovecot.port),
      stopApp,
      startApp,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

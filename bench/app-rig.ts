// Mailroom as a real child process (`node bin/mailroom.js start`) on a throw-away Dovecot and the
// fake Slack Web API, with a persistent IMAP connection for delivering mail and the app's own
// JSON log lines parsed, so sections can time each step from outside and from the app's log.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { startAppProcess, type AppProcess } from '../test/helpers/app-process.ts';
import { startDovecot, type TestDovecot } from '../test/support/dovecot.ts';
import { startFakeSlack, type FakeSlack } from '../test/support/fake-slack.ts';
import { makeTempDir, type TempDir } from '../test/support/tmp.ts';
import { sleep, waitFor } from '../test/support/wait.ts';

export const CHANNEL = 'C0BENCH001';
export const INBOX_ADDRESS = 'support@example.com';
const MEMBER = 'U0BENCH001';
const PASSWORD = 'bench-password';

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
  /** Messages in INBOX after this one (what an IDLE client is told in EXISTS). */
  count: number;
}

export interface BenchRig {
  dovecot: TestDovecot;
  slack: FakeSlack;
  app: AppProcess;
  /** APPENDs one message to the inbox over a connection kept open for the run. */
  deliver(raw: Buffer): Promise<Delivered>;
  /** APPENDs batches at once over as many connections, each batch in order on its own one. */
  deliverParallel(batches: Buffer[][]): Promise<void>;
  /** The app's log lines so far, parsed. */
  logs(): LogEntry[];
  /** Resident set size of the app now, and its peak so far (VmHWM), in bytes. */
  memory(): { rss: number; peak: number };
  /** CPU time (user + system) the app has used so far, in ms. */
  cpuMs(): number;
  close(): Promise<void>;
}

export interface BenchRigOptions {
  /** Extra environment for the app (MAILROOM_POSTS_PER_SECOND, LOG_LEVEL...). */
  env?: Record<string, string>;
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

/** Starts Dovecot, the fake Slack and the app, and resolves once the app watches the inbox. */
export async function startBenchRig(o: BenchRigOptions = {}): Promise<BenchRig> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const dovecot = await startDovecot({ users: [{ user: INBOX_ADDRESS, password: PASSWORD }] });
    cleanups.push(() => dovecot.destroy());
    const slack = await startFakeSlack({
      users: [{ id: MEMBER, name: 'ana', real_name: 'Ana Lima', email: 'ana@example.com' }],
      channels: [{ id: CHANNEL, name: 'support', members: [MEMBER] }],
    });
    cleanups.push(() => slack.stop());
    // Logging in creates the Maildir, so INBOX exists before the app opens it.
    const mailer: ImapFlow = await dovecot.connect();
    cleanups.push(() => mailer.logout().catch(() => mailer.close()));
    const dir: TempDir = makeTempDir('mailroom-bench-');
    cleanups.push(() => dir.remove());

    const app = startAppProcess({
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789',
      SLACK_API_URL: slack.url,
      PORT: '0',
      MAILROOM_CHANNEL: CHANNEL,
      MAILROOM_ADDRESS: INBOX_ADDRESS,
      MAILROOM_NAME: 'Acme Support',
      IMAP_HOST: dovecot.host,
      IMAP_PORT: String(dovecot.port),
      IMAP_SECURE: 'false',
      IMAP_USER: INBOX_ADDRESS,
      IMAP_PASSWORD: PASSWORD,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '2525',
      DATABASE_PATH: path.join(dir.path, 'mailroom.db'),
      MAILROOM_SEND_DELAY_SECONDS: '0',
      LOG_LEVEL: 'info',
      ...o.env,
      // Investigating the app under load, e.g. BENCH_APP_NODE_OPTIONS='--import ./bench/tools/cpu-profile.mjs'.
      NODE_OPTIONS: [o.env?.NODE_OPTIONS, process.env.BENCH_APP_NODE_OPTIONS].filter(Boolean).join(' '),
    });
    cleanups.push(async () => {
      const exited = app.kill('SIGTERM');
      const timer = setTimeout(() => void app.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    });

    // Parsed incrementally: the output only grows.
    const entries: LogEntry[] = [];
    let parsedUpTo = 0;
    const logs = () => {
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

    await app.ready;
    // First start records "from now on": mail must only arrive after the app has looked.
    await waitFor(() => logs().some((e) => e.msg === 'first start on this mailbox'), {
      timeoutMs: 15_000,
      description: () => `the app to open the inbox; output:\n${app.output().slice(-2000)}`,
    });
    await sleep(300);

    let count = 0;
    const pid = app.child.pid!;
    const extra: ImapFlow[] = [];
    cleanups.push(async () => {
      for (const c of extra) await c.logout().catch(() => c.close());
    });
    return {
      dovecot,
      slack,
      app,
      async deliver(raw) {
        const result = await mailer.append('INBOX', raw);
        const at = Date.now();
        if (!result || !result.uid) throw new Error('APPEND did not return a UID');
        return { uid: result.uid, at, count: ++count };
      },
      async deliverParallel(batches) {
        while (extra.length < batches.length) extra.push(await dovecot.connect());
        await Promise.all(
          batches.map(async (batch, i) => {
            for (const raw of batch) {
              await extra[i]!.append('INBOX', raw);
              count++;
            }
          }),
        );
      },
      logs,
      memory: () => ({ rss: readStatusKb(pid, 'VmRSS') * 1024, peak: readStatusKb(pid, 'VmHWM') * 1024 }),
      cpuMs: () => readCpuMs(pid),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

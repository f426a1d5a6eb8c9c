/**
 * A real, throw-away Dovecot IMAP server per test file: own temp dir, own port, plain IMAP on
 * 127.0.0.1, Maildir with special-use Sent/Drafts/Junk/Trash/Archive. Needs Debian's dovecot-imapd.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { AppendResponseObject } from 'imapflow';
import { DEFAULT_SPECIAL_MAILBOXES, renderDovecotConfig, renderOAuth2Config } from './dovecot-config.ts';
import type { DovecotAccount, SpecialMailbox } from './dovecot-config.ts';
import { freePort } from './ports.ts';
import { waitFor } from './wait.ts';

const DOVECOT = '/usr/sbin/dovecot';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface StartDovecotOptions {
  /** Accounts (passwords must not contain ':'). Default: one user support@example.com / support-password. */
  users?: DovecotUser[];
  /** false removes IDLE from the advertised capabilities (for polling fallbacks). Default true. */
  idle?: boolean;
  /** Also accept XOAUTH2/OAUTHBEARER, checking each token at this RFC 7662 introspection URL. */
  oauth2IntrospectionUrl?: string;
  /** Connections the server takes at once, above its default of 100 (many-inbox benchmarks). */
  maxConnections?: number;
}

export interface TestDovecot {
  host: string;
  port: number;
  users: DovecotUser[];
  /** The instance's temp dir (config, users file, mail/<user>/Maildir). */
  dir: string;
  /** Stops the server and waits for it; mail stays on disk. Graceful SIGTERM (~1 s), or SIGKILL of every Dovecot process with crash: true (~10 ms). */
  stop(opts?: { crash?: boolean }): Promise<void>;
  /** Starts the server again on the same port with the same mail, after stop(). */
  start(): Promise<void>;
  /** Stops the server and deletes its temp dir. */
  destroy(): Promise<void>;
  /** Delivers a raw message into a mailbox with IMAP APPEND from a short connection. */
  append(user: string, mailbox: string, raw: string | Buffer, flags?: string[], date?: Date): Promise<AppendResponseObject>;
  /** Creates a mailbox; with specialUse (e.g. '\\Archive') Dovecot is reconfigured to advertise it. */
  createMailbox(user: string, name: string, specialUse?: string): Promise<void>;
  /** Adds an account while running (passwd-file is re-read on change). */
  addUser(user: string, password: string): Promise<void>;
  /** Opens a logged-in imapflow client (first user by default); the caller logs out. */
  connect(user?: string): Promise<ImapFlow>;
  /** imapflow-style connection settings for a user (first user by default). */
  imapOptions(user?: string): { host: string; port: number; secure: false; auth: { user: string; pass: string } };
  /** Ends every session of a user, the way Exchange ends one whose token expired (doveadm kick). */
  kick(user: string): Promise<void>;
  /** What Dovecot logged so far (for diagnosing a failing test). */
  logs(): string;
}

// Every live instance and undeleted dir, so an exiting test process takes them down with it.
const running = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
}

// The wrapper ties Dovecot's life to ours: when our end of its stdin closes (stop() or this process
// dying, even by SIGKILL) it SIGTERMs Dovecot and waits for it, because Node never kills children.
const WRAPPER = `exec 3<&0
${DOVECOT} -F -c "$1" </dev/null &
pid=$!
{ cat <&3 >/dev/null; kill -TERM "$pid" 2>/dev/null; } &
watcher=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
wait "$pid"; status=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done
kill "$watcher" 2>/dev/null
exit $status`;

function systemAccount(): DovecotAccount {
  if (process.getuid?.() === 0) {
    const nobody = execFileSync('id', ['-u', 'nobody']).toString().trim();
    const nogroup = execFileSync('id', ['-g', 'nobody']).toString().trim();
    return { root: true, uid: Number(nobody), gid: Number(nogroup), userName: 'nobody', groupName: '' };
  }
  const info = os.userInfo();
  const groupName = execFileSync('id', ['-gn']).toString().trim();
  return { root: false, uid: info.uid, gid: info.gid, userName: info.username, groupName };
}

// Resolves once the server sends its "* OK" greeting: an open port alone is not yet a working server.
function greeting(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('data', (d) => {
      text += d.toString();
      if (text.startsWith('* OK')) done(true);
      else if (text.includes('\n')) done(false);
    });
    socket.on('error', () => done(false));
  });
}

/** Starts a throw-away Dovecot on a free port and resolves once it greets. */
export async function startDovecot(opts: StartDovecotOptions = {}): Promise<TestDovecot> {
  if (!existsSync(DOVECOT)) {
    throw new Error(`${DOVECOT} not found: install Dovecot with "apt-get install -y --no-install-recommends dovecot-imapd"`);
  }
  installExitHook();
  const users = [...(opts.users ?? [{ user: 'support@example.com', password: 'support-password' }])];
  const account = systemAccount();
  const mailboxes: SpecialMailbox[] = [...DEFAULT_SPECIAL_MAILBOXES];
  const port = await freePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailroom-dovecot-'));
  dirs.add(dir);
  await fs.chmod(dir, 0o755); // the auth process must be able to read `users`
  await fs.mkdir(path.join(dir, 'mail'));
  if (account.root) await fs.chown(path.join(dir, 'mail'), account.uid, account.gid);
  const confPath = path.join(dir, 'dovecot.conf');
  const usersPath = path.join(dir, 'users');

  let log = '';
  let child: ChildProcess | undefined;

  const writeUsers = () => fs.writeFile(usersPath, users.map((u) => `${u.user}:{PLAIN}${u.password}\n`).join(''), { mode: 0o644 });
  const writeConfig = async () => {
    if (opts.oauth2IntrospectionUrl) await fs.writeFile(path.join(dir, 'oauth2.conf.ext'), renderOAuth2Config(opts.oauth2IntrospectionUrl), { mode: 0o644 });
    await fs.writeFile(confPath, renderDovecotConfig({ dir, port, account, idle: opts.idle ?? true, mailboxes, oauth2IntrospectionUrl: opts.oauth2IntrospectionUrl, maxConnections: opts.maxConnections }));
  };

  function passwordOf(user: string): string {
    const found = users.find((u) => u.user === user);
    if (!found) throw new Error(`no Dovecot test user ${user} (have ${users.map((u) => u.user).join(', ')})`);
    return found.password;
  }

  function imapOptions(user = users[0]?.user ?? '') {
    return { host: '127.0.0.1', port, secure: false as const, auth: { user, pass: passwordOf(user) } };
  }

  async function connect(user?: string): Promise<ImapFlow> {
    const client = new ImapFlow({ ...imapOptions(user), logger: false, disableAutoIdle: true });
    client.on('error', () => {}); // a dropped connection during an outage test must not crash the worker
    await client.connect();
    return client;
  }

  async function withClient<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await connect(user);
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async function start(): Promise<void> {
    if (child) return;
    // Own process group, so destroy() can kill Dovecot and all its children at once.
    const proc = spawn('/bin/sh', ['-c', WRAPPER, 'sh', confPath], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    // A forgotten instance must not keep the test process alive; the pipe closing at exit stops it.
    proc.unref();
    (proc.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    (proc.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    proc.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      running.delete(proc);
      if (child === proc) child = undefined;
    });
    child = proc;
    running.add(proc);
    try {
      await waitFor(async () => (exited ? Promise.reject(new Error('dovecot exited')) : greeting(port, 1000)), {
        timeoutMs: 10_000,
        intervalMs: 25,
        description: () => `Dovecot greeting on port ${port}`,
      });
    } catch (err) {
      await stop();
      throw new Error(`Dovecot did not start: ${(err as Error).message}\n--- dovecot log ---\n${log}`);
    }
  }

  async function stop(stopOpts: { crash?: boolean } = {}): Promise<void> {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    if (stopOpts.crash && proc.pid) {
      process.kill(-proc.pid, 'SIGKILL'); // the wrapper, Dovecot and its children, at once
    } else {
      proc.stdin?.end(); // graceful: Dovecot takes about 1 s to shut down
    }
    await exited;
    // Dovecot refuses to start while master.pid names a live process, and an unreaped zombie (a
    // container whose PID 1 does not reap) counts as live.
    if (stopOpts.crash) await fs.rm(path.join(dir, 'run', 'master.pid'), { force: true });
  }

  // Makes a running Dovecot re-read its config, then waits until new logins see the change.
  async function reload(user: string, name: string, specialUse: string): Promise<void> {
    const pid = Number((await fs.readFile(path.join(dir, 'run', 'master.pid'), 'utf8')).trim());
    process.kill(pid, 'SIGHUP');
    await waitFor(
      async () =>
        withClient(user, async (client) => {
          const list = await client.list();
          return list.some((m) => m.path === name && m.flags.has(specialUse));
        }),
      { timeoutMs: 5000, intervalMs: 50, description: `Dovecot to advertise ${name} as ${specialUse}` },
    );
  }

  await writeUsers();
  await writeConfig();
  await start();

  return {
    host: '127.0.0.1',
    port,
    users,
    dir,
    stop,
    start,
    async destroy() {
      await stop({ crash: true });
      await fs.rm(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    append: (user, mailbox, raw, flags, date) =>
      withClient(user, async (client) => {
        const result = await client.append(mailbox, raw, flags, date);
        if (!result) throw new Error(`APPEND to ${mailbox} failed`);
        return result;
      }),
    async createMailbox(user, name, specialUse) {
      if (specialUse) {
        mailboxes.push({ name, specialUse });
        await writeConfig();
      }
      await withClient(user, async (client) => {
        await client.mailboxCreate(name);
      });
      if (specialUse && child) await reload(user, name, specialUse);
    },
    async addUser(user, password) {
      users.push({ user, password });
      await writeUsers();
    },
    connect,
    imapOptions,
    async kick(user) {
      execFileSync('/usr/bin/doveadm', ['-c', confPath, 'kick', user], { stdio: 'ignore' });
    },
    logs: () => log,
  };
}

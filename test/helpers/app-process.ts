// Mailroom as a real child process (`node bin/mailroom.js start`), for tests and benchmarks that
// kill it, restart it, or measure its memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'mailroom.js');

export interface AppProcess {
  child: ChildProcess;
  /** Everything the process wrote to stderr/stdout so far. */
  output(): string;
  /** Resolves with the HTTP port once the app logged "Mailroom started". */
  ready: Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function startAppProcess(env: Record<string, string>, args: string[] = ['start']): AppProcess {
  const child = spawn(process.execPath, ['--max-semi-space-size=4', BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let resolveReady: (port: number) => void;
  let rejectReady: (err: Error) => void;
  const ready = new Promise<number>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  let isReady = false;
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    if (isReady) return;
    const m = /"port":(\d+|null)[^\n]*"msg":"Mailroom started"/.exec(out);
    if (m) {
      isReady = true;
      resolveReady(m[1] === 'null' ? 0 : Number(m[1]));
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      live.delete(child);
      rejectReady(new Error(`mailroom exited (${code}) before it was ready:\n${out.slice(-2000)}`));
      res(code);
    }),
  );
  ready.catch(() => undefined);
  return {
    child,
    output: () => out,
    ready,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb * 1024;
    },
  };
}

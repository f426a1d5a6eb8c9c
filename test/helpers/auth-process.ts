// `mailroom auth` as a real process, and what a browser does with its sign-in link.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/wait.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mailroom.js');

export interface AuthProcess {
  child: ChildProcessWithoutNullStreams;
  exit: Promise<number | null>;
  out(): string;
  err(): string;
}

export function runAuth(args: string[], env: Record<string, string>): AuthProcess {
  const child = spawn(process.execPath, [BIN, 'auth', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

/** Opens the sign-in link printed by `p` as a browser would, and returns where the provider redirects it. */
export async function openSignInLink(p: AuthProcess): Promise<string> {
  const link = await waitFor(() => /^\s+(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(p.err())?.[1], {
    timeoutMs: 15_000,
    description: () => `the sign-in link in:\n${p.err()}`,
  });
  const res = await fetch(link, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`the provider answered ${res.status}, not a redirect`);
  return res.headers.get('location')!;
}

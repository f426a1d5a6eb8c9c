// `mailroom start` with a bad configuration stops at once: non-zero exit status, and on stderr one
// clear line naming the variable, never a stack trace.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAppProcess } from '../../helpers/app-process.ts';

const VALID: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-fake-token',
  SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  PORT: '0',
  MAILROOM_CHANNEL: 'C0SUPPORT1',
  MAILROOM_ADDRESS: 'support@example.com',
  IMAP_HOST: '127.0.0.1',
  IMAP_PORT: '1143',
  IMAP_SECURE: 'false',
  IMAP_USER: 'support@example.com',
  IMAP_PASSWORD: 'pw',
  SMTP_HOST: '127.0.0.1',
  // Never opened: start-up stops before anything is built.
  DATABASE_PATH: join(tmpdir(), 'mailroom-bad-config-never-created', 'mailroom.db'),
};

async function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const p = startAppProcess(env);
  let stderr = '';
  let stdout = '';
  p.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  p.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await Promise.race([
    new Promise<number | null>((resolve) => p.child.once('close', (c) => resolve(c))),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after 15 s:\n${p.output()}`)), 15_000)),
  ]).finally(() => p.kill('SIGKILL'));
  return { code, stderr, stdout };
}

describe('mailroom start with a bad configuration', () => {
  it.concurrent.each<[string, Record<string, string>, string]>([
    ['a missing MAILROOM_CHANNEL', { MAILROOM_CHANNEL: '' }, 'MAILROOM_CHANNEL'],
    ['IMAP_PORT=abc', { IMAP_PORT: 'abc' }, 'IMAP_PORT'],
  ])('%s: exits non-zero with one line naming the variable', async (_name, change, variable) => {
    const env: Record<string, string> = { ...VALID, ...change };
    for (const [k, v] of Object.entries(change)) if (v === '') delete env[k];
    const { code, stderr, stdout } = await run(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/Error:|node:internal/);
    expect(stdout).toBe('');
    expect(existsSync(env.DATABASE_PATH!)).toBe(false);
  }, 20_000);
});

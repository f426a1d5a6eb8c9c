import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAIL_FIXTURES } from './fixtures.ts';

const run = promisify(execFile);
const BIN = new URL('../../../bin/mailroom.js', import.meta.url).pathname;

async function inspect(args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [BIN, 'inspect', ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; code?: number };
    return { stdout: e.stdout ?? '', code: e.code ?? -1 };
  }
}

const eml = (name: string) => join(MAIL_FIXTURES, 'eml', name);

describe('mailroom inspect --json', () => {
  it('prints one object per input with exactly the documented fields', async () => {
    const { stdout, code } = await inspect(['--json', eml('bounce-dsn.eml'), eml('rfc2231-filename.eml')]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]).sort()).toEqual(
      ['file', 'messageId', 'inReplyTo', 'references', 'from', 'to', 'cc', 'replyTo', 'subject', 'baseSubject', 'date',
        'kind', 'bounce', 'forwarded', 'text', 'reply', 'attachments'].sort(),
    );
    expect(lines[0].kind).toBe('bounce');
    expect(lines[0].bounce).toEqual({ permanent: true, status: '5.1.1', recipients: ['ravi@kunde.test'], originalMessageId: 'reply-42.abc@acme.test', reason: 'userunknown', retryable: false });
    expect(lines[0].date).toBe('2024-03-05T08:00:05.000Z');
    expect(lines[1].attachments[0]).toEqual({ filename: 'Rechnung März.pdf', contentType: 'application/pdf', size: 9, inline: false });
  });

  it('reads bare bodies with --body and --subject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-inspect-'));
    const body = join(dir, 'body.txt');
    writeFileSync(body, 'From: Dana Fox <dana@kunde.test>\nSent: Tuesday, March 5, 2024 9:02 AM\nTo: sales@acme.test\nSubject: Hello\n\nHi!\n');
    const { stdout } = await inspect(['--json', '--subject', 'FW: Hello', '--body', body]);
    const out = JSON.parse(stdout);
    expect(out.forwarded.from).toEqual({ name: 'Dana Fox', address: 'dana@kunde.test' });
    expect(out.date).toBeNull();
    expect(out.baseSubject).toBe('Hello');
  });

  it('still gives a line for a file it cannot read, and exits non-zero', async () => {
    const { stdout, code } = await inspect(['--json', '/nonexistent/mail.eml', eml('human-plain.eml')]);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: '/nonexistent/mail.eml', text: '', kind: 'human' });
    expect(lines[0].error).toMatch(/ENOENT/);
    expect(lines[1].reply).toBe('Looks good, please go ahead.');
    expect(code).toBe(1);
  });
});

describe('mailroom inspect (human summary)', () => {
  it('shows sender, kind and the reply', async () => {
    const { stdout } = await inspect([eml('human-plain.eml')]);
    expect(stdout).toContain('From:        Ravi Patel <ravi@kunde.test>');
    expect(stdout).toContain('Kind:        human');
    expect(stdout).toContain('--- reply ---\nLooks good, please go ahead.');
  });

  it('rejects unknown options with a usage message', async () => {
    const { code } = await inspect(['--bogus']);
    expect(code).toBe(2);
  });
});

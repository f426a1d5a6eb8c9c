import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { composeEmail } from '../support/mail.ts';
import { freePort } from '../support/ports.ts';
import { makeTempDir } from '../support/tmp.ts';
import { sleep, waitFor } from '../support/wait.ts';

describe('small test helpers', () => {
  it('waitFor returns the first truthy value and times out with the description', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? `done after ${n}` : undefined), { intervalMs: 1 })).toBe('done after 3');
    await expect(waitFor(() => false, { timeoutMs: 50, description: 'the moon' })).rejects.toThrow(/timed out after 50 ms waiting for: the moon/);
    await expect(waitFor(() => { throw new Error('boom'); }, { timeoutMs: 30 })).rejects.toThrow(/last error: boom/);
  });

  it('freePort gives a port that can be listened on', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect((server.address() as net.AddressInfo).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });

  it('makeTempDir creates and removes a directory', async () => {
    const dir = makeTempDir();
    writeFileSync(path.join(dir.path, 'x'), 'y');
    expect(existsSync(path.join(dir.path, 'x'))).toBe(true);
    dir.remove();
    expect(existsSync(dir.path)).toBe(false);
    await sleep(1);
  });

  it('composeEmail builds a message with threading headers', async () => {
    const raw = await composeEmail({
      from: 'Alice <alice@example.org>',
      to: 'support@example.com',
      subject: 'Re: Order 42',
      text: 'Thanks!',
      messageId: '<reply@example.org>',
      inReplyTo: '<orig@example.com>',
      references: ['<orig@example.com>'],
      attachments: [{ filename: 'a.txt', content: 'attached' }],
    });
    expect(raw.toString()).toContain('\r\n');
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe('<reply@example.org>');
    expect(parsed.inReplyTo).toBe('<orig@example.com>');
    expect(parsed.attachments[0]?.content.toString()).toBe('attached');
  });
});

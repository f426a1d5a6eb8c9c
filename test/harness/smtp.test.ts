import { afterEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startSmtpServer } from '../support/smtp.ts';
import type { TestSmtpServer } from '../support/smtp.ts';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function transport(port: number, auth?: { user: string; pass: string }) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth, connectionTimeout: 2000 });
}

describe('test SMTP server', () => {
  it('records what nodemailer sends, with envelope and parsed headers', async () => {
    server = await startSmtpServer();
    await transport(server.port).sendMail({
      from: 'support@example.com',
      to: ['alice@example.org', 'bob@example.org'],
      subject: 'Hello there',
      text: 'Body text',
      messageId: '<abc@example.com>',
      inReplyTo: '<parent@example.org>',
    });
    const [msg] = await server.waitForMessages(1);
    expect(msg?.from).toBe('support@example.com');
    expect(msg?.to).toEqual(['alice@example.org', 'bob@example.org']);
    expect(msg?.parsed.subject).toBe('Hello there');
    expect(msg?.parsed.inReplyTo).toBe('<parent@example.org>');
    expect(msg?.raw.toString()).toContain('Message-ID: <abc@example.com>');
  });

  it('checks AUTH credentials', async () => {
    server = await startSmtpServer({ auth: { user: 'u', password: 'p' } });
    await expect(transport(server.port, { user: 'u', pass: 'wrong' }).sendMail({ from: 'a@x.test', to: 'b@x.test', text: 'x' }))
      .rejects.toMatchObject({ responseCode: 535 });
    await transport(server.port, { user: 'u', pass: 'p' }).sendMail({ from: 'a@x.test', to: 'b@x.test', text: 'x' });
    const [msg] = await server.waitForMessages(1);
    expect(msg?.user).toBe('u');
  });

  it('answers injected failures at DATA and RCPT, then accepts again', async () => {
    server = await startSmtpServer();
    const t = transport(server.port);
    server.failNext(1, 451, 'Greylisted');
    await expect(t.sendMail({ from: 'a@x.test', to: 'b@x.test', text: '1' })).rejects.toMatchObject({ responseCode: 451 });
    server.failNext(1, 550, 'No such user', 'rcpt');
    await expect(t.sendMail({ from: 'a@x.test', to: 'b@x.test', text: '2' })).rejects.toMatchObject({ responseCode: 550 });
    await t.sendMail({ from: 'a@x.test', to: 'b@x.test', text: '3' });
    const msgs = await server.waitForMessages(1);
    expect(msgs.map((m) => m.parsed.text?.trim())).toEqual(['3']);
    expect(server.rejections.map((r) => [r.stage, r.code])).toEqual([['data', 451], ['rcpt', 550]]);
  });

  it('refuses connections and accepts them again on the same port', async () => {
    server = await startSmtpServer();
    const port = server.port;
    await server.refuseConnections();
    await expect(transport(port).sendMail({ from: 'a@x.test', to: 'b@x.test', text: 'x' })).rejects.toMatchObject({ code: 'ESOCKET' });
    await server.acceptConnections();
    expect(server.port).toBe(port);
    await transport(port).sendMail({ from: 'a@x.test', to: 'b@x.test', text: 'y' });
    await server.waitForMessages(1);
  });

  it('times out waitForMessages with a clear message', async () => {
    server = await startSmtpServer();
    await expect(server.waitForMessages(1, 100)).rejects.toThrow(/1 SMTP message\(s\) \(have 0\)/);
  });
});

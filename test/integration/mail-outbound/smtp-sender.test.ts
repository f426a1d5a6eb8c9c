import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { mrkdwnToEmail } from '../../../src/core/mrkdwn-to-email.ts';
import { newMessageId } from '../../../src/core/message-id.ts';
import { replyHeaders, replyRecipients } from '../../../src/core/reply-headers.ts';
import { createSmtpSender } from '../../../src/mail/outbound/smtp-sender.ts';
import type { MailSender, OutgoingEmail } from '../../../src/mail/outbound/mail-sender.ts';
import { startSmtpServer } from '../../support/smtp.ts';
import type { TestSmtpServer } from '../../support/smtp.ts';

const logger = silentLogger();
const binary = randomBytes(4096);

/** A reply built the way the outbox worker builds one, from the customer's last email. */
function replyEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  const parent = { messageId: 'CAF-second@mail.example.org', references: ['first@mail.example.org'], inReplyTo: 'first@mail.example.org' };
  const headers = replyHeaders(parent);
  const recipients = replyRecipients({
    lastInbound: {
      from: { name: 'Cliente Núñez', address: 'cliente@example.org' },
      replyTo: [],
      to: [{ name: 'Support', address: 'support@acme.test' }],
      cc: [{ name: 'Boss', address: 'boss@example.org' }],
    },
    ourAddresses: ['support@acme.test'],
  });
  const body = mrkdwnToEmail('Hi *Cliente*, see <https://acme.test/docs|the docs> :tada:', { users: {} });
  return {
    from: { name: 'Ana (Acme Support)', address: 'support@acme.test' },
    ...recipients,
    bcc: [{ name: '', address: 'audit@acme.test' }],
    subject: 'Re: Pedido nº 42',
    ...body,
    messageId: newMessageId({ token: 'conv42', domain: 'acme.test' }),
    inReplyTo: headers.inReplyTo,
    references: headers.references,
    attachments: [
      { filename: 'report.bin', contentType: 'application/octet-stream', content: binary },
      { filename: '../../etc/passwd', contentType: 'text/plain', content: Buffer.from('root:x:0:0\n') },
    ],
    ...overrides,
  };
}

describe('SMTP sender against a real SMTP server', () => {
  let server: TestSmtpServer;
  let sender: MailSender;

  beforeAll(async () => {
    server = await startSmtpServer();
    sender = createSmtpSender({ host: server.host, port: server.port, starttls: 'never', logger });
  });
  afterEach(() => server.clear());
  afterAll(async () => {
    sender.close();
    await server.stop();
  });

  it('delivers a reply with every header, both parts and the attachment bytes', async () => {
    const email = replyEmail();
    const result = await sender.send(email);
    expect(result).toMatchObject({ ok: true, rejected: [] });
    const [received] = await server.waitForMessages(1);
    const parsed = received!.parsed;
    expect(received!.from).toBe('support@acme.test');
    expect(received!.to.sort()).toEqual(['audit@acme.test', 'boss@example.org', 'cliente@example.org']);
    expect(parsed.from?.value).toEqual([{ name: 'Ana (Acme Support)', address: 'support@acme.test' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : null).toEqual([{ name: 'Cliente Núñez', address: 'cliente@example.org' }]);
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value : null).toEqual([{ name: 'Boss', address: 'boss@example.org' }]);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Re: Pedido nº 42');
    expect(parsed.messageId).toBe(`<${email.messageId}>`);
    expect(parsed.messageId).toMatch(/^<mr\.conv42\.[\w-]+@acme\.test>$/);
    expect(parsed.inReplyTo).toBe('<CAF-second@mail.example.org>');
    expect(parsed.references).toEqual(['<first@mail.example.org>', '<CAF-second@mail.example.org>']);
    expect(parsed.text).toBe('Hi *Cliente*, see the docs (https://acme.test/docs) 🎉\n');
    expect(parsed.html).toContain('<strong>Cliente</strong>');
    expect(parsed.html).toContain('<a href="https://acme.test/docs"');
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['report.bin', 'passwd']);
    expect(parsed.attachments[0]!.content.equals(binary)).toBe(true);
    expect(parsed.attachments[1]!.content.toString()).toBe('root:x:0:0\n');
    // What the server got is byte for byte what the sender returns for the Sent folder.
    if (!result.ok) throw new Error('unreachable');
    expect(received!.raw.equals(result.raw)).toBe(true);
    expect(result.response).toMatch(/^250\b/);
  });

  it('a 4xx answer is temporary and carries the server text; the next attempt goes through', async () => {
    server.failNext(1, 451, '4.3.0 Mailbox busy, try later');
    const email = replyEmail();
    expect(await sender.send(email)).toEqual({
      ok: false,
      temporary: true,
      code: 451,
      reason: expect.stringContaining('4.3.0 Mailbox busy, try later'),
      errorCode: 'smtp.deferred',
    });
    expect(server.messages).toHaveLength(0);
    expect(await sender.send(email)).toMatchObject({ ok: true });
    expect(server.messages).toHaveLength(1);
  });

  it('a 5xx answer is permanent', async () => {
    server.failNext(1, 554, '5.7.1 Message rejected as spam', 'data');
    const result = await sender.send(replyEmail());
    expect(result).toMatchObject({ ok: false, temporary: false, code: 554, errorCode: 'smtp.rejected' });
    if (result.ok) throw new Error('unreachable');
    expect(result.reason).toContain('5.7.1 Message rejected as spam');
  });

  it('a 5xx on MAIL FROM is permanent too', async () => {
    server.failNext(1, 550, '5.7.1 Sender not allowed', 'mail');
    expect(await sender.send(replyEmail())).toMatchObject({ ok: false, temporary: false, code: 550 });
  });

  it('one refused recipient out of several: sent, and the refusal reported', async () => {
    server.failNext(1, 550, '5.1.1 No such user', 'rcpt');
    const result = await sender.send(replyEmail({ bcc: [] }));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) throw new Error('unreachable');
    expect(result.rejected).toHaveLength(1);
    expect(result.accepted).toHaveLength(1);
    expect(server.messages[0]!.to).toEqual(result.accepted);
  });

  it('refused connections are temporary; sending works again once the server is back', async () => {
    await server.refuseConnections();
    try {
      const result = await sender.send(replyEmail());
      expect(result).toMatchObject({ ok: false, temporary: true, errorCode: 'smtp.connection' });
      if (result.ok) throw new Error('unreachable');
      expect(result.reason).toMatch(/refused the connection|ECONNREFUSED|closed/);
    } finally {
      await server.acceptConnections();
    }
    expect(await sender.send(replyEmail())).toMatchObject({ ok: true });
  });

  it('refuses a header injection before connecting', async () => {
    const before = server.connectionCount;
    const fresh = createSmtpSender({ host: server.host, port: server.port, starttls: 'never', pool: false, logger });
    const result = await fresh.send(replyEmail({ subject: 'Hi\r\nBcc: victim@example.org' }));
    fresh.close();
    expect(result).toMatchObject({ ok: false, temporary: false, errorCode: 'email.header_injection' });
    expect(server.connectionCount).toBe(before);
  });

  it('verify() passes against a live server', async () => {
    await expect(sender.verify()).resolves.toBeUndefined();
  });
});

describe('SMTP sender: connection problems and login', () => {
  it('verify() and send() against a closed port', async () => {
    const server = await startSmtpServer();
    const port = server.port;
    await server.stop();
    const sender = createSmtpSender({ host: '127.0.0.1', port, starttls: 'never', pool: false, logger });
    await expect(sender.verify()).rejects.toMatchObject({ code: 'smtp.verify_failed' });
    expect(await sender.send(replyEmail())).toMatchObject({ ok: false, temporary: true, errorCode: 'smtp.connection' });
    sender.close();
  });

  it('logs in with a password; a wrong password is permanent and never in the reason', async () => {
    const server = await startSmtpServer({ auth: { user: 'support@acme.test', password: 's3cret-pw' } });
    try {
      const good = createSmtpSender({ host: server.host, port: server.port, starttls: 'never', user: 'support@acme.test', password: 's3cret-pw', logger });
      expect(await good.send(replyEmail())).toMatchObject({ ok: true });
      expect(server.messages[0]!.user).toBe('support@acme.test');
      good.close();

      const bad = createSmtpSender({ host: server.host, port: server.port, starttls: 'never', user: 'support@acme.test', password: 'wrong-pw-123', logger });
      const result = await bad.send(replyEmail());
      bad.close();
      expect(result).toMatchObject({ ok: false, temporary: false, errorCode: 'smtp.auth' });
      if (result.ok) throw new Error('unreachable');
      expect(result.reason).not.toContain('wrong-pw-123');
    } finally {
      await server.stop();
    }
  });

  it('with credentials, STARTTLS is required by default: no login in clear text', async () => {
    const server = await startSmtpServer({ auth: { user: 'u@acme.test', password: 'pw-never-in-clear' } });
    try {
      const sender = createSmtpSender({ host: server.host, port: server.port, user: 'u@acme.test', password: 'pw-never-in-clear', pool: false, logger });
      const result = await sender.send(replyEmail());
      sender.close();
      expect(result.ok).toBe(false);
      expect(server.messages).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });

  it('upgrades with STARTTLS and logs in over TLS', async () => {
    const server = await startSmtpServer({ starttls: true, auth: { user: 'u@acme.test', password: 'pw' } });
    try {
      const sender = createSmtpSender({
        host: server.host,
        port: server.port,
        user: 'u@acme.test',
        password: 'pw',
        tls: { rejectUnauthorized: false },
        logger,
      });
      expect(await sender.send(replyEmail())).toMatchObject({ ok: true });
      sender.close();
    } finally {
      await server.stop();
    }
  });

  it('logs in with an OAuth2 access token (XOAUTH2)', async () => {
    const seen: Array<{ method: string; user: string; token?: string }> = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['XOAUTH2'],
      logger: false,
      onAuth(auth, _session, callback) {
        seen.push({ method: auth.method, user: auth.username ?? '', token: auth.accessToken });
        if (auth.accessToken === 'ya29.token') callback(null, { user: auth.username });
        else callback(null, { data: { status: '401' } });
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    try {
      const sender = createSmtpSender({ host: '127.0.0.1', port, starttls: 'never', user: 'support@acme.test', accessToken: 'ya29.token', logger });
      expect(await sender.send(replyEmail())).toMatchObject({ ok: true });
      sender.close();
      expect(seen).toEqual([{ method: 'XOAUTH2', user: 'support@acme.test', token: 'ya29.token' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

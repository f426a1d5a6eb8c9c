import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replySubject } from '../../../src/core/subject.ts';
import { newMessageId, tokenFromMessageId } from '../../../src/core/message-id.ts';
import { mrkdwnToEmail } from '../../../src/core/mrkdwn-to-email.ts';
import { replyHeaders, replyRecipients } from '../../../src/core/reply-headers.ts';
import { silentLogger } from '../../../src/logger.ts';
import { composeEmail } from '../../../src/mail/outbound/compose-mime.ts';
import { appendToSent } from '../../../src/mail/outbound/sent-folder.ts';
import { DEFAULT_SPECIAL_MAILBOXES } from '../../support/dovecot-config.ts';
import { startDovecot } from '../../support/dovecot.ts';
import type { TestDovecot } from '../../support/dovecot.ts';
import { startSmtpServer } from '../../support/smtp.ts';
import { createSmtpSender } from '../../../src/mail/outbound/smtp-sender.ts';
import { threadUids, uidThread } from './imap-thread.ts';

const logger = silentLogger();
const USER = 'support@example.com';

function imapFor(dovecot: TestDovecot) {
  const o = dovecot.imapOptions(USER);
  return { host: o.host, port: o.port, secure: false, user: o.auth.user, password: o.auth.pass };
}

async function fetchAll(dovecot: TestDovecot, mailbox: string) {
  const client = await dovecot.connect(USER);
  try {
    await client.mailboxOpen(mailbox);
    const out: Array<{ uid: number; source: Buffer; flags: Set<string> }> = [];
    for await (const m of client.fetch('1:*', { uid: true, source: true, flags: true })) {
      out.push({ uid: m.uid, source: m.source as Buffer, flags: m.flags ?? new Set() });
    }
    return out;
  } finally {
    await client.logout();
  }
}

/** The customer's first email, as their mail client would write it. */
const original = [
  'From: Cliente Núñez <cliente@example.org>',
  'To: Acme Support <support@example.com>',
  'Cc: Boss <boss@example.org>',
  'Subject: =?UTF-8?Q?AW:_[EXT]_Pedido_n=C2=BA_42?=',
  'Message-ID: <CAF-original-1@mail.example.org>',
  'Date: Mon, 02 Mar 2026 09:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Where is my order?',
  '',
].join('\r\n');

describe('Sent folder and threading against real Dovecot', () => {
  let dovecot: TestDovecot;

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.destroy();
  });

  it('appends the exact bytes to the \\Sent mailbox, marked \\Seen', async () => {
    const { raw } = await composeEmail({
      from: { name: 'Ana (Acme Support)', address: USER },
      to: [{ name: '', address: 'cliente@example.org' }],
      cc: [],
      bcc: [],
      subject: 'Re: Pedido nº 42',
      ...mrkdwnToEmail('*On its way* :truck:', { users: {} }),
      messageId: newMessageId({ token: 'sent1', domain: 'example.com' }),
      attachments: [{ filename: 'label.pdf', contentType: 'application/pdf', content: Buffer.from([0, 1, 2, 255]) }],
    });
    const result = await appendToSent({ imap: imapFor(dovecot), raw, logger });
    expect(result).toMatchObject({ ok: true, mailbox: 'Sent', created: false });
    const stored = await fetchAll(dovecot, 'Sent');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.source.equals(raw)).toBe(true);
    expect([...stored[0]!.flags]).toContain('\\Seen');
  });

  it('reports a failed login as a value, without throwing', async () => {
    const result = await appendToSent({ imap: { ...imapFor(dovecot), password: 'wrong' }, raw: Buffer.from('x'), logger });
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('unreachable');
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error).not.toContain('wrong');
  });

  it('reports an unreachable server as a value, without throwing', async () => {
    const result = await appendToSent({ imap: { ...imapFor(dovecot), port: 1 }, raw: Buffer.from('x'), logger, timeoutMs: 2000 });
    expect(result.ok).toBe(false);
  });

  it('our reply, built from the customer email, is one thread with it in Dovecot; so is their answer', async () => {
    const inbox = 'INBOX';
    // 1. the customer writes; an unrelated email arrives too.
    const first = await dovecot.append(USER, inbox, original);
    const unrelated = await dovecot.append(
      USER,
      inbox,
      original.replace('CAF-original-1@mail.example.org', 'other-1@mail.example.org').replace(/^Subject: .*$/m, 'Subject: Invoice question'),
    );
    // 2. we answer, with headers and recipients derived from the parsed original.
    const parsed = await simpleParser(original);
    const parent = {
      messageId: parsed.messageId ?? null,
      references: ([] as string[]).concat(parsed.references ?? []),
      inReplyTo: parsed.inReplyTo ?? null,
    };
    const headers = replyHeaders(parent);
    const recipients = replyRecipients({
      lastInbound: {
        from: parsed.from!.value[0]! as { name: string; address: string },
        replyTo: [],
        to: (parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []) as { name: string; address: string }[],
        cc: (parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value : []) as { name: string; address: string }[],
      },
      ourAddresses: [USER],
    });
    expect(recipients.to.map((a) => a.address)).toEqual(['cliente@example.org']);
    expect(recipients.cc.map((a) => a.address)).toEqual(['boss@example.org']);
    const ourId = newMessageId({ token: 'conv42', domain: 'example.com' });
    const smtp = await startSmtpServer();
    const sender = createSmtpSender({ host: smtp.host, port: smtp.port, starttls: 'never', logger });
    const sent = await sender.send({
      from: { name: 'Ana (Acme Support)', address: USER },
      ...recipients,
      bcc: [],
      subject: replySubject(parsed.subject ?? ''),
      ...mrkdwnToEmail('It ships today :rocket:', { users: {} }),
      messageId: ourId,
      inReplyTo: headers.inReplyTo,
      references: headers.references,
      attachments: [],
      date: new Date('2026-03-02T10:00:00Z'),
    });
    sender.close();
    await smtp.stop();
    if (!sent.ok) throw new Error(`send failed: ${sent.reason}`);
    const ours = await dovecot.append(USER, inbox, sent.raw);
    const received = await simpleParser(sent.raw);
    expect(received.subject).toBe('Re: Pedido nº 42');
    await expectThreads([first.uid!, ours.uid!], unrelated.uid!);

    // 3. the customer answers our reply.
    const answer = [
      'From: Cliente Núñez <cliente@example.org>',
      'To: Ana (Acme Support) <support@example.com>',
      'Subject: Re: Re: Pedido nº 42',
      'Message-ID: <CAF-answer-2@mail.example.org>',
      `In-Reply-To: <${ourId}>`,
      `References: <CAF-original-1@mail.example.org> <${ourId}>`,
      'Date: Mon, 02 Mar 2026 11:00:00 +0000',
      '',
      'Thanks!',
      '',
    ].join('\r\n');
    const theirs = await dovecot.append(USER, inbox, answer);
    expect(tokenFromMessageId(`<CAF-original-1@mail.example.org> <${ourId}>`)).toBe('conv42');

    await expectThreads([first.uid!, ours.uid!, theirs.uid!], unrelated.uid!);
  });

  /** `together` form one thread and `apart` a thread of its own, by both of Dovecot's algorithms. */
  async function expectThreads(together: number[], apart: number): Promise<void> {
    for (const algorithm of ['REFERENCES', 'REFS'] as const) {
      // REFS threads on References/In-Reply-To only (no subject merging): proof the headers do it.
      const threads = await uidThread({ ...imapFor(dovecot), mailbox: 'INBOX', algorithm });
      const ofFirst = threads.find((t) => threadUids(t).includes(together[0]!));
      expect(ofFirst && threadUids(ofFirst).sort((a, b) => a - b), algorithm).toEqual(together);
      expect(threads.find((t) => threadUids(t).includes(apart)), algorithm).toEqual([apart]);
    }
  }
});

describe('Sent folder without special-use flags', () => {
  let dovecot: TestDovecot;
  const saved = [...DEFAULT_SPECIAL_MAILBOXES];

  beforeAll(async () => {
    // A server that advertises no special-use mailboxes at all (older or minimal set-ups).
    DEFAULT_SPECIAL_MAILBOXES.splice(0);
    try {
      dovecot = await startDovecot();
    } finally {
      DEFAULT_SPECIAL_MAILBOXES.push(...saved);
    }
  });
  afterAll(async () => {
    await dovecot?.destroy();
  });

  it('creates "Sent" when there is none, then finds it by name', async () => {
    const imap = imapFor(dovecot);
    const first = await appendToSent({ imap, raw: Buffer.from('Subject: one\r\n\r\nx\r\n'), logger });
    expect(first).toMatchObject({ ok: true, mailbox: 'Sent', created: true });
    const second = await appendToSent({ imap, raw: Buffer.from('Subject: two\r\n\r\ny\r\n'), logger });
    expect(second).toMatchObject({ ok: true, mailbox: 'Sent', created: false });
    expect((await fetchAll(dovecot, 'Sent')).map((m) => m.source.toString())).toEqual(['Subject: one\r\n\r\nx\r\n', 'Subject: two\r\n\r\ny\r\n']);
  });
});

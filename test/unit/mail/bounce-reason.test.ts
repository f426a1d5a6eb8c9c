import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { BOUNCE_REASONS } from '../../../src/core/bounce-words.ts';
import { isRetryable, pseudoStatus, reasonFromStatus } from '../../../src/mail/parse/bounce-reason.ts';
import { preferStatus, tidyServerLine } from '../../../src/mail/parse/bounce.ts';
import { refusedCommand } from '../../../src/mail/parse/bounce-text.ts';
import { MAIL_FIXTURES, fixture } from './fixtures.ts';

interface Case {
  reason: string;
  retryable: boolean;
  shapes: string[];
  command: string | null;
  status: string | null;
  line: string | null;
}

const cases: Case[] = readFileSync(join(MAIL_FIXTURES, 'bounce-reasons.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [reason, retryable, shapes, command, status, line] = l.split('\t') as [string, string, string, string, string, string];
    const none = (v: string) => (v === '-' ? null : v);
    return { reason, retryable: retryable === 'true', shapes: shapes.split(','), command: none(command), status: none(status), line: none(line) };
  });

const RETURNED = ['From: Acme Support <support@acme.test>', 'To: Ravi Patel <ravi@kunde.test>', 'Subject: Re: Quote request', 'Message-ID: <reply-42.abc@acme.test>', ''];

const SMTP_STEP: Record<string, string> = { rcpt: 'RCPT TO:<ravi@kunde.test>', mail: 'MAIL FROM:<support@acme.test>', data: 'end of data', connect: 'initial connection' };

/** A standard DSN (RFC 3464) whose Diagnostic-Code is the line (and says which step it answered, as Postfix does). */
function dsn(c: Case): string {
  const diagnostic = c.line
    ? c.line.startsWith('x-unix;')
      ? `Diagnostic-Code: ${c.line}`
      : `Diagnostic-Code: smtp; ${c.line}${c.command ? ` (in reply to ${c.command === 'data' ? 'end of DATA' : c.command === 'connect' ? 'CONNECT' : c.command.toUpperCase() === 'RCPT' ? 'RCPT TO' : 'MAIL FROM'} command)` : ''}`
    : null;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
    'To: support@acme.test',
    'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <dsn-1@mx.acme.test>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
    '',
    '--r',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered to one or more recipients.',
    '',
    '--r',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.acme.test',
    '',
    'Final-Recipient: rfc822; ravi@kunde.test',
    'Action: failed',
    ...(c.status ? [`Status: ${c.status}`] : []),
    ...(diagnostic ? [diagnostic] : []),
    '',
    '--r',
    'Content-Type: text/rfc822-headers',
    '',
    ...RETURNED,
    '--r--',
    '',
  ].join('\r\n');
}

/** Exim's plain-text bounce: the failed address, the step, the server's answer. */
function prose(c: Case): string {
  return [
    'From: Mail Delivery System <Mailer-Daemon@mx.acme.test>',
    'To: support@acme.test',
    'Subject: Mail delivery failed: returning message to sender',
    'Message-ID: <prose-1@mx.acme.test>',
    'X-Failed-Recipients: ravi@kunde.test',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    '  ravi@kunde.test',
    ...(c.command ? ['    host mx.kunde.test [192.0.2.1]', `    SMTP error from remote mail server after ${SMTP_STEP[c.command]}:`] : []),
    `    ${c.line ?? ''}`,
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
    ...RETURNED,
    'Here is your quote.',
    '',
  ].join('\r\n');
}

describe('bounce reasons: every reason Mailroom names, in the shapes real servers send', () => {
  it('the fixtures cover the whole vocabulary', () => {
    expect(new Set(cases.map((c) => c.reason))).toEqual(new Set(BOUNCE_REASONS));
  });

  for (const c of cases) {
    for (const shape of c.shapes) {
      it(`${c.reason} (${shape}): ${c.line ?? '(no server line)'}`, async () => {
        const email = await parseEmail(Buffer.from(shape === 'dsn' ? dsn(c) : prose(c)));
        expect(email.kind).toBe('bounce');
        expect(email.bounce?.reason).toBe(c.reason);
        expect(email.bounce?.retryable).toBe(c.retryable);
        expect(email.bounce?.recipients).toEqual(['ravi@kunde.test']);
        expect(email.bounce?.originalMessageId).toBe('reply-42.abc@acme.test');
        expect(email.bounce?.status).toMatch(/^[45]\.\d{1,3}\.\d{1,3}$/);
      });
    }
  }
});

describe('bounce status and server line', () => {
  it('a reason with no code gets its pseudo code, temporary when the reply was', () => {
    expect(pseudoStatus('mailboxfull')).toBe('5.0.922');
    expect(pseudoStatus('expired', true)).toBe('4.0.947');
    expect(reasonFromStatus('5.0.922')).toBe('mailboxfull');
  });

  it('the same code means something else when temporary', () => {
    expect(reasonFromStatus('5.7.1')).toBe('securityerror');
    expect(reasonFromStatus('4.7.1')).toBe('blocked');
    expect(reasonFromStatus('5.4.1')).toBeNull();
    expect(reasonFromStatus('4.4.1')).toBe('expired');
  });

  it('retryable: the recipient side is busy or full, not refusing; a temporary refusal may lift', () => {
    expect(isRetryable('mailboxfull', '5.2.2')).toBe(true);
    expect(isRetryable('userunknown', '4.1.1')).toBe(false);
    expect(isRetryable('blocked', '5.7.1')).toBe(false);
    expect(isRetryable('blocked', '4.7.1')).toBe(true);
  });

  it('a reply spread over several lines keeps its codes once, at the start', () => {
    expect(tidyServerLine('550-5.1.1 The email account that you tried to reach does not exist. Please try\n 550-5.1.1 double-checking the address. 550 5.1.1 https://support.example/NoSuchUser')).toBe(
      '550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the address. https://support.example/NoSuchUser',
    );
    expect(tidyServerLine('')).toBeNull();
  });

  it('Status against the code in the message: the generic one gives way', () => {
    expect(preferStatus('5.0.0', '5.1.1', '5')).toBe('5.1.1');
    expect(preferStatus('4.4.7', '4.4.1', '4')).toBe('4.4.1');
    expect(preferStatus('5.2.2', '5.2.0', '5')).toBe('5.2.2');
    expect(preferStatus('4.2.2', '5.2.2', '5')).toBe('5.2.2');
    expect(preferStatus(null, '5.1.1', null)).toBe('5.1.1');
  });

  it('the SMTP step is read from Postfix, Exim, Sendmail transcripts and Yahoo', () => {
    expect(refusedCommand('said: 550 User unknown (in reply to\n    RCPT TO command)')).toBe('rcpt');
    expect(refusedCommand('SMTP error from remote mail server after end of data:\n 550 rejected')).toBe('data');
    expect(refusedCommand('... while talking to mx.kunde.test.:\n>>> DATA\n<<< 550 5.7.1 Rejected')).toBe('data');
    expect(refusedCommand('550 5.1.1 User Unknown\n[RCPT_TO]')).toBe('rcpt');
    expect(refusedCommand('SMTP error from remote mail server after initial connection:\n 554 go away')).toBe('connect');
    expect(refusedCommand('550 User unknown')).toBeNull();
  });
});

describe('bounce reasons: regressions', () => {
  const read = (name: string) => parseEmail(fixture('eml', name));

  it('regression: an expired DSN (4.4.7) names the problem that kept it from going (RFC 3463)', async () => {
    const { bounce } = await read('bounce-expired-exchange.eml');
    expect(bounce?.status).toBe('4.4.1');
    expect(bounce?.reason).toBe('expired');
    expect(bounce?.retryable).toBe(true);
  });

  it('regression: "no such user" after DATA is the recipient filter (filtered), from a Sendmail transcript', async () => {
    const { bounce } = await read('bounce-sendmail-data.eml');
    expect(bounce?.reason).toBe('filtered');
    expect(bounce?.diagnostic).toBe('550 5.7.1 <ravi@kunde.test>... User unknown');
  });

  it('regression: a refusal on connecting is about our host (blocked), whatever its words', async () => {
    const { bounce } = await read('bounce-exim-connect.eml');
    expect(bounce?.reason).toBe('blocked');
    expect(bounce?.status).toBe('5.0.971');
  });

  it('regression: a delay warning is not a failure yet, and its placeholder Status gives way to the reason', async () => {
    const { bounce } = await read('bounce-delayed-opensmtpd.eml');
    expect(bounce?.delayed).toBe(true);
    expect(bounce?.permanent).toBe(false);
    expect(bounce?.reason).toBe('expired');
    expect(bounce?.status).toBe('5.0.947');
  });

  it('regression: Gmail’s multi-line answer is one line, and its help topic names the reason', async () => {
    const { bounce } = await read('bounce-gmail-disabled.eml');
    expect(bounce?.reason).toBe('suspend');
    expect(bounce?.diagnostic).toBe(
      '550 5.2.1 The email account that you tried to reach is inactive. For more information, go to https://support.google.example/mail/?p=DisabledUser x1-20020a05 - gsmtp',
    );
  });

  it('regression: "retry timeout exceeded" is a temporary failure that ran out of time (4.0.947)', async () => {
    const { bounce } = await read('bounce-exim-retry-timeout.eml');
    expect(bounce?.reason).toBe('expired');
    expect(bounce?.status).toBe('4.0.947');
  });

  it('regression: a bounce listing several recipients is read for the first one', async () => {
    const { bounce } = await read('bounce-several-recipients.eml');
    expect(bounce?.recipients).toEqual(['ravi@kunde.test', 'lena@kunde.test']);
    expect(bounce?.reason).toBe('mailboxfull');
    expect(bounce?.diagnostic).toBe('<ravi@kunde.test>: Sorry, the mailbox of this user is full');
  });

  it('regression: a final text bounce that mentions its delays is a failure, not a delay warning', async () => {
    const raw = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
      'To: support@acme.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: text/plain',
      '',
      'Your message to ravi@kunde.test has been delayed for 5 days and the server is giving up.',
      '',
      'ravi@kunde.test: connect to mx.kunde.test[192.0.2.1]:25: Connection timed out',
      '',
    ].join('\r\n');
    const { bounce } = await parseEmail(Buffer.from(raw));
    expect(bounce?.delayed).toBe(false);
    expect(bounce?.reason).toBe('expired');
    const warning = await parseEmail(Buffer.from(raw.replace('and the server is giving up.', 'and will be retried for 2 more days.')));
    expect(warning.bounce?.delayed).toBe(true);
  });

  it('the DSN fixture: an unknown address, not worth sending again', async () => {
    const { bounce } = await read('bounce-dsn.eml');
    expect(bounce?.reason).toBe('userunknown');
    expect(bounce?.retryable).toBe(false);
    expect(bounce?.diagnostic).toBe('550 5.1.1 <ravi@kunde.test>: Recipient address rejected: User unknown');
  });

  it('the qmail fixture with no code: mailboxfull, worth trying again later', async () => {
    const { bounce } = await read('bounce-mailbox-full.eml');
    expect(bounce?.reason).toBe('mailboxfull');
    expect(bounce?.retryable).toBe(true);
  });
});

import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeEmail, safeContentType, safeFilename } from '../../../src/mail/outbound/compose-mime.ts';
import type { OutgoingEmail } from '../../../src/mail/outbound/mail-sender.ts';

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    from: { name: 'Ana (Acme Support)', address: 'support@acme.com' },
    to: [{ name: 'Cliente Núñez', address: 'cliente@example.org' }],
    cc: [{ name: '', address: 'boss@example.org' }],
    bcc: [{ name: '', address: 'audit@acme.com' }],
    subject: 'Re: Pedido nº 42 — ¿dónde está?',
    text: 'Hola,\nya salió.\n',
    html: '<p>Hola,<br>ya salió.</p>',
    messageId: 'mr.tok1.abcdefgh@acme.com',
    inReplyTo: 'CAF123@mail.example.org',
    references: ['root@mail.example.org', 'CAF123@mail.example.org'],
    attachments: [{ filename: 'factura.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 bytes') }],
    date: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

const headerBlock = (raw: Buffer) => raw.toString('latin1').split('\r\n\r\n')[0] as string;

describe('composeEmail', () => {
  it('writes every header a mail client threads and displays on', async () => {
    const { raw, envelope } = await composeEmail(email());
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: 'Ana (Acme Support)', address: 'support@acme.com' }]);
    expect(parsed.subject).toBe('Re: Pedido nº 42 — ¿dónde está?');
    expect(parsed.messageId).toBe('<mr.tok1.abcdefgh@acme.com>');
    expect(parsed.inReplyTo).toBe('<CAF123@mail.example.org>');
    expect(parsed.references).toEqual(['<root@mail.example.org>', '<CAF123@mail.example.org>']);
    expect(parsed.date?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(parsed.text).toBe('Hola,\nya salió.\n');
    expect(parsed.html).toBe('<p>Hola,<br>ya salió.</p>');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['factura.pdf', 'application/pdf', '%PDF-1.4 bytes'],
    ]);
    expect(envelope).toEqual({ from: 'support@acme.com', to: ['cliente@example.org', 'boss@example.org', 'audit@acme.com'] });
  });

  it('keeps Bcc out of the bytes and the ids plain (never encoded words)', async () => {
    const headers = headerBlock((await composeEmail(email())).raw);
    expect(headers).not.toMatch(/^bcc:/im);
    expect(headers).not.toContain('audit@acme.com');
    expect(headers).toMatch(/^Message-ID: <mr\.tok1\.abcdefgh@acme\.com>$/m);
    expect(headers).toMatch(/^In-Reply-To: <CAF123@mail\.example\.org>$/m);
    expect(headers).toMatch(/^References: <root@mail\.example\.org> <CAF123@mail\.example\.org>$/m);
    expect(headers).not.toMatch(/^(Message-ID|In-Reply-To|References):.*=\?/im);
    expect(headers).not.toMatch(/^X-Mailer:/im);
  });

  it('folds a long References header without encoding it', async () => {
    const references = Array.from({ length: 20 }, (_, i) => `message-number-${i}.with-a-long-id@mail.example.org`);
    const { raw } = await composeEmail(email({ references }));
    const parsed = await simpleParser(raw);
    expect(parsed.references).toEqual(references.map((id) => `<${id}>`));
    for (const line of headerBlock(raw).split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('writes CRLF line ends only, as they will be on the wire', async () => {
    const { raw } = await composeEmail(email({ text: 'one\ntwo\r\nthree\n', html: '<p>a</p>\n<p>b</p>' }));
    expect(raw.toString()).not.toMatch(/[^\r]\n/);
    expect((await simpleParser(raw)).text).toBe('one\ntwo\nthree\n');
  });

  it('omits threading headers for a new email', async () => {
    const { raw } = await composeEmail(email({ inReplyTo: null, references: [] }));
    expect(headerBlock(raw)).not.toMatch(/^(In-Reply-To|References):/im);
  });

  it('the same email composes to the same headers and bodies, apart from MIME boundaries', async () => {
    const strip = (raw: Buffer) => raw.toString().replace(/--_NmP-[^\r\n"]+/g, 'B').replace(/boundary="[^"]+"/g, 'boundary');
    expect(strip((await composeEmail(email())).raw)).toBe(strip((await composeEmail(email())).raw));
  });

  it('cleans hostile attachment names', async () => {
    const { raw } = await composeEmail(
      email({
        attachments: [
          { filename: '../../etc/passwd', contentType: 'text/plain', content: Buffer.from('x') },
          { filename: 'C:\\Users\\x\\evil.exe', contentType: 'application/octet-stream', content: Buffer.from('y') },
          { filename: 'a\r\nContent-Type: text/html\r\n\r\n<script>.txt', contentType: 'text/plain\r\nX-Evil: 1', content: Buffer.from('z') },
        ],
      }),
    );
    const parsed = await simpleParser(raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['passwd', 'evil.exe', 'html <script>.txt']);
    // (mailparser guesses a type from the name for octet-stream parts, so look at the bytes.)
    expect(raw.toString()).toMatch(/^Content-Type: application\/octet-stream; name="html <script>\.txt"/m);
    expect(raw.toString()).not.toMatch(/^X-Evil/m);
  });

  describe('refuses header injection with email.header_injection', () => {
    const cases: Array<[string, Partial<OutgoingEmail>]> = [
      ['subject', { subject: 'Hello\r\nBcc: victim@example.com' }],
      ['subject with bare LF', { subject: 'Hello\nX-Evil: 1' }],
      ['From name', { from: { name: 'Ana\r\nBcc: x@example.com', address: 'support@acme.com' } }],
      ['To name', { to: [{ name: 'Bob\u0000', address: 'bob@example.org' }] }],
      ['Cc address', { cc: [{ name: '', address: 'a@example.org\r\nBcc: b@example.org' }] }],
      ['Message-ID', { messageId: 'a@b\r\nBcc: x@example.com' }],
      ['References', { references: ['ok@example.org', 'x@y\nBcc: z@example.com'] }],
    ];
    it.each(cases)('%s', async (_name, overrides) => {
      await expect(composeEmail(email(overrides))).rejects.toMatchObject({ code: 'email.header_injection' });
    });
  });

  it('refuses invalid addresses, bad ids and empty recipient lists with their own codes', async () => {
    await expect(composeEmail(email({ to: [{ name: '', address: 'not-an-address' }] }))).rejects.toMatchObject({ code: 'email.invalid_address' });
    await expect(composeEmail(email({ messageId: '<>' }))).rejects.toMatchObject({ code: 'email.invalid_message_id' });
    await expect(composeEmail(email({ to: [], cc: [], bcc: [] }))).rejects.toMatchObject({ code: 'email.no_recipients' });
  });
});

describe('safeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['report.pdf', 'report.pdf'],
    ['.bashrc', 'bashrc'],
    ['..', 'attachment'],
    ['', 'attachment'],
    ['dir/', 'attachment'],
    ['in\u202Egnp.exe', 'ingnp.exe'],
    ['tab\tand  spaces.txt', 'tab and spaces.txt'],
    ['résumé 履歴書.docx', 'résumé 履歴書.docx'],
  ])('%j → %j', (input, expected) => {
    expect(safeFilename(input)).toBe(expected);
  });

  it('caps the length and keeps the extension', () => {
    const name = safeFilename(`${'x'.repeat(400)}.pdf`);
    expect(name.length).toBe(180);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('safeContentType', () => {
  it('keeps type/subtype, lower-cased, and drops the rest', () => {
    expect(safeContentType('Image/PNG')).toBe('image/png');
    expect(safeContentType('text/plain; charset=utf-8')).toBe('text/plain');
    expect(safeContentType('text/plain\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(safeContentType('')).toBe('application/octet-stream');
    expect(safeContentType('binary')).toBe('application/octet-stream');
  });
});

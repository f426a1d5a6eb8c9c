import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { fixture } from './fixtures.ts';

const read = (name: string) => parseEmail(fixture('eml', name));

describe('headers', () => {
  it('reads ids bare, references oldest first, addresses, dates and the base subject', async () => {
    const e = await read('human-plain.eml');
    expect(e.inReplyTo).toBe('reply-42.abc@acme.test');
    expect(e.references).toEqual(['first-1@kunde.test', 'reply-42.abc@acme.test']);
    expect(e.messageId).toMatch(/^[^<>]+@mail\.test$/);
    expect(e.from).toEqual({ name: 'Ravi Patel', address: 'ravi@kunde.test' });
    expect(e.cc).toEqual([
      { name: 'Priya', address: 'priya@kunde.test' },
      { name: 'Lee, Wong', address: 'lee@kunde.test' },
    ]);
    expect(e.date?.toISOString()).toBe('2024-03-05T09:11:12.000Z');
    expect(e.baseSubject).toBe('Quote request');
    expect(e.reply).toBe('Looks good, please go ahead.');
    expect(e.problems).toEqual([]);
  });
});

describe('charsets and encoded words', () => {
  const cases: Array<[string, string, string]> = [
    ['charset-iso-2022-jp.eml', '日本語のメールです。', '山田太郎'],
    ['charset-shift-jis.eml', '日本語のメールです。', 'Yamada'],
    ['charset-windows-1252.eml', '“Café” – 50 €', 'François Müller'],
    ['charset-koi8-r.eml', 'Привет, мир', 'Иван'],
    ['charset-unknown.eml', 'plain ascii text', 'Ann'],
  ];
  for (const [name, text, fromName] of cases) {
    it(name, async () => {
      const e = await read(name);
      expect(e.text.trim()).toBe(text);
      expect(e.from?.name).toBe(fromName);
    });
  }

  it('decodes RFC 2047 subjects', async () => {
    expect((await read('charset-iso-2022-jp.eml')).subject).toBe('お問い合わせ');
  });

  it('decodes RFC 2231 and RFC 2047 file names; lists attachments with size and inline flag', async () => {
    const e = await read('rfc2231-filename.eml');
    expect(e.attachments.map((a) => [a.filename, a.contentType, a.inline])).toEqual([
      ['Rechnung März.pdf', 'application/pdf', false],
      ['äöü.png', 'image/png', true],
    ]);
    expect(e.attachments[0]!.size).toBe(9);
    expect(e.attachments[1]!.contentId).toBe('img1@kunde.test');
    expect(e.text.trim()).toBe('See attached.');
  });
});

describe('broken input never throws and says what went wrong', () => {
  it('a date that is no date', async () => {
    const e = await read('broken-date.eml');
    expect(e.date).toBeNull();
    expect(e.problems).toContain('unreadable Date header');
    expect(e.text.trim()).toBe('hello');
  });

  it('no From header', async () => {
    const e = await read('broken-no-from.eml');
    expect(e.from).toBeNull();
    expect(e.problems).toContain('no From address');
    expect(e.reply).toBe('no sender here');
  });

  it('a multipart whose boundary never appears', async () => {
    const e = await read('broken-boundary.eml');
    expect(e.text).toContain('The text is still here.');
  });

  it('invalid base64 and quoted-printable, raw 8-bit in a header', async () => {
    expect((await read('broken-base64.eml')).text).toContain('Hello');
    const qp = await read('broken-qp-and-8bit-header.eml');
    expect(qp.text).toContain('café');
    expect(typeof qp.subject).toBe('string');
  });

  const hdr = 'From: A <a@x.test>\r\nTo: b@x.test\r\nSubject: s\r\nDate: Tue, 5 Mar 2024 10:11:12 +0100\r\n';
  const generated: Array<[string, () => Buffer]> = [
    ['huge header', () => Buffer.from(`${hdr}X-Junk: ${'a'.repeat(3_000_000)}\r\n\r\nbody`)],
    ['deeply nested parts', () => {
      let body = 'Content-Type: text/plain\r\n\r\ninnermost';
      for (let i = 0; i < 200; i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
      return Buffer.from(hdr + body);
    }],
    ['a multi-megabyte body', () => Buffer.from(`${hdr}Content-Type: text/plain\r\n\r\n${'a line of text\r\n'.repeat(400_000)}`)],
    ['a multi-megabyte HTML body', () => Buffer.from(`${hdr}Content-Type: text/html\r\n\r\n${'<p>para <b>b</b></p>'.repeat(300_000)}`)],
    ['binary garbage', () => Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256))],
    ['nothing at all', () => Buffer.alloc(0)],
  ];
  for (const [label, make] of generated) {
    it(`${label}: a result within bounded time`, async () => {
      const t0 = performance.now();
      const e = await parseEmail(make());
      expect(performance.now() - t0).toBeLessThan(8_000);
      expect(typeof e.text).toBe('string');
      expect(e.reply.length).toBeLessThanOrEqual(200_000);
    });
  }

  it('a header over mailparser\'s limit is noted and the rest still read', async () => {
    const e = await parseEmail(Buffer.from(`${hdr}X-Junk: ${'a'.repeat(2_000_000)}\r\n\r\nbody`));
    expect(e.problems.join(' ')).toMatch(/header/i);
    expect(e.subject).toBe('s');
    expect(e.text.trim()).toBe('body');
  });
});

describe('speed of a normal email', () => {
  it('parses in a few milliseconds on average', async () => {
    const raw = fixture('eml', 'human-plain.eml');
    await parseEmail(raw);
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) await parseEmail(raw);
    expect((performance.now() - t0) / 50).toBeLessThan(20);
  });
});

// The one place that knows mailparser. It turns raw bytes into plain data and never throws:
// a message mailparser rejects (a header block over its limit, a broken structure) is read
// again with its header block cut down, and as a last resort split by hand.

import { Readable } from 'node:stream';
import { MailParser, type AddressObject, type AttachmentStream, type EmailAddress, type HeaderLines, type Headers, type MessageText } from 'mailparser';
import type { InboundAttachment } from '../types.ts';
import type { Address } from '../../core/types.ts';
import type { RawEmail } from '../raw.ts';

/**
 * An attachment as read from the MIME tree: the domain's attachment, with its first bytes for
 * the parser's own reading (delivery reports, returned messages) even when it is too big to keep.
 */
export type MimePart = InboundAttachment & { head: Buffer };

export interface MimeMessage {
  headerLines: { key: string; line: string }[];
  subject: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  text: string | null;
  html: string | null;
  attachments: MimePart[];
  problems: string[];
}

/** mailparser gets this long (plus a second per MB) before the message is read by hand instead. */
const PARSE_TIMEOUT_MS = 10_000;
/** A header block past this size is cut (mailparser refuses past 1 MiB anyway). */
const MAX_HEADER_BLOCK = 256 * 1024;
const MAX_ATTACHMENTS = 500;
const MAX_ADDRESSES = 500;
/** Attachments up to this size are kept in memory; bigger ones are streamed from the raw email when needed. */
const KEEP_ATTACHMENT_BYTES = 1024 * 1024;
/** Bytes of every attachment kept for reading it here. */
const PART_HEAD_BYTES = 512 * 1024;

export async function readMime(raw: RawEmail): Promise<MimeMessage> {
  const problems: string[] = [];
  for (const source of readings(raw, problems)) {
    try {
      const message = fromParsed(await collect(source, raw.size), problems);
      // A multipart whose boundaries never appear leaves nothing: read its body as text.
      if (!message.text && !message.html && !message.attachments.length) {
        const body = splitRaw(raw.head).body;
        if (body.length) {
          message.text = decodeLoose(body);
          problems.push('no readable MIME part: body read as text');
        }
      }
      return message;
    } catch (err) {
      source.destroy();
      problems.push(`mime: ${describe(err)}`);
    }
  }
  return byHand(raw, problems);
}

/**
 * The `index`th attachment (in the order readMime gives them) of a raw email, streamed out of it:
 * how an attachment too big to keep in memory reaches Slack. Null when there is no such attachment.
 */
export async function openAttachment(raw: RawEmail, index: number): Promise<Readable | null> {
  for (const source of readings(raw, [])) {
    const found = await new Promise<Readable | null | Error>((resolve) => {
      let seen = 0;
      let content: Readable | null = null;
      parse(source, {
        attachment(a) {
          if (seen++ !== index) return a.release();
          content = a.content as Readable;
          resolve(content);
          // The parser goes on (to its end) once the attachment is read or given up.
          return new Promise<void>((done) => content!.once('close', done).once('end', done)).then(() => a.release?.());
        },
      }).then(
        () => resolve(null),
        (err: Error) => {
          // Read part-way: the reader hears it rather than wait for more.
          if (content) content.destroy(err);
          resolve(err);
        },
      );
    });
    if (!(found instanceof Error)) return found;
  }
  return null;
}

/** The email as mailparser is given it: as it is, then (when its header block is too long) with that cut. */
function* readings(raw: RawEmail, problems: string[]): Generator<Readable> {
  yield raw.stream();
  const cut = withShortHeader(raw, problems);
  if (cut) yield cut;
}

interface Parsed {
  headers: Headers | null;
  headerLines: HeaderLines;
  text: string | null;
  html: string | null;
  attachments: MimePart[];
  extraAttachments: number;
}

/** The whole message, attachments kept up to KEEP_ATTACHMENT_BYTES, within the time limit. */
async function collect(source: Readable, size: number): Promise<Parsed> {
  const attachments: MimePart[] = [];
  let extraAttachments = 0;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('parser timed out')), PARSE_TIMEOUT_MS + Math.ceil(size / 1_000_000) * 1000);
  });
  try {
    const result = await Promise.race([
      parse(source, {
        attachment: async (a) => {
          if (attachments.length >= MAX_ATTACHMENTS) {
            extraAttachments++;
            return a.release();
          }
          attachments.push(await keep(a));
        },
      }),
      timeout,
    ]);
    return { ...result, attachments, extraAttachments };
  } finally {
    clearTimeout(timer);
  }
}

/** One attachment read through: whole when small, only its size and first bytes when big. */
async function keep(a: AttachmentStream): Promise<MimePart> {
  let chunks: Buffer[] = [];
  let size = 0;
  let kept = true;
  for await (const chunk of a.content as Readable) {
    size += chunk.length;
    if (!kept) continue;
    chunks.push(chunk);
    if (size > KEEP_ATTACHMENT_BYTES) {
      kept = false;
      chunks = [Buffer.from(Buffer.concat(chunks).subarray(0, PART_HEAD_BYTES))];
    }
  }
  a.release();
  const bytes = Buffer.concat(chunks);
  return {
    filename: a.filename ?? '',
    contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
    size,
    inline: a.contentDisposition === 'inline' || (!!a.related && !!a.cid),
    contentId: a.cid ? a.cid.replace(/^<|>$/g, '') : null,
    content: kept ? bytes : null,
    head: bytes.subarray(0, PART_HEAD_BYTES),
  };
}

interface Handlers {
  /** Reads or releases the attachment; the parser goes on when the returned promise settles. */
  attachment(a: AttachmentStream): void | Promise<void>;
}

/** mailparser's own streaming interface (simpleParser would hold every attachment whole). */
function parse(source: Readable, handlers: Handlers): Promise<Omit<Parsed, 'attachments' | 'extraAttachments'>> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepDeliveryStatus: true,
    } as ConstructorParameters<typeof MailParser>[0]);
    const out: Omit<Parsed, 'attachments' | 'extraAttachments'> = { headers: null, headerLines: [], text: null, html: null };
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      source.destroy();
      parser.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    parser.on('error', fail);
    source.once('error', fail);
    parser.on('headers', (headers: Headers) => {
      out.headers = headers;
      out.headerLines = (parser as unknown as { headerLines: HeaderLines }).headerLines ?? [];
    });
    let reading = false;
    const next = (): void => {
      reading = true;
      for (;;) {
        const data = parser.read() as AttachmentStream | MessageText | null;
        if (data === null) {
          reading = false;
          return;
        }
        if (data.type === 'text') {
          if (typeof data.text === 'string') out.text = data.text;
          if (typeof data.html === 'string') out.html = data.html;
          continue;
        }
        Promise.resolve()
          .then(() => handlers.attachment(data))
          .then(next, fail);
        return;
      }
    };
    parser.on('readable', () => {
      if (!reading) next();
    });
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(out);
    });
    source.pipe(parser);
  });
}

function fromParsed(mail: Parsed, problems: string[]): MimeMessage {
  if (mail.extraAttachments) problems.push(`attachments: only the first ${MAX_ATTACHMENTS} kept`);
  const h = mail.headers;
  const header = <T>(key: string): T | undefined => (h?.get(key) as T | undefined) ?? undefined;
  const subject = header<unknown>('subject');
  return {
    headerLines: [...mail.headerLines],
    subject: typeof subject === 'string' ? subject : '',
    from: addresses(header<AddressObject>('from')),
    to: addresses(header<AddressObject | AddressObject[]>('to')),
    cc: addresses(header<AddressObject | AddressObject[]>('cc')),
    replyTo: addresses(header<AddressObject>('reply-to')),
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments,
    problems,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const out: Address[] = [];
  const visit = (list: EmailAddress[], depth: number): void => {
    for (const a of list) {
      if (out.length >= MAX_ADDRESSES || depth > 3) return;
      if (a.group) visit(a.group, depth + 1);
      else if (a.address || a.name) out.push({ name: (a.name ?? '').trim(), address: (a.address ?? '').trim() });
    }
  };
  for (const obj of Array.isArray(field) ? field : field ? [field] : []) visit(obj.value ?? [], 0);
  return out;
}

/** The message with its header block cut to whole lines within MAX_HEADER_BLOCK; null when it is not that long. */
function withShortHeader(raw: RawEmail, problems: string[]): Readable | null {
  // Where the header block ends is looked for in the first HEAD_BYTES of an email in a file.
  const seen = raw.bytes ?? raw.head;
  const { head, body } = splitRaw(seen);
  if (head.length <= MAX_HEADER_BLOCK) return null;
  problems.push(head.length === seen.length && !raw.bytes ? 'header block too large: cut, and the body not read' : 'header block too large: cut');
  const cut = head.subarray(0, MAX_HEADER_BLOCK);
  const lastNl = cut.lastIndexOf(0x0a);
  const kept = (lastNl > 0 ? cut.subarray(0, lastNl) : cut)
    .toString('latin1')
    .split(/\r?\n/)
    .filter((l) => l.length < 16_384)
    .join('\r\n');
  const bodyAt = head.length === seen.length ? raw.size : seen.length - body.length;
  return Readable.from(
    (async function* () {
      yield Buffer.from(`${kept}\r\n\r\n`, 'latin1');
      if (bodyAt < raw.size) yield* raw.stream(bodyAt);
    })(),
  );
}

export function splitRaw(raw: Buffer): { head: Buffer; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const at = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
  if (at < 0) return { head: raw, body: Buffer.alloc(0) };
  const sep = at === crlf ? 4 : 2;
  return { head: raw.subarray(0, at), body: raw.subarray(at + sep) };
}

/** Last resort: headers as text, the body as UTF-8 (or Latin-1 when it isn't valid UTF-8). */
function byHand(raw: RawEmail, problems: string[]): MimeMessage {
  // A big email's text is read from its first HEAD_BYTES only.
  const { head, body } = splitRaw(raw.head);
  const headerLines: { key: string; line: string }[] = [];
  for (const line of head.subarray(0, MAX_HEADER_BLOCK).toString('latin1').split(/\r?\n/).slice(0, 2000)) {
    const last = headerLines[headerLines.length - 1];
    if (/^[ \t]/.test(line) && last) last.line += `\r\n${line}`;
    else {
      const m = /^([!-9;-~]{1,100}):/.exec(line);
      if (m) headerLines.push({ key: m[1]!.toLowerCase(), line });
    }
  }
  const subjectLine = headerLines.find((h) => h.key === 'subject')?.line ?? '';
  const text = decodeLoose(body);
  return {
    headerLines,
    subject: subjectLine.replace(/^[^:]*:\s*/, '').replace(/\r?\n[ \t]+/g, ' ').trim(),
    from: [],
    to: [],
    cc: [],
    replyTo: [],
    text,
    html: null,
    attachments: [],
    problems,
  };
}

function decodeLoose(buf: Buffer): string {
  const utf8 = buf.toString('utf8');
  return utf8.includes('\ufffd') ? buf.toString('latin1') : utf8;
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

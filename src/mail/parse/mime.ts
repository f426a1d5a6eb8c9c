// The one place that knows mailparser. It turns raw bytes into plain data and never throws:
// a message mailparser rejects (a header block over its limit, a broken structure) is read
// again with its header block cut down, and as a last resort split by hand.

import { Readable } from 'node:stream';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import type { Address, InboundAttachment } from '../types.ts';

/** An attachment as read from the MIME tree: the domain's attachment, unchanged. */
export type MimePart = InboundAttachment;

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

/** mailparser gets this long before the message is read by hand instead. */
const PARSE_TIMEOUT_MS = 10_000;
/** A header block past this size is cut (mailparser refuses past 1 MiB anyway). */
const MAX_HEADER_BLOCK = 256 * 1024;
const MAX_ATTACHMENTS = 500;
const MAX_ADDRESSES = 500;

export async function readMime(raw: Buffer): Promise<MimeMessage> {
  const problems: string[] = [];
  const tries: Array<() => Buffer> = [() => raw, () => withShortHeader(raw, problems)];
  for (const input of tries) {
    try {
      const message = fromParsed(await parseWithTimeout(input()), problems);
      // A multipart whose boundaries never appear leaves nothing: read its body as text.
      if (!message.text && !message.html && !message.attachments.length) {
        const body = splitRaw(raw).body;
        if (body.length) {
          message.text = decodeLoose(body);
          problems.push('no readable MIME part: body read as text');
        }
      }
      return message;
    } catch (err) {
      problems.push(`mime: ${describe(err)}`);
    }
  }
  return byHand(raw, problems);
}

async function parseWithTimeout(raw: Buffer): Promise<ParsedMail> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('parser timed out')), PARSE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      // In slices: one big Buffer reaches libbase64 as one chunk, decoded through two strings the
      // size of the whole message (libbase64.js:227-231), ~150 MB more at peak for a 34 MB email.
      simpleParser(Readable.from(slices(raw, 64 * 1024)), {
        skipHtmlToText: true,
        skipTextToHtml: true,
        skipTextLinks: true,
        skipImageLinks: true,
        keepDeliveryStatus: true,
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function fromParsed(mail: ParsedMail, problems: string[]): MimeMessage {
  const attachments = (mail.attachments ?? []).slice(0, MAX_ATTACHMENTS).map((a) => {
    const content = Buffer.isBuffer(a.content) ? a.content : Buffer.alloc(0);
    return {
      filename: a.filename ?? '',
      contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
      size: typeof a.size === 'number' ? a.size : content.length,
      inline: a.contentDisposition === 'inline' || (!!a.related && !!a.cid),
      contentId: a.cid ? a.cid.replace(/^<|>$/g, '') : null,
      content,
    };
  });
  if ((mail.attachments ?? []).length > MAX_ATTACHMENTS) problems.push(`attachments: only the first ${MAX_ATTACHMENTS} kept`);
  return {
    headerLines: [...(mail.headerLines ?? [])],
    subject: typeof mail.subject === 'string' ? mail.subject : '',
    from: addresses(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo),
    text: typeof mail.text === 'string' ? mail.text : null,
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments,
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

/** The same message with its header block cut to whole lines within MAX_HEADER_BLOCK. */
function withShortHeader(raw: Buffer, problems: string[]): Buffer {
  const { head, body } = splitRaw(raw);
  if (head.length <= MAX_HEADER_BLOCK) return raw;
  problems.push('header block too large: cut');
  const cut = head.subarray(0, MAX_HEADER_BLOCK);
  const lastNl = cut.lastIndexOf(0x0a);
  const kept = (lastNl > 0 ? cut.subarray(0, lastNl) : cut)
    .toString('latin1')
    .split(/\r?\n/)
    .filter((l) => l.length < 16_384)
    .join('\r\n');
  return Buffer.concat([Buffer.from(kept, 'latin1'), Buffer.from('\r\n\r\n'), body]);
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
function byHand(raw: Buffer, problems: string[]): MimeMessage {
  const { head, body } = splitRaw(raw);
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

function slices(raw: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < raw.length; i += size) out.push(raw.subarray(i, i + size));
  return out;
}

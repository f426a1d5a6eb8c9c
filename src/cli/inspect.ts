// `mailroom inspect [--json] FILE.eml…` and `mailroom inspect --body FILE… [--subject TEXT]`:
// show how Mailroom reads a message. One line of JSON per input with --json; a readable summary
// otherwise. Bad input never throws: a file that can't be read still gives a line.

import { readFile } from 'node:fs/promises';
import type { InboundEmail } from '../mail/types.ts';
import type { Address } from '../core/types.ts';
import { parseBody, parseEmail } from '../mail/parse/index.ts';

const USAGE = `Usage: mailroom inspect [--json] FILE.eml…
       mailroom inspect [--json] --body FILE… [--subject TEXT]
`;

interface InspectArgs {
  json: boolean;
  body: boolean;
  subject: string;
  files: string[];
}

export function parseInspectArgs(args: string[]): InspectArgs | string {
  const out: InspectArgs = { json: false, body: false, subject: '', files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.files.push(...args.slice(i + 1));
      break;
    }
    if (a === '--json') out.json = true;
    else if (a === '--body') out.body = true;
    else if (a === '--subject') {
      if (i + 1 >= args.length) return '--subject needs a value';
      out.subject = args[++i]!;
    } else if (a.startsWith('--subject=')) out.subject = a.slice('--subject='.length);
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else out.files.push(a);
  }
  if (!out.files.length) return 'no input file';
  return out;
}

export async function inspectCommand(args: string[]): Promise<number> {
  const parsed = parseInspectArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`mailroom inspect: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  let failed = 0;
  for (const file of parsed.files) {
    let email: InboundEmail | null = null;
    let error: string | null = null;
    try {
      const raw = await readFile(file);
      email = parsed.body ? parseBody(raw.toString('utf8'), parsed.subject) : await parseEmail(raw);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      failed++;
    }
    const line = parsed.json ? `${JSON.stringify(toJson(file, email, error))}\n` : humanSummary(file, email, error);
    process.stdout.write(line);
  }
  return failed ? 1 : 0;
}

/** The `--json` contract of PRODUCT.md ("Running it"). */
export function toJson(file: string, e: InboundEmail | null, error: string | null = null): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file,
    messageId: e?.messageId ?? null,
    inReplyTo: e?.inReplyTo ?? null,
    references: e?.references ?? [],
    from: e?.from ? addr(e.from) : null,
    to: (e?.to ?? []).map(addr),
    cc: (e?.cc ?? []).map(addr),
    replyTo: (e?.replyTo ?? []).map(addr),
    subject: e?.subject ?? '',
    baseSubject: e?.baseSubject ?? '',
    date: e?.date ? e.date.toISOString() : null,
    kind: e?.kind ?? 'human',
    bounce: e?.bounce
      ? {
          permanent: e.bounce.permanent,
          status: e.bounce.status,
          recipients: e.bounce.recipients,
          originalMessageId: e.bounce.originalMessageId,
          reason: e.bounce.reason,
          retryable: e.bounce.retryable,
        }
      : null,
    forwarded: e?.forwarded
      ? {
          from: addr(e.forwarded.from),
          subject: e.forwarded.subject,
          date: e.forwarded.date,
          to: e.forwarded.to.map(addr),
          cc: e.forwarded.cc.map(addr),
        }
      : null,
    text: e?.text ?? '',
    reply: e?.reply ?? '',
    attachments: (e?.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      inline: a.inline,
    })),
  };
  if (error) out.error = error;
  return out;
}

const addr = (a: Address): Address => ({ name: a.name, address: a.address });
const show = (a: Address): string => (a.name ? `${a.name} <${a.address}>` : a.address);
const showList = (list: Address[]): string => list.map(show).join(', ');

export function humanSummary(file: string, e: InboundEmail | null, error: string | null = null): string {
  const lines = [`== ${file}`];
  if (!e) return `${lines[0]}\n   cannot read: ${error ?? 'unknown error'}\n\n`;
  const row = (label: string, value: string | null | undefined): void => {
    if (value) lines.push(`${label.padEnd(12)} ${value}`);
  };
  row('From:', e.from ? show(e.from) : '(none)');
  row('To:', showList(e.to));
  row('Cc:', showList(e.cc));
  row('Reply-To:', showList(e.replyTo));
  row('Subject:', e.subject === e.baseSubject ? e.subject : `${e.subject}  (base: ${e.baseSubject})`);
  row('Date:', e.date ? e.date.toISOString() : '(unknown)');
  row('Message-ID:', e.messageId);
  row('In-Reply-To:', e.inReplyTo);
  row('References:', e.references.join(' '));
  row('Kind:', e.kind);
  if (e.bounce) {
    const b = e.bounce;
    row('Bounce:', `${b.delayed ? 'delayed' : b.permanent ? 'permanent' : 'temporary'}, status ${b.status ?? 'unknown'}, ${b.reason}${b.retryable ? ' (worth sending again later)' : ''}`);
    row('  server:', b.diagnostic);
    row('  failed:', b.recipients.join(', '));
    row('  original:', b.originalMessageId);
  }
  if (e.forwarded) {
    row('Forwarded:', `from ${show(e.forwarded.from) || '(unknown)'}`);
    row('  subject:', e.forwarded.subject);
    row('  date:', e.forwarded.date);
  }
  for (const a of e.attachments) {
    row('Attachment:', `${a.filename || '(no name)'} (${a.contentType}, ${a.size} bytes${a.inline ? ', inline' : ''})`);
  }
  for (const p of e.problems) row('Problem:', p);
  const replyLines = e.reply.split('\n').length;
  const textLines = e.text.split('\n').length;
  lines.push('--- reply ---', e.reply || '(empty)');
  if (textLines > replyLines) lines.push(`--- (${textLines - replyLines} more lines in the full text)`);
  return `${lines.join('\n')}\n\n`;
}

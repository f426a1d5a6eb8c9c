// Forwarded emails: who wrote the original, and what it said.
// email-forward-parser (Crisp, maintained) knows the separators and header blocks of Gmail,
// Outlook (2013–2019, new, live), Apple Mail, Thunderbird, Yahoo and others in many languages.
// Mailroom extends it where it falls short:
// - HTML-escaped addresses ("John &lt;john@x.com&gt;") and `[mailto:…]` are normalised first;
// - a reply never counts as a forward: Outlook writes the same header block above a reply as
//   above a forward, so when the outer subject says "Re:" (and not "Fwd:") only an explicit
//   forward separator ("Forwarded message", "Begin forwarded message", …) counts;
// - a text whose separator sits below a quote header is a reply that quotes a forward.

import EmailForwardParser from 'email-forward-parser';
import type { ForwardInfo } from '../types.ts';
import type { Address } from '../../core/types.ts';
import { hasForwardPrefix, hasReplyPrefix } from '../../core/subject.ts';
import { FORWARD_SEPARATOR } from './reply/markers.ts';
import { quoteHeaderLength } from './reply/quote-header.ts';

/** The forward parser's regular expressions run on no more than this much text. */
const MAX_FORWARD_SCAN = 100_000;

let parser: EmailForwardParser | null = null;

interface Mailbox {
  address: string | null;
  name: string | null;
}

export interface ForwardDetection {
  info: ForwardInfo;
  /** What the forwarder wrote above the forwarded message ('' when nothing). */
  note: string;
}

export function detectForward(text: string, subject = ''): ForwardDetection | null {
  const body = normaliseForParser(text.slice(0, MAX_FORWARD_SCAN));
  let result;
  try {
    parser ??= new EmailForwardParser();
    result = parser.read(body, subject || null);
  } catch {
    return null;
  }
  if (!result.forwarded) return null;
  const note = (result.message ?? '').trim();
  const explicit = hasForwardPrefix(subject) || hasExplicitSeparator(body);
  if (!explicit && hasReplyPrefix(subject)) return null;
  if (note && endsWithQuoteHeader(note)) return null;
  const email = result.email;
  const from = toAddress(email.from) ?? { name: '', address: '' };
  return {
    note,
    info: {
      from,
      subject: (email.subject ?? '').trim(),
      date: email.date?.trim() || null,
      to: toAddresses(email.to),
      cc: toAddresses(email.cc),
      body: (email.body ?? '').trim(),
    },
  };
}

function hasExplicitSeparator(text: string): boolean {
  for (const line of text.split('\n', 2000)) if (line.length < 200 && FORWARD_SEPARATOR.test(line.replace(/^[\s>]+/, ''))) return true;
  return false;
}

/** A quote header among the note's lines means the "forward" is quoted history of a reply. */
function endsWithQuoteHeader(note: string): boolean {
  const lines = note.split('\n').slice(-12);
  for (let i = 0; i < lines.length; i++) if (quoteHeaderLength(lines, i) > 0) return true;
  return false;
}

function normaliseForParser(text: string): string {
  let out = text.replace(/\r\n?/g, '\n');
  if (/&lt;[^&\n]{1,200}@[^&\n]{1,200}&gt;/.test(out)) {
    out = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  // "Name [mailto:a@b]" (Outlook) → "Name <a@b>", a form every client rule understands.
  return out.replace(/\[mailto:([^\]\s]{1,320})\]/gi, '<$1>');
}

function toAddress(m: Mailbox | null | undefined): Address | null {
  if (!m) return null;
  const address = (m.address ?? '').trim().replace(/^mailto:/i, '');
  const name = (m.name ?? '').trim().replace(/^["']|["']$/g, '');
  if (!address && !name) return null;
  return { name: name === address ? '' : name, address };
}

function toAddresses(m: Mailbox | Mailbox[] | null | undefined): Address[] {
  if (!m) return [];
  const list = Array.isArray(m) ? m : [m];
  return list.map(toAddress).filter((a): a is Address => a !== null && a.address !== '');
}

// Message-IDs we generate carry the conversation's token, so that a customer's answer threads
// back to its conversation even when our exact Message-ID is not in the store (a reply composed
// from a forwarded copy, a store restored from an older backup). Shape: mr.<token>.<random>@<domain>.
// All ids here are bare: no angle brackets, no whitespace.

import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

const PREFIX = 'mr';
// Tokens and random parts must be dot-atom text without dots, so the id stays unambiguous and
// needs no quoting in any header.
const TOKEN_RE = /^[A-Za-z0-9_-]{1,64}$/;
const DOMAIN_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const OURS_RE = /^mr\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{6,64})@([^@\s]+)$/i;
// msg-id per RFC 5322 §3.6.4, as seen in the wild: printable ASCII, no brackets or spaces,
// exactly one "@" with something either side.
const ID_RE = /^[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+$/;
const MAX_ID_LENGTH = 250;

export class MessageIdError extends AppError {
  constructor(message: string) {
    super('message_id.invalid', message);
    this.name = 'MessageIdError';
  }
}

export interface NewMessageIdInput {
  /** Conversation token: letters, digits, `_` or `-`, at most 64 characters. */
  token: string;
  /** Our own domain, e.g. the domain of the inbox address. */
  domain: string;
  /** Random part; generated when omitted (tests pass one to get a fixed value). */
  random?: string;
}

/** A fresh bare Message-ID at our domain carrying `token`. Throws `message_id.invalid` on bad input. */
export function newMessageId({ token, domain, random }: NewMessageIdInput): string {
  if (!TOKEN_RE.test(token)) throw new MessageIdError(`invalid conversation token for a Message-ID`);
  const host = domain.trim().toLowerCase();
  if (!DOMAIN_RE.test(host)) throw new MessageIdError(`invalid domain for a Message-ID: ${JSON.stringify(domain)}`);
  // 15 bytes → 20 base64url characters: collisions are not a practical concern.
  const unique = random ?? randomBytes(15).toString('base64url');
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(unique)) throw new MessageIdError('invalid random part for a Message-ID');
  return `${PREFIX}.${token}.${unique}@${host}`;
}

export interface TokenLookupOptions {
  /** When given, only ids at one of these domains (case-insensitive) count as ours. */
  domains?: readonly string[];
}

/**
 * The conversation token carried by one of our Message-IDs, or null. Accepts a bare id, an id in
 * angle brackets, or a whole References / In-Reply-To header value, in which case the newest
 * (right-most) id of ours wins: it names the latest message of the conversation.
 */
export function tokenFromMessageId(value: string, options: TokenLookupOptions = {}): string | null {
  const ids = parseMessageIdList(value);
  for (let i = ids.length - 1; i >= 0; i--) {
    const token = tokenOf(ids[i] as string, options);
    if (token) return token;
  }
  return null;
}

/** Like tokenFromMessageId, over ids already split (e.g. `[inReplyTo, ...references.reverse()]`: first match wins). */
export function tokenFromMessageIds(ids: readonly string[], options: TokenLookupOptions = {}): string | null {
  for (const id of ids) {
    const bare = normaliseMessageId(id);
    const token = bare ? tokenOf(bare, options) : null;
    if (token) return token;
  }
  return null;
}

function tokenOf(id: string, { domains }: TokenLookupOptions): string | null {
  const match = OURS_RE.exec(id);
  if (!match) return null;
  if (domains && !domains.some((d) => d.toLowerCase() === (match[3] as string).toLowerCase())) return null;
  return match[1] as string;
}

/**
 * A bare Message-ID from a raw header value (`<a@b>`, ` a@b `, folded `<a@\r\n b>`), or null for
 * anything that is not exactly one plausible msg-id (empty, several ids, spaces, non-ASCII, no "@").
 */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let value = raw.trim();
  if (value.startsWith('<')) {
    if (!value.endsWith('>')) return null;
    value = value.slice(1, -1);
  }
  // Folding may have put whitespace inside the brackets; nothing else may be there.
  value = value.replace(/\r?\n[ \t]+/g, '').trim();
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return null;
  return ID_RE.test(value) ? value : null;
}

/**
 * Every valid id in a header value such as References: `<a@b> <c@d>` (also comma- or
 * whitespace-separated bare ids, which some mailers write), in order, duplicates removed.
 */
export function parseMessageIdList(value: string | null | undefined): string[] {
  if (typeof value !== 'string') return [];
  const unfolded = value.replace(/\r?\n[ \t]+/g, ' ');
  const bracketed = unfolded.match(/<[^<>]*>/g);
  const candidates = bracketed ?? unfolded.split(/[\s,]+/);
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const candidate of candidates) {
    const id = normaliseMessageId(candidate.replace(/\s+/g, ''));
    if (id && !seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
}

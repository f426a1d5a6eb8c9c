// Addresses typed by people (compose/reply modals) and header values that come from Slack.
// Nothing a Slack user types may end up as a header line of its own: CR/LF and other control
// characters are refused (assertHeaderSafe) or folded into spaces (cleanHeaderText).

import { AppError } from '../errors.ts';
import type { Address } from './types.ts';

export class HeaderInjectionError extends AppError {
  constructor(readonly field: string) {
    const text = `The ${field} contains a line break or control character and can't be put in an email header`;
    super('email.header_injection', text, text);
    this.name = 'HeaderInjectionError';
  }
}

// C0 controls except HT, DEL, and the Unicode line/paragraph separators some parsers treat as newlines.
const UNSAFE_HEADER_CHARS = /[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/;
const FOLDABLE_CHARS = /[\x00-\x1f\x7f\u0085\u2028\u2029]+/g;
// Invisible characters that can reorder or hide text in a display name.
const BIDI_AND_INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** True when `value` can't be put in a header as it is (line breaks, NUL, other controls). */
export function hasUnsafeHeaderChars(value: string): boolean {
  return UNSAFE_HEADER_CHARS.test(value);
}

/** Throws HeaderInjectionError (`email.header_injection`) naming `field` when the value is unsafe. */
export function assertHeaderSafe(value: string, field: string): void {
  if (hasUnsafeHeaderChars(value)) throw new HeaderInjectionError(field);
}

/** Header text from a person (subject, name): control characters and tabs become one space. */
export function cleanHeaderText(value: string): string {
  return value.replace(FOLDABLE_CHARS, ' ').replace(/ {2,}/g, ' ').trim();
}

const MAX_NAME_PART = 64;

/** "Ana (Acme Support)": who answered, on behalf of which inbox, safe as a display name. */
export function displayName(userName: string, inboxName: string): string {
  const user = cleanNamePart(userName);
  const inbox = cleanNamePart(inboxName);
  if (user && inbox) return `${user} (${inbox})`;
  return user || inbox;
}

function cleanNamePart(value: string): string {
  const cleaned = cleanHeaderText(value.replace(BIDI_AND_INVISIBLE, '').replace(/[<>]/g, ''));
  return Array.from(cleaned).slice(0, MAX_NAME_PART).join('').trim();
}

// Strict enough to catch typos, loose enough for real addresses: ASCII dot-atom local part,
// a domain of letter/digit/hyphen labels (Unicode allowed: nodemailer punycodes it) with a TLD.
const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL_RE = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TLD_RE = /^(?:[\p{L}]{2,63}|xn--[a-z0-9-]{1,59})$/iu;

/** True for a plausible, header-safe address such as `ana@x.com`. */
export function isValidAddress(address: string): boolean {
  if (address.length > 254 || hasUnsafeHeaderChars(address)) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  if (!LOCAL_RE.test(local) || labels.length < 2) return false;
  return labels.every((label) => LABEL_RE.test(label)) && TLD_RE.test(labels[labels.length - 1] as string);
}

export interface ParsedAddressList {
  /** True when nothing invalid was found (an empty list is ok). */
  ok: boolean;
  /** Valid addresses, duplicates (case-insensitive) removed, in typed order. */
  addresses: Address[];
  /** The pieces that could not be read as an address, as typed. */
  invalid: string[];
}

/**
 * Read an address list typed by a person: `Ana <ana@x.com>, bob@y.org; "Smith, J" <j@z.com>`,
 * also separated by newlines or spaces, and Slack's `<mailto:a@b|a@b>` / `&lt;` forms.
 */
export function parseAddressList(input: string): ParsedAddressList {
  const addresses: Address[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  const text = input
    .replace(/<mailto:([^|>\s]+)(?:\|[^>]*)?>/gi, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  for (const piece of splitList(text)) {
    for (const parsed of parsePiece(piece)) {
      if (!parsed || !isValidAddress(parsed.address) || hasUnsafeHeaderChars(parsed.name)) {
        invalid.push(piece);
        break;
      }
      const key = parsed.address.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        addresses.push(parsed);
      }
    }
  }
  return { ok: invalid.length === 0, addresses, invalid };
}

/** Split on `,` `;` and line breaks that are outside quotes and angle brackets. */
function splitList(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted && ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"' && !angle) quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    else if (!quoted && !angle && (ch === ',' || ch === ';' || ch === '\n' || ch === '\r')) {
      if (current.trim()) pieces.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

/** One piece → its address(es); null marks a piece that is not an address. */
function parsePiece(piece: string): Array<Address | null> {
  const angled = /^(.*?)<([^<>]*)>$/s.exec(piece);
  if (angled) {
    return [{ name: unquoteName((angled[1] as string).trim()), address: (angled[2] as string).trim() }];
  }
  if (/[<>"]/.test(piece)) return [null];
  // "a@x.com b@y.com": people paste space-separated lists.
  const words = piece.split(/\s+/);
  if (words.every((word) => word.includes('@'))) return words.map((address) => ({ name: '', address }));
  return [null];
}

function unquoteName(name: string): string {
  const quoted = /^"(.*)"$/s.exec(name);
  return quoted ? (quoted[1] as string).replace(/\\(.)/g, '$1') : name;
}

/** `Ana <ana@x.com>`, `"Smith, J" <j@x.com>` or a bare address: for showing, not for the wire. */
export function formatAddress({ name, address }: Address): string {
  const cleanName = cleanHeaderText(name);
  if (!cleanName) return address;
  const needsQuotes = /[^\p{L}\p{N}!#$%&'*+/=?^_`{|}~ -]/u.test(cleanName);
  const shown = needsQuotes ? `"${cleanName.replace(/(["\\])/g, '\\$1')}"` : cleanName;
  return `${shown} <${address}>`;
}

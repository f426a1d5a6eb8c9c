// Text helpers for Block Kit: Slack rejects a whole message when one field is too long, so every
// builder cuts text here, with an ellipsis, in a way that never leaves half an escape (`&am…`)
// or half a `<…>` token behind.
import type { MrkdwnElement, PlainTextElement, PlainTextOption } from '@slack/types';
import { escapeMrkdwn, plainForSlack } from '../../../core/slack-text.ts';
import type { Address } from '../../../core/types.ts';

/** Block Kit limits we build against (docs.slack.dev reference pages). */
export const Limits = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  contextElements: 10,
  header: 150,
  buttonText: 75,
  optionText: 75,
  optionValue: 75,
  staticSelectOptions: 100,
  overflowOptions: 5,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  plainTextInput: 3000,
  privateMetadata: 3000,
  /** Our own budget for a message's `text` fallback (Slack truncates at 40,000). */
  fallbackText: 3000,
} as const;

const ELLIPSIS = '…';

/** Cut to at most `max` UTF-16 units, never splitting a surrogate pair, ending with `…` if cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

/** Like `truncate`, for mrkdwn: backs off so no `&…;` entity or `<…>` token is left open. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  end = safeMrkdwnCut(text, end);
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

/** The largest index ≤ `end` where mrkdwn can be cut without breaking an entity or a token. */
export function safeMrkdwnCut(text: string, end: number): number {
  let cut = Math.min(end, text.length);
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1 && !text.slice(amp, cut).includes(';') && /^&[a-z#0-9]{0,8}$/i.test(text.slice(amp, cut))) {
    cut = amp;
  }
  const open = text.lastIndexOf('<', cut - 1);
  if (open !== -1) {
    const close = text.indexOf('>', open);
    if (close === -1 || close >= cut) cut = open;
  }
  return cut;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A plain_text object: broadcast words defused, cut to `max`. */
export function plain(text: string, max: number = Limits.sectionText): PlainTextElement {
  const safe = truncate(plainForSlack(text), max);
  return { type: 'plain_text', text: safe.length > 0 ? safe : ' ', emoji: true };
}

/** A mrkdwn object from text that is already Slack-safe (built here or escaped upstream). */
export function md(text: string, max: number = Limits.sectionText): MrkdwnElement {
  const cut = truncateMrkdwn(text, max);
  return { type: 'mrkdwn', text: cut.length > 0 ? cut : ' ', verbatim: true };
}

/** Email-originated text for a mrkdwn field: escaped, cut after escaping. */
export function esc(text: string, max: number = Limits.sectionText): string {
  return truncateMrkdwn(escapeMrkdwn(text), max);
}

/** Header text on one line: a newline in a name or subject must not start a line of its own. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function addressText(a: Address): string {
  const name = oneLine(a.name);
  const address = oneLine(a.address);
  return name && name.toLowerCase() !== address.toLowerCase() ? `${name} <${address}>` : address;
}

/** `Jane Doe <jane@example.com>` as escaped mrkdwn; the address alone when there is no name. */
export function addressMrkdwn(a: Address, max = 300): string {
  return esc(addressText(a), max);
}

/** The same for plain text (option labels, fallback text, usernames). */
export function addressPlain(a: Address): string {
  return plainForSlack(addressText(a));
}

/** Display name, or the address when there is none. */
export function displayName(a: Address): string {
  return oneLine(a.name) || oneLine(a.address);
}

/** A list of addresses, escaped, cut as a whole. */
export function addressListMrkdwn(list: readonly Address[], max = 1000): string {
  return truncateMrkdwn(list.map((a) => addressMrkdwn(a)).join(', '), max);
}

export function option(text: string, value: string, description?: string): PlainTextOption {
  if (value.length > Limits.optionValue) throw new Error(`option value longer than ${Limits.optionValue}: ${value.slice(0, 20)}…`);
  return {
    text: plain(text, Limits.optionText),
    value,
    ...(description ? { description: plain(description, Limits.optionText) } : {}),
  };
}

/** A Slack date token: shown in each reader's time zone, with a UTC fallback. */
export function slackDate(ms: number, format = '{date_short_pretty} {time}'): string {
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

/** `12 KB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

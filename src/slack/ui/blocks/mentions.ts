// The only `<…>` tokens Mailroom itself writes: user and channel mentions (by id, checked) and
// links to Slack permalinks (checked). Anything that fails the check is shown as text instead,
// so a malformed id can never become `<!channel>`.
import { escapeMrkdwn } from '../../../core/slack-text.ts';

const USER_ID = /^[UW][A-Z0-9]{2,30}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;

export function isUserId(id: string | null | undefined): id is string {
  return typeof id === 'string' && USER_ID.test(id);
}

export function userMention(id: string): string {
  return isUserId(id) ? `<@${id}>` : escapeMrkdwn(id);
}

export function channelMention(id: string): string {
  return CHANNEL_ID.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

/** `a`, `a and b`, `a, b and 3 others`. */
export function joinNames(names: readonly string[], max = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const rest = names.length - (max - 1);
  return `${names.slice(0, max - 1).join(', ')} and ${rest} others`;
}

/** Slack permalinks and other https URLs we were given; no `<`, `>` or `|` that could end the token. */
export function isSafeUrl(url: string | null | undefined): url is string {
  return typeof url === 'string' && url.length <= 3000 && /^https:\/\/[^\s<>|]+$/.test(url);
}

/** `<url|label>` when the url is safe, else the label alone. `label` must be escaped mrkdwn. */
export function link(url: string | null | undefined, label: string): string {
  return isSafeUrl(url) ? `<${url}|${label}>` : label;
}

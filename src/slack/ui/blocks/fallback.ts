// A message's top-level `text` is what notifications and screen readers show. It is built from
// the same escaped mrkdwn as the blocks, minus what must not be there: mentions (they would ping
// from the notification text), links' URLs, date tokens, emoji codes at the start, bold stars.
import { Limits, truncateMrkdwn } from './text.ts';

export function toFallback(mrkdwn: string, max: number = Limits.fallbackText): string {
  const text = mrkdwn
    .replace(/<@[UW][A-Z0-9]+>/g, 'a teammate')
    .replace(/<#[CGD][A-Z0-9]+>/g, 'another channel')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/^(:[a-z0-9_+-]+:\s*)+/, '')
    .replace(/\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncateMrkdwn(text, max) || ' ';
}

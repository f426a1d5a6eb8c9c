// Text that came from outside (email) must be shown in Slack, never obeyed: no mentions, no
// links made by Slack syntax, no formatting injected. Slack's own rule is that only &, < and >
// need escaping in mrkdwn; everything that pings is built from `<…>` (`<!channel>`, `<@U1>`,
// `<!subteam^S1>`) or, with link_names, from bare `@here`/`@channel`/`@everyone`.

const ZERO_WIDTH_JOINER = '\u2060';

/** Invisible characters that a sender can slip between `@` and a broadcast word. */
const INVISIBLE = '[\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\ufeff]*';
const BROADCAST = new RegExp(`[@＠]${INVISIBLE}(here|channel|everyone)(?![\\p{L}\\p{N}_])`, 'giu');

/** Escape text for Slack mrkdwn, and defuse bare broadcast words. */
export function escapeMrkdwn(text: string): string {
  return defuseBroadcasts(
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

/** `@here` → `@\u2060here` (also when invisible characters were put in between to dodge this),
 *  so that even link_names parsing can't turn it into a ping. */
export function defuseBroadcasts(text: string): string {
  return text.replace(BROADCAST, (_m, word: string) => `@${ZERO_WIDTH_JOINER}${word}`);
}

/** For plain_text fields (Block Kit `plain_text`, usernames): no escaping needed, only defusing. */
export function plainForSlack(text: string): string {
  return defuseBroadcasts(text);
}

/**
 * For the `username` a message is posted under (chat:write.customize). Slack does not document
 * how it treats `<…>` there, so angle brackets become look-alikes: a sender named
 * `<!channel>` stays readable and can never be parsed as a token.
 */
export function usernameForSlack(text: string): string {
  return defuseBroadcasts(text.replace(/</g, '\u2039').replace(/>/g, '\u203a').replace(/[\r\n\t]+/g, ' ').trim());
}

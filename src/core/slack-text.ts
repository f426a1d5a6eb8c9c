// Text that came from outside (email) must be shown in Slack, never obeyed: no mentions, no
// links made by Slack syntax, no formatting injected. Slack's own rule is that only &, < and >
// need escaping in mrkdwn; everything that pings is built from `<…>` (`<!channel>`, `<@U1>`,
// `<!subteam^S1>`) or, with link_names, from bare `@here`/`@channel`/`@everyone`.

const ZERO_WIDTH_JOINER = '\u2060';

/** Escape text for Slack mrkdwn, and defuse bare broadcast words. */
export function escapeMrkdwn(text: string): string {
  return defuseBroadcasts(
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

/** `@here` → `@\u2060here`, so that even link_names parsing can't turn it into a ping. */
export function defuseBroadcasts(text: string): string {
  return text.replace(/@(here|channel|everyone)\b/gi, `@${ZERO_WIDTH_JOINER}$1`);
}

/** For plain_text fields (Block Kit `plain_text`): no escaping needed, only defusing. */
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

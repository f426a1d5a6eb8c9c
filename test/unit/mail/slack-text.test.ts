import { describe, expect, it } from 'vitest';
import { defuseBroadcasts, escapeMrkdwn, plainForSlack } from '../../../src/core/slack-text.ts';

describe('escapeMrkdwn: email text is shown, never obeyed', () => {
  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });

  it('leaves no Slack control sequence alive', () => {
    const hostile = '<!channel> <!here> <@U0123ABC> <!subteam^S01|team> <#C0123|general> <https://evil.test|bank>';
    const out = escapeMrkdwn(hostile);
    expect(out).not.toMatch(/[<>]/);
    expect(out).toContain('&lt;!channel&gt;');
  });

  it('keeps already-escaped text as text', () => {
    expect(escapeMrkdwn('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
  });

  it('defuses bare broadcasts, also with invisible characters or a full-width @', () => {
    for (const s of ['@here', '@channel', '@everyone', '@\u200bhere', '@\u200d\ufeffchannel', '＠everyone', '@HERE']) {
      const out = escapeMrkdwn(`hi ${s}!`);
      expect(out, s).toMatch(/@\u2060(?:here|channel|everyone)!/i);
    }
    expect(defuseBroadcasts('mail me@herewego.test')).toBe('mail me@herewego.test');
    expect(plainForSlack('@channel')).toBe('@\u2060channel');
  });
});

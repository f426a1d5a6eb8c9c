import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { htmlToMrkdwn, htmlToPlain } from '../../../src/mail/parse/html/convert.ts';
import { fixture } from './fixtures.ts';

const read = (name: string) => parseEmail(fixture('eml', name));

describe('HTML replies: the client quote marker ends the reply', () => {
  const cases: Array<[string, string]> = [
    ['html-gmail.eml', 'Yes, please ship it.'],
    ['html-outlook.eml', 'Confirmed, see PO 7 (https://kunde.test/po/7).'],
    ['html-outlook-desktop.eml', 'Passt so.'],
    ['html-apple.eml', 'Great, thanks!'],
    ['html-thunderbird.eml', 'Received, thank you.'],
    ['html-yahoo.eml', 'Thank you!'],
  ];
  for (const [name, reply] of cases) {
    it(name, async () => {
      const email = await read(name);
      expect(email.reply).toBe(reply);
      expect(email.text).toMatch(/Here is your quote\.|Hier ist Ihr Angebot\./);
    });
  }

  const outlook: Array<[string, string, RegExp]> = [
    // regression: new Outlook draws the border over the header block in rgb(), here in Greek
    ['html-outlook-new-rgb-border-el.eml', 'Ευχαριστώ, όλα καλά.', /είναι έτοιμη/],
    // regression: a bordered header block in any colour, in a language whose labels are not known, with its address
    ['html-outlook-border-any-colour-lv.eml', 'Paldies, viss kārtībā.', /ir gatavs/],
    // Outlook on the web: #appendonsend, the rule and #divRplyFwdMsg, above a Gmail quote
    ['html-outlook-web-appendonsend-mixed.eml', 'Agreed, please go ahead.', /Can I get a quote\?/],
    // a bordered box of the writer's own is not history
    ['html-bordered-box-not-history.eml', 'Please ship this one:\n\nOrder: 4711\nDate: 5 March\nAmount: 3 boxes\n\nThanks, Tom', /Thanks, Tom/],
  ];
  for (const [name, reply, history] of outlook) {
    it(name, async () => {
      const email = await read(name);
      expect(email.reply).toBe(reply);
      expect(email.text).toMatch(history);
    });
  }

  it('keeps formatting in the reply mrkdwn (Gmail bold, Outlook link)', async () => {
    expect((await read('html-gmail.eml')).replyMrkdwn).toBe('Yes, *please* ship it.');
    expect((await read('html-outlook.eml')).replyMrkdwn).toBe('Confirmed, see <https://kunde.test/po/7|PO 7>.');
  });
});

describe('HTML to Slack mrkdwn', () => {
  it('drops head, style, script and hidden preheaders; links, images and tables read well', async () => {
    const email = await read('html-newsletter.eml');
    const m = email.textMrkdwn;
    expect(m).not.toMatch(/Hidden preheader|alert|color:red|<title>|Sale\n/);
    expect(m).toContain('*Spring sale*');
    expect(m).toContain('Everything &amp; more at <https://shop.test/sale?a=1&b=2|our  shop  now>.');
    expect(m).toContain('<https://shop.test/banner.png|image: Banner>');
    expect(m).not.toContain('pixel.gif');
    expect(m).toMatch(/Shoes\s+20%/);
    expect(email.text).toContain('Everything & more at our | shop > now (https://shop.test/sale?a=1&b=2).');
  });

  it('text and mrkdwn renderings have the same lines', () => {
    const html = '<p>One &amp; <b>two</b></p><ul><li>a <a href="https://x.test">link</a></li><li>b</li></ul><h2>Title</h2><blockquote>q</blockquote>';
    expect(htmlToMrkdwn(html).split('\n').length).toBe(htmlToPlain(html).split('\n').length);
  });

  it('renders pathological nesting as bare text, quickly and escaped', () => {
    const html = `${'<div>'.repeat(50_000)}a <b>&lt;!here&gt;</b>`;
    const t0 = performance.now();
    const m = htmlToMrkdwn(html);
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(m).toBe('a &lt;!here&gt;');
    expect(htmlToPlain(html)).toBe('a <!here>');
  });
});

describe('hostile email never makes a live mention or link in Slack', () => {
  it('escapes Slack syntax, defuses broadcasts, keeps only safe links', async () => {
    const email = await read('html-hostile.eml');
    for (const m of [email.textMrkdwn, email.replyMrkdwn]) {
      // Every `<` in the mrkdwn opens one of our own links to an http(s) URL.
      for (const opening of m.matchAll(/<([^>]*)>/g)) expect(opening[1]).toMatch(/^https:\/\/evil\.test\/[^|<>\s]*(?:\|[^|<>]*)?$/);
      expect(m).not.toMatch(/<[!@#]/);
      expect(m).not.toMatch(/@(?:here|channel|everyone)/);
      expect(m).toContain('&lt;!channel&gt;');
      expect(m).toContain('&lt;@U0123ABC&gt;');
      expect(m).not.toContain('javascript:');
    }
    expect(email.textMrkdwn).toContain('<https://evil.test/x%7Cy%3Ez|click &lt;!here  me >');
  });
});

import { describe, expect, it } from 'vitest';
import { mrkdwnToEmail } from '../../../src/core/mrkdwn-to-email.ts';

const users = { U0ANA: 'Ana Lima', U0BOB: 'Bob <b>' };
const convert = (text: string) => mrkdwnToEmail(text, { users });
/** The HTML between <div …> and </div>, i.e. without the document wrapper. */
const body = (text: string) => {
  const html = convert(text).html;
  return html.slice(html.indexOf('>', html.indexOf('<div')) + 1, html.lastIndexOf('</div>')).trim();
};
const stripStyles = (html: string) => html.replace(/ style="[^"]*"/g, '');

describe('inline formatting', () => {
  it('bold, italic, strike and code', () => {
    const result = convert('*bold* _italic_ ~strike~ `a < b`');
    expect(result.text).toBe('*bold* _italic_ ~strike~ `a < b`\n');
    expect(stripStyles(body('*bold* _italic_ ~strike~ `a < b`'))).toBe(
      '<p><strong>bold</strong> <em>italic</em> <s>strike</s> <code>a &#60; b</code></p>',
    );
  });

  it('nests marks', () => {
    expect(stripStyles(body('*bold _and italic_ ~gone~*'))).toBe('<p><strong>bold <em>and italic</em> <s>gone</s></strong></p>');
  });

  it('needs word boundaries, like Slack', () => {
    for (const text of ['snake_case_name', '2*3*4', 'a~b~c', '* not bold *', '_ spaced _', 'half *open']) {
      expect(stripStyles(body(text))).not.toMatch(/<(strong|em|s)>/);
    }
    expect(stripStyles(body('(*yes*)'))).toBe('<p>(<strong>yes</strong>)</p>');
  });

  it('marks do not span lines', () => {
    expect(stripStyles(body('*one\ntwo*'))).toBe('<p>*one<br>\ntwo*</p>');
  });

  it('formatting characters inside code stay literal', () => {
    expect(stripStyles(body('`*not bold* _x_`'))).toBe('<p><code>*not bold* _x_</code></p>');
  });
});

describe('Slack tokens', () => {
  it('links with and without labels', () => {
    const text = 'See <https://ex.com/a?b=1&amp;c=2|the docs>, <https://ex.com/> and <https://ex.com/x|ex.com/x>';
    expect(convert(text).text).toBe('See the docs (https://ex.com/a?b=1&c=2), https://ex.com/ and https://ex.com/x\n');
    expect(stripStyles(body(text))).toBe(
      '<p>See <a href="https://ex.com/a?b=1&#38;c=2">the docs</a>, <a href="https://ex.com/">https://ex.com/</a> and <a href="https://ex.com/x">ex.com/x</a></p>',
    );
  });

  it('mailto links show the address', () => {
    expect(convert('Write to <mailto:ana@x.com|ana@x.com>').text).toBe('Write to ana@x.com\n');
    expect(stripStyles(body('<mailto:ana@x.com|ana@x.com>'))).toBe('<p><a href="mailto:ana@x.com">ana@x.com</a></p>');
  });

  it('user mentions become names; unknown users keep their label or id', () => {
    expect(convert('Thanks <@U0ANA>, <@U0ZED|zed> and <@U0ZZZ>').text).toBe('Thanks @Ana Lima, @zed and @U0ZZZ\n');
  });

  it('names are escaped in HTML', () => {
    expect(stripStyles(body('<@U0BOB>'))).toBe('<p>@Bob &#60;b&#62;</p>');
  });

  it('channels, broadcasts, user groups and dates read as text', () => {
    expect(convert('<#C01|general> <#C02> <!here> <!channel> <!everyone> <!subteam^S1|@ops> <!date^1392734382^{date}|Feb 18, 2014>').text).toBe(
      '#general #C02 @here @channel @everyone @ops Feb 18, 2014\n',
    );
  });

  it('decodes Slack entities exactly once', () => {
    expect(convert('a &amp; b &lt;tag&gt; &amp;lt;').text).toBe('a & b <tag> &lt;\n');
    expect(stripStyles(body('a &amp; b &amp;lt;'))).toBe('<p>a &#38; b &#38;lt;</p>');
  });
});

describe('emoji', () => {
  it('turns known shortcodes into characters, with skin tones', () => {
    // Emojibase writes some with a redundant VS16 (U+FE0F); both forms show the same.
    const text = convert(':tada: :+1: :thumbsup: :white_check_mark: :wave::skin-tone-3: :heart:').text;
    expect(text.replace(/\uFE0F/g, '')).toBe('🎉 👍 👍 ✅ 👋🏼 ❤\n');
  });

  it('leaves unknown shortcodes and times alone', () => {
    expect(convert(':our-custom-emoji: at 10:30:45').text).toBe(':our-custom-emoji: at 10:30:45\n');
  });

  it('does not convert inside code or links', () => {
    expect(convert('`:tada:` <https://ex.com/:tada:|:tada:>').text).toBe('`:tada:` :tada: (https://ex.com/:tada:)\n');
  });
});

describe('blocks', () => {
  it('paragraphs and line breaks', () => {
    const text = 'Hello Ana,\nthanks for writing.\n\n\nBest,\nBob';
    expect(convert(text).text).toBe('Hello Ana,\nthanks for writing.\n\nBest,\nBob\n');
    expect(stripStyles(body(text))).toBe('<p>Hello Ana,<br>\nthanks for writing.</p>\n<p>Best,<br>\nBob</p>');
  });

  it('quotes, escaped (as Slack stores them) or not', () => {
    const text = '&gt; you wrote\n&gt; *this*\n> and this\nMy answer';
    expect(convert(text).text).toBe('> you wrote\n> *this*\n> and this\n\nMy answer\n');
    expect(stripStyles(body(text))).toBe(
      '<blockquote>you wrote<br>\n<strong>this</strong><br>\nand this</blockquote>\n<p>My answer</p>',
    );
  });

  it('>>> quotes the rest of the message', () => {
    expect(convert('Intro\n&gt;&gt;&gt; all\nof this').text).toBe('Intro\n\n> all\n> of this\n');
  });

  it('bulleted, numbered and nested lists', () => {
    const text = '• one\n• *two*\n    ◦ sub\n- dash\n3. three\n4. four';
    expect(convert(text).text).toBe('- one\n- *two*\n  - sub\n- dash\n3. three\n4. four\n');
    expect(stripStyles(body(text))).toBe(
      '<ul><li>one</li><li><strong>two</strong><ul><li>sub</li></ul></li><li>dash</li></ul><ol start="3"><li>three</li><li>four</li></ol>',
    );
  });

  it('code blocks keep their content verbatim', () => {
    const text = 'Try:\n```\nif (a &lt; b &amp;&amp; *c*) {\n  go(<https://x.com>);\n}\n```\nthen';
    expect(convert(text).text).toBe('Try:\n\nif (a < b && *c*) {\n  go(https://x.com);\n}\n\nthen\n');
    expect(stripStyles(body(text))).toBe('<p>Try:</p>\n<pre>if (a &#60; b &#38;&#38; *c*) {\n  go(https://x.com);\n}</pre>\n<p>then</p>');
  });

  it('an unclosed fence is text', () => {
    expect(convert('a ``` b').text).toBe('a ``` b\n');
  });

  it('empty input gives an empty text part and a valid document', () => {
    const result = convert('');
    expect(result.text).toBe('');
    expect(result.html).toMatch(/^<!DOCTYPE html>/);
  });
});

describe('hostile text', () => {
  it('typed HTML stays text', () => {
    const text = '&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;';
    const { html } = convert(text);
    expect(html).not.toMatch(/<script|<img/i);
    expect(convert(text).text).toBe('<script>alert(1)</script> <img src=x onerror=alert(1)>\n');
  });

  it('raw angle brackets that are not Slack syntax stay text', () => {
    const { html } = convert('<script>alert(1)</script> <b onmouseover="x">');
    expect(html).not.toMatch(/<script|<b /);
    expect(html).toContain('&#60;script&#62;');
  });

  it('only http(s), mailto and tel links become anchors', () => {
    const { html, text } = convert('<javascript:alert(1)|click me> <data:text/html,hi|data> <vbscript:x>');
    expect(html).not.toMatch(/href/);
    expect(html).toContain('click me');
    expect(text).toBe('click me data vbscript:x\n');
  });

  it('quotes in a URL cannot break out of the attribute', () => {
    const { html } = convert('<https://ex.com/"onmouseover="alert(1)|x>');
    expect(html).toContain('href="https://ex.com/&#34;onmouseover=&#34;alert(1)"');
    expect(html).not.toContain('"onmouseover="');
  });

  it('control characters are dropped', () => {
    expect(convert('a\u0000b\u001bc\r\nd').text).toBe('abc\nd\n');
  });

  it('stays fast on pathological input', () => {
    const start = performance.now();
    convert('*a _b ~c '.repeat(5000) + '\n' + '`'.repeat(10000) + '<'.repeat(10000));
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/core/slack-text.ts';
import { differs, emailMessage, MESSAGE_TEXT_BUDGET, type EmailMessageVM } from '../../../src/slack/ui/blocks/email-message.ts';
import { Actions } from '../../../src/slack/ui/ids.ts';
import { blockProblems, mrkdwnProblems } from './block-kit-limits.ts';

const base: EmailMessageVM = {
  direction: 'in',
  kind: 'human',
  from: { name: 'Jane Doe', address: 'jane@example.com' },
  to: [{ name: 'Support', address: 'support@acme.com' }],
  cc: [{ name: 'Ann', address: 'ann@example.com' }],
  subject: 'Re: Invoice missing',
  conversationSubject: 'Invoice missing',
  date: Date.UTC(2026, 2, 1, 9, 30),
  bodyMrkdwn: 'Hello,\n*still* waiting.\nJane',
};

function sectionTexts(blocks: ReturnType<typeof emailMessage>['blocks']): string[] {
  return blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

function textSize(blocks: ReturnType<typeof emailMessage>['blocks']): number {
  return JSON.stringify(blocks.map((b) => (b.type === 'section' ? b.text?.text : b.type === 'context' ? b.elements : ''))).length;
}

describe('emailMessage', () => {
  it('shows headers, the body as given, and posts under the sender name', () => {
    const m = emailMessage(base);
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('*From* Jane Doe &lt;jane@example.com&gt;');
    expect(all).toContain('*To* Support &lt;support@acme.com&gt;');
    expect(all).toContain('*CC* Ann &lt;ann@example.com&gt;');
    expect(all).toContain('<!date^1772357400^');
    expect(sectionTexts(m.blocks)).toEqual(['Hello,\n*still* waiting.\nJane']);
    expect(m.truncated).toBe(false);
    expect(m.username).toBe('Jane Doe');
    expect(m.text).toContain('Email from Jane Doe');
    expect(blockProblems(m.blocks, 50)).toEqual([]);
  });

  it('shows the subject only when it differs from the conversation subject', () => {
    expect(JSON.stringify(emailMessage(base).blocks)).not.toContain('*Subject:*');
    const other = emailMessage({ ...base, subject: 'Another thing' });
    expect(JSON.stringify(other.blocks)).toContain('*Subject:* Another thing');
    expect(differs('AW: Fwd: RE:  invoice   missing', 'Invoice missing')).toBe(false);
    expect(differs('', 'Invoice missing')).toBe(false);
  });

  it('does not escape the body twice', () => {
    const body = escapeMrkdwn('a < b & c > d');
    const m = emailMessage({ ...base, bodyMrkdwn: body });
    expect(sectionTexts(m.blocks)).toEqual(['a &lt; b &amp; c &gt; d']);
  });

  it('splits a long body into sections of at most 3,000 characters on line boundaries', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const m = emailMessage({ ...base, bodyMrkdwn: lines.join('\n') });
    const sections = sectionTexts(m.blocks);
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(3000);
    expect(sections.join('\n')).toBe(lines.join('\n'));
    expect(m.truncated).toBe(false);
    expect(blockProblems(m.blocks, 50)).toEqual([]);
  });

  it('cuts a body over the message budget and says the full message is attached', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'y'.repeat(60)}`).join('\n');
    const m = emailMessage({ ...base, bodyMrkdwn: body });
    expect(m.truncated).toBe(true);
    expect(textSize(m.blocks)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET + 1000);
    expect(sectionTexts(m.blocks).join('').length).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
    expect(JSON.stringify(m.blocks)).toContain('full message is attached');
    expect(blockProblems(m.blocks, 50)).toEqual([]);
  });

  it('never exceeds 50 blocks, even with many short lines between long ones', () => {
    const body = Array.from({ length: 400 }, (_, i) => (i % 2 ? 'z'.repeat(2985) : 'short')).join('\n');
    const m = emailMessage({ ...base, bodyMrkdwn: body, attachments: Array.from({ length: 30 }, (_, i) => ({ filename: `f${i}.pdf`, size: 1000 * i })) });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(m.truncated).toBe(true);
    expect(blockProblems(m.blocks, 50)).toEqual([]);
  });

  it('splits a single giant line without breaking entities or tokens', () => {
    const body = escapeMrkdwn('<>&'.repeat(3000));
    const m = emailMessage({ ...base, bodyMrkdwn: body });
    for (const s of sectionTexts(m.blocks)) {
      expect(s.replace(/…$/, '')).toMatch(/^(&lt;|&gt;|&amp;)+$/);
    }
    expect(blockProblems(m.blocks, 50)).toEqual([]);
  });

  it('keeps code blocks that span a cut rendering as code on both sides', () => {
    const code = Array.from({ length: 120 }, (_, i) => `console.log(${i}); // ${'c'.repeat(30)}`).join('\n');
    const m = emailMessage({ ...base, bodyMrkdwn: `Before\n\`\`\`\n${code}\n\`\`\`\nAfter` });
    const sections = sectionTexts(m.blocks);
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect((s.match(/```/g) ?? []).length % 2).toBe(0);
  });

  it('lists attachments and says when quoted text is hidden', () => {
    const m = emailMessage({
      ...base,
      quotedHidden: true,
      attachments: [
        { filename: 'invoice <1>.pdf', size: 120 * 1024 },
        { filename: 'logo.png', size: 500, inline: true },
      ],
    });
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('2 attachments: invoice &lt;1&gt;.pdf (120 KB), logo.png (500 B, inline)');
    expect(all).toContain('quoted history and signature are hidden');
    const button = m.blocks.flatMap((b) => (b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : []));
    expect(button).toEqual([expect.objectContaining({ action_id: Actions.showFullEmail, text: expect.objectContaining({ text: 'Show full message' }) })]);
    expect(JSON.stringify(emailMessage({ ...base, quotedHidden: false }).blocks)).not.toContain(Actions.showFullEmail);
    expect(m.truncated).toBe(false);
  });

  it('an oversize email is marked truncated even when the shown part fits', () => {
    expect(emailMessage({ ...base, oversize: true }).truncated).toBe(true);
  });

  it('outgoing mail says who sent it, with BCC, and has no username', () => {
    const m = emailMessage({
      ...base,
      direction: 'out',
      from: { name: 'Support', address: 'support@acme.com' },
      to: [{ name: 'Jane', address: 'jane@example.com' }],
      cc: [],
      bcc: [{ name: '', address: 'boss@acme.com' }],
      sentByUserId: 'U0AGENT1',
    });
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('*Sent* by <@U0AGENT1> *from* Support &lt;support@acme.com&gt;');
    expect(all).toContain('*BCC* boss@acme.com');
    expect(m.username).toBeUndefined();
    expect(m.text).not.toContain('<@');
  });

  it('auto-replies and reports are one quiet, short context line', () => {
    const auto = emailMessage({ ...base, kind: 'auto-reply', bodyMrkdwn: 'I am away until Monday. '.repeat(100) });
    expect(auto.blocks).toHaveLength(1);
    expect(auto.blocks[0]!.type).toBe('context');
    expect(JSON.stringify(auto.blocks)).toContain('Automatic reply');
    expect(JSON.stringify(auto.blocks).length).toBeLessThan(700);
    const report = emailMessage({ ...base, kind: 'report', bodyMrkdwn: 'Delivered' });
    expect(report.blocks).toHaveLength(1);
    expect(report.truncated).toBe(false);
  });

  it('regression: hostile headers never ping, in blocks, fallback or username', () => {
    const m = emailMessage({
      ...base,
      from: { name: '<!channel> @here', address: 'evil@example.com' },
      to: [{ name: '<@U0BOSS>', address: 'x@y.z' }],
      cc: [{ name: '@everyone', address: 'c@y.z' }],
      subject: '<!subteam^S1|team>',
      attachments: [{ filename: '<!here>.exe', size: 1 }],
      bodyMrkdwn: escapeMrkdwn('<!channel> hi @here'),
    });
    expect(blockProblems(m.blocks, 50)).toEqual([]);
    expect(mrkdwnProblems(m.text, 'text')).toEqual([]);
    expect(m.username).not.toMatch(/@(here|channel|everyone)\b/);
  });
});

import { describe, expect, it } from 'vitest';
import { bounceWords } from '../../../src/core/bounce-words.ts';
import { BOUNCE_REASONS } from '../../../src/core/bounce-words.ts';
import { bounceNote, withSentAgain, type BounceNoteVM } from '../../../src/slack/ui/blocks/bounce-note.ts';
import { Actions, Blocks } from '../../../src/slack/ui/ids.ts';
import { allText, blockProblems, mrkdwnProblems } from './block-kit-limits.ts';

const base: BounceNoteVM = {
  from: { name: 'Mail Delivery System', address: 'MAILER-DAEMON@mx.acme.test' },
  recipients: ['ravi@kunde.test'],
  reason: 'userunknown',
  retryable: false,
  status: '5.1.1',
  diagnostic: '550 5.1.1 <ravi@kunde.test>: Recipient address rejected: User unknown',
  delayed: false,
  ours: { sentByUserId: 'U0AGENT1', sentAt: Date.UTC(2024, 2, 5, 9, 0) },
};

const buttons = (blocks: unknown[]) => JSON.stringify(blocks).match(/"action_id":"mr_send_again"/g)?.length ?? 0;

describe('bounce note', () => {
  it('says in words what happened, the code, the server line and what to do; no button when trying again is useless', () => {
    const m = bounceNote({ ...base, sendAgain: null });
    const text = allText(m.blocks);
    expect(text).toContain('*The email by <@U0AGENT1> of <!date^');
    expect(text).toContain("was not delivered to ravi@kunde.test*: the address doesn't exist.");
    expect(text).toContain('Check the address with the customer (a typo?)');
    expect(text).toContain('Status 5.1.1');
    expect(text).toContain('the server said: _550 5.1.1 &lt;ravi@kunde.test&gt;: Recipient address rejected: User unknown_');
    expect(buttons(m.blocks)).toBe(0);
    expect(m.text).not.toMatch(/<[@!#]/);
  });

  it('a full mailbox: try later, and the Send again button carries the bounce row', () => {
    const m = bounceNote({ ...base, reason: 'mailboxfull', retryable: true, status: '5.2.2', sendAgain: { bounceRowId: 42 } });
    expect(allText(m.blocks)).toContain('their mailbox is full');
    expect(allText(m.blocks)).toContain('Try again later');
    const actions = m.blocks.find((b) => b.block_id === Blocks.sendAgain);
    expect(actions).toMatchObject({ type: 'actions', elements: [{ type: 'button', action_id: Actions.sendAgain, value: '42' }] });
  });

  it('once sent again, the button gives way to who did it (and it is never offered again)', () => {
    const m = bounceNote({ ...base, reason: 'mailboxfull', retryable: true, sendAgain: { bounceRowId: 42 } });
    const after = withSentAgain(m.blocks, 'U0OTHER2');
    expect(buttons(after)).toBe(0);
    expect(allText(after)).toContain(':repeat: Sent again by <@U0OTHER2>');
    const rerendered = bounceNote({ ...base, reason: 'mailboxfull', retryable: true, sendAgain: null, resentBy: 'U0OTHER2' });
    expect(buttons(rerendered.blocks)).toBe(0);
    expect(allText(rerendered.blocks)).toContain('Sent again by <@U0OTHER2>');
  });

  it('a delay warning: nothing to do yet, no button', () => {
    const m = bounceNote({ ...base, reason: 'expired', retryable: true, delayed: true, sendAgain: { bounceRowId: 1 } });
    expect(allText(m.blocks)).toContain('*Delivery delayed* to ravi@kunde.test');
    expect(allText(m.blocks)).toContain('nothing to do yet');
    expect(buttons(m.blocks)).toBe(0);
  });

  it('too big: send it without attachments', () => {
    expect(bounceWords('mesgtoobig').advice).toMatch(/without attachments/);
    expect(bounceWords('exceedlimit').advice).toMatch(/without attachments/);
  });

  it('a temporary refusal that may lift says so; one that says "try again later" already is left alone', () => {
    expect(bounceWords('blocked', true).advice).toMatch(/^It may pass later\. If it doesn't: ask your mail administrator/);
    expect(bounceWords('mailboxfull', true).advice).toBe(bounceWords('mailboxfull').advice);
  });

  it('every reason has words, within Block Kit limits, and hostile server text never pings', () => {
    for (const reason of BOUNCE_REASONS) {
      const w = bounceWords(reason);
      expect(w.what.length, reason).toBeGreaterThan(5);
      expect(w.label.length, reason).toBeGreaterThan(3);
      const m = bounceNote({
        ...base,
        reason,
        recipients: ['<!channel>@x.test'],
        diagnostic: `550 <!here> <@U0BOSS> ${'x'.repeat(5000)}`,
        from: { name: '<!everyone>', address: 'daemon@x.test' },
        sendAgain: { bounceRowId: 7 },
      });
      expect(blockProblems(m.blocks, 50), reason).toEqual([]);
      expect(allText(m.blocks)).not.toMatch(/<!(?:here|channel|everyone)>|<@U0BOSS>/);
      expect(mrkdwnProblems(m.text, reason)).toEqual([]);
    }
  });
});

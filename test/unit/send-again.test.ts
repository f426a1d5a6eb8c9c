import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../src/store/index.ts';
import { bounceNoteVM } from '../../src/usecases/bounce-view.ts';
import { replyParent } from '../../src/usecases/outbox-emails.ts';
import { sendAgain, sendAgainTarget } from '../../src/usecases/send-again.ts';
import type { StoredBounce } from '../../src/core/types.ts';

const T0 = Date.UTC(2024, 2, 5, 9, 0);

function seed(bounce: Omit<StoredBounce, 'of'>) {
  const store = createStore(openDb(':memory:'));
  const [inbox] = store.inboxes.sync([{ key: 'support', name: 'Support', channelId: 'C1', address: 'support@x.com' }]);
  const c = store.conversations.create({ inboxId: inbox!.id, contactId: null, subject: 'Zip', channelId: 'C1', ourAddress: 'support@x.com' });
  const base = { conversationId: c.id, inboxId: inbox!.id, inReplyTo: null, references: [], to: [], cc: [], subject: 'Zip', kind: 'human' as const, postState: 'posted' as const };
  const question = store.messages.insert({ ...base, direction: 'in', messageId: 'q@customer.com', from: { name: 'Ann', address: 'ann@customer.com' } });
  const row = store.outbox.add({ conversationId: c.id, inboxId: inbox!.id, kind: 'reply', slackChannel: 'C1', slackTs: '1.1', slackUserId: 'U0ANA1', payload: { text: 'hi', files: [] }, messageId: 'r@x.com', sendAt: T0 }).row;
  store.outbox.markSent(row.id, T0);
  const ours = store.messages.insert({ ...base, direction: 'out', messageId: 'r@x.com', from: { name: 'Support', address: 'support@x.com' }, receivedAt: T0 });
  // The customer wrote again after our reply: a resend must still answer the first question.
  store.messages.insert({ ...base, direction: 'in', messageId: 'q2@customer.com', from: { name: 'Ann', address: 'ann@customer.com' } });
  const b = store.messages.insert({ ...base, kind: 'bounce', direction: 'in', messageId: 'b@mx.x.com', from: { name: '', address: 'mailer-daemon@mx.x.com' }, bounce: { ...bounce, of: ours.id } });
  return { store, c, row, ours, b, question };
}

describe('Send again', () => {
  it('puts a bounced email back in the outbox once, whoever clicks and however often', () => {
    const { store, row, b } = seed({ reason: 'mailboxfull', status: '5.2.2', retryable: true });
    expect(sendAgainTarget(store, b.id).ok).toBe(true);
    const first = sendAgain(store, { bounceRowId: b.id, userId: 'U0BEN2', now: T0 + 60_000 });
    expect(first).toMatchObject({ ok: true, outboxId: row.id });
    expect(store.outbox.byId(row.id)).toMatchObject({ status: 'retry', resentBy: 'U0BEN2', resentAt: T0 + 60_000, sendAt: T0 + 60_000, messageId: 'r@x.com' });
    expect(store.outbox.due(T0 + 60_000).map((r) => r.id)).toEqual([row.id]);
    expect(sendAgain(store, { bounceRowId: b.id, userId: 'U0ANA1', now: T0 + 61_000 })).toEqual({ ok: false, reason: 'already', resentBy: 'U0BEN2' });
    // Even once it is sent again and bounces again.
    store.outbox.markSent(row.id, T0 + 62_000);
    expect(sendAgain(store, { bounceRowId: b.id, userId: 'U0ANA1', now: T0 + 63_000 })).toMatchObject({ ok: false, reason: 'already' });
    expect(store.events.between(0, Number.MAX_SAFE_INTEGER).filter((e) => e.type === 'reply.resent')).toHaveLength(1);
  });

  it('is not offered when the same email would meet the same answer', () => {
    const { store, b } = seed({ reason: 'userunknown', status: '5.1.1', retryable: false });
    expect(sendAgain(store, { bounceRowId: b.id, userId: 'U0BEN2', now: T0 })).toMatchObject({ ok: false, reason: 'not-retryable' });
    expect(bounceNoteVM(store, store.messages.byId(b.id)!, null)).toMatchObject({ reason: 'userunknown', sendAgain: null, ours: { sentByUserId: 'U0ANA1', sentAt: T0 } });
  });

  it('the note offers it, then shows who used it, read from the store after a restart', () => {
    const { store, b } = seed({ reason: 'expired', status: '4.4.7', retryable: true });
    expect(bounceNoteVM(store, store.messages.byId(b.id)!, null)).toMatchObject({ sendAgain: { bounceRowId: b.id }, resentBy: null, status: '4.4.7' });
    sendAgain(store, { bounceRowId: b.id, userId: 'U0BEN2', now: T0 });
    expect(bounceNoteVM(store, store.messages.byId(b.id)!, null)).toMatchObject({ sendAgain: null, resentBy: 'U0BEN2' });
  });

  it('a bounce about mail that is not ours has nothing to send again', () => {
    const { store, c } = seed({ reason: 'mailboxfull', status: '5.2.2', retryable: true });
    const stray = store.messages.insert({ conversationId: c.id, inboxId: c.inboxId, direction: 'in', messageId: 's@mx.x.com', inReplyTo: null, references: [], from: { name: '', address: 'd@mx.x.com' }, to: [], cc: [], subject: '', kind: 'bounce', postState: 'posted', bounce: { reason: 'mailboxfull', status: null, retryable: true, of: null } });
    expect(sendAgain(store, { bounceRowId: stray.id, userId: 'U0BEN2', now: T0 })).toMatchObject({ ok: false, reason: 'not-ours' });
    expect(sendAgain(store, { bounceRowId: 9999, userId: 'U0BEN2', now: T0 })).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('regression: an email sent again answers what it answered the first time, not a later email', () => {
    const { store, c, ours, question } = seed({ reason: 'mailboxfull', status: '5.2.2', retryable: true });
    expect(replyParent(store, c.id).messageId).toBe('q2@customer.com');
    expect(replyParent(store, c.id, ours.id).messageId).toBe(question.messageId);
  });
});

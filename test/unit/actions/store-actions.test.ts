import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../../src/store/index.ts';

function seed() {
  const store = createStore(openDb(':memory:'));
  const [support, sales] = store.inboxes.sync([
    { key: 'support', name: 'Support', channelId: 'C1', address: 'support@x.com' },
    { key: 'sales', name: 'Sales', channelId: 'C2', address: 'sales@x.com' },
  ]);
  const ann = store.contacts.upsert('ann@customer.com', 'Ann').contact;
  const c = store.conversations.create({ inboxId: support!.id, contactId: ann.id, subject: 'Zip', channelId: 'C1', ourAddress: 'support@x.com' });
  const m = store.messages.insert({
    conversationId: c.id,
    inboxId: support!.id,
    direction: 'in',
    messageId: 'a@customer.com',
    inReplyTo: null,
    references: [],
    from: { name: 'Ann', address: 'ann@customer.com' },
    to: [],
    cc: [],
    subject: 'Zip',
    kind: 'human',
    postState: 'posted',
    location: { mailbox: 'INBOX', uidValidity: '77', uid: 5 },
  });
  return { store, support: support!, sales: sales!, c, m, ann };
}

describe('tickets', () => {
  it('keeps one open ticket per conversation, shows the latest closed one after closing', () => {
    const { store, c } = seed();
    const first = store.tickets.create({ conversationId: c.id, priority: 'high', createdBy: 'U1' });
    expect(first.created).toBe(true);
    expect(store.tickets.create({ conversationId: c.id, priority: 'low', createdBy: 'U2' })).toEqual({ ticket: first.ticket, created: false });
    expect(store.tickets.close(first.ticket.id)).toBe(true);
    expect(store.tickets.close(first.ticket.id)).toBe(false);
    expect(store.tickets.openFor(c.id)).toBeUndefined();
    expect(store.tickets.shownFor(c.id)).toMatchObject({ id: first.ticket.id, status: 'closed', priority: 'high' });
    const second = store.tickets.create({ conversationId: c.id, priority: 'low', createdBy: 'U2' });
    expect(second.created).toBe(true);
    expect(store.tickets.shownFor(c.id)?.id).toBe(second.ticket.id);
  });
});

describe('moving a conversation', () => {
  it('hands emails, tickets and unsent replies to the continuation, once', () => {
    const { store, c, m, sales, ann } = seed();
    const t = store.tickets.create({ conversationId: c.id, priority: 'normal', createdBy: 'U1' }).ticket;
    const pending = store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U1', payload: {}, messageId: 'p@x.com', sendAt: Date.now() + 10_000 }).row;
    const sent = store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U1', payload: {}, messageId: 's@x.com', sendAt: 0 }).row;
    store.outbox.markSent(sent.id, 1);
    store.conversations.setStatus(c.id, 'pending');
    const to = store.moves.move(c.id, { inboxId: sales.id, contactId: ann.id, subject: c.subject, channelId: 'C2', ourAddress: 'sales@x.com', status: 'pending' })!;
    expect(to).toMatchObject({ inboxId: sales.id, channelId: 'C2', status: 'pending', movedToId: null });
    expect(to.token).not.toBe(c.token);
    expect(store.conversations.byId(c.id)?.movedToId).toBe(to.id);
    expect(store.messages.byId(m.id)?.conversationId).toBe(to.id);
    expect(store.messages.byId(m.id)?.inboxId).toBe(c.inboxId); // still where the mailbox holds it
    expect(store.tickets.byId(t.id)?.conversationId).toBe(to.id);
    expect(store.outbox.byId(pending.id)).toMatchObject({ conversationId: to.id, inboxId: sales.id });
    expect(store.outbox.byId(sent.id)).toMatchObject({ conversationId: c.id, inboxId: c.inboxId });
    expect(store.moves.move(c.id, { inboxId: sales.id, contactId: null, subject: '', channelId: 'C2', ourAddress: 'sales@x.com', status: 'open' })).toBeNull();
  });
});

describe('pending replies and mail locations', () => {
  it('lists only replies still inside their undo window', () => {
    const { store, c } = seed();
    const now = 1_000_000;
    store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U1', payload: {}, messageId: 'a@x.com', sendAt: now + 5000 });
    store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U2', payload: {}, messageId: 'b@x.com', sendAt: now - 1 });
    store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'forward', slackUserId: 'U3', payload: {}, messageId: 'c@x.com', sendAt: now + 5000 });
    const cancelled = store.outbox.add({ conversationId: c.id, inboxId: c.inboxId, kind: 'reply', slackUserId: 'U4', payload: {}, messageId: 'd@x.com', sendAt: now + 5000 }).row;
    store.outbox.cancelPending(cancelled.id);
    expect(store.pendingReplies.inUndoWindow(now)).toEqual([{ conversationId: c.id, userId: 'U1', sendAt: now + 5000 }]);
  });

  it('knows where a received email sits in IMAP, and that our own have no place there', () => {
    const { store, c, m, support } = seed();
    expect(store.mailLocations.of(m.id)).toEqual({ inboxId: support.id, location: { mailbox: 'INBOX', uidValidity: '77', uid: 5 } });
    const out = store.messages.insert({ conversationId: c.id, inboxId: support.id, direction: 'out', messageId: 'o@x.com', inReplyTo: null, references: [], from: { name: '', address: 'support@x.com' }, to: [], cc: [], subject: '', kind: 'human', postState: 'posted' });
    expect(store.mailLocations.of(out.id)).toBeNull();
    expect(store.mailLocations.of(9999)).toBeNull();
  });
});

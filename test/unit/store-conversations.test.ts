import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../src/store/index.ts';

function seed() {
  const store = createStore(openDb(':memory:'));
  const [a, b] = store.inboxes.sync([
    { key: 'support', name: 'Support', channelId: 'C1', address: 'support@x.com' },
    { key: 'sales', name: 'Sales', channelId: 'C2', address: 'sales@x.com' },
  ]);
  const ann = store.contacts.upsert('ann@customer.com', 'Ann Archer').contact;
  const bob = store.contacts.upsert('bob@other.com', 'Bob Baker').contact;
  const mk = (inbox: typeof a, contactId: number, subject: string, assignee: string | null = null) =>
    store.conversations.create({ inboxId: inbox!.id, contactId, subject, channelId: inbox!.channelId, ourAddress: inbox!.address, assigneeUserId: assignee });
  const c1 = mk(a, ann.id, 'Broken zipper', 'U1');
  const c2 = mk(a, bob.id, 'Invoice copy', 'U1');
  const c3 = mk(b, ann.id, 'Bulk order', 'U2');
  const c4 = mk(a, bob.id, 'Old thing', 'U1');
  store.conversations.setStatus(c4.id, 'closed', 'resolved');
  return { store, c1, c2, c3, c4, a: a!, b: b! };
}

describe('conversation lookups for pickers and "mine"', () => {
  it('finds active conversations by number, subject or contact, never closed ones', () => {
    const { store, c1, c2, c3 } = seed();
    expect(store.conversations.searchActive('zip').map((c) => c.id)).toEqual([c1.id]);
    expect(store.conversations.searchActive(`#${c2.id}`).map((c) => c.id)).toEqual([c2.id]);
    expect(store.conversations.searchActive('archer').map((c) => c.id)).toEqual([c3.id, c1.id]);
    expect(store.conversations.searchActive('old thing')).toEqual([]);
  });

  it('puts the channel’s own conversations first and can keep to some inboxes', () => {
    const { store, a, b, c1, c2, c3 } = seed();
    expect(store.conversations.searchActive('', { channelId: b.channelId }).map((c) => c.id)).toEqual([c3.id, c2.id, c1.id]);
    expect(store.conversations.searchActive('', { inboxIds: [a.id] }).map((c) => c.id)).toEqual([c2.id, c1.id]);
  });

  it('lists a user’s active conversations, newest first', () => {
    const { store, c1, c2 } = seed();
    expect(store.conversations.activeFor('U1').map((c) => c.id)).toEqual([c2.id, c1.id]);
  });
});

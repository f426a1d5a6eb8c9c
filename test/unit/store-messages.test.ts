import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../src/store/index.ts';
import type { NewMessage } from '../../src/store/messages.ts';

function seed() {
  const store = createStore(openDb(':memory:'));
  const [support, sales] = store.inboxes.sync([
    { key: 'support', name: 'Support', channelId: 'C1', address: 'support@x.com' },
    { key: 'sales', name: 'Sales', channelId: 'C2', address: 'sales@x.com' },
  ]);
  const conversation = (inbox: typeof support) =>
    store.conversations.create({ inboxId: inbox!.id, contactId: null, subject: 'Order 12', channelId: inbox!.channelId, ourAddress: inbox!.address });
  const message = (conversationId: number, inboxId: number, direction: 'in' | 'out', messageId: string): NewMessage => ({
    conversationId,
    inboxId,
    direction,
    messageId,
    inReplyTo: null,
    references: [],
    from: { name: 'Ann', address: 'ann@customer.com' },
    to: [],
    cc: [],
    subject: 'Order 12',
    kind: 'human',
    postState: 'posted',
  });
  return { store, support: support!, sales: sales!, conversation, message };
}

describe('messages.byMessageId', () => {
  it('returns the newest row when one Message-ID was stored more than once (two inboxes, then our own copy)', () => {
    const { store, support, sales, conversation, message } = seed();
    const a = conversation(support);
    const b = conversation(sales);
    store.messages.insert(message(a.id, support.id, 'in', 'same@customer.com'));
    const second = store.messages.insert(message(b.id, sales.id, 'in', 'same@customer.com'));
    expect(store.messages.byMessageId('same@customer.com')?.id).toBe(second.id);
    const third = store.messages.insert(message(a.id, support.id, 'out', 'same@customer.com'));
    const found = store.messages.byMessageId('same@customer.com');
    expect(found?.id).toBe(third.id);
    expect(found?.direction).toBe('out');
    expect(found?.conversationId).toBe(a.id);
  });

  it('finds a single row, and nothing for an unknown id, call after call on the one prepared statement', () => {
    const { store, support, conversation, message } = seed();
    const c = conversation(support);
    const ids = Array.from({ length: 5 }, (_, i) => store.messages.insert(message(c.id, support.id, 'in', `m${i}@customer.com`)).id);
    for (let round = 0; round < 2; round++)
      for (const [i, id] of ids.entries()) {
        expect(store.messages.byMessageId(`m${i}@customer.com`)?.id).toBe(id);
        expect(store.messages.byMessageId(`unknown${i}@customer.com`)).toBeUndefined();
      }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createStore, openDb, type Db, type Store } from '../../src/store/index.ts';

let db: Db;
let store: Store;
let support: number;
let sales: number;

beforeEach(() => {
  db = openDb(':memory:');
  store = createStore(db);
  [support, sales] = store.inboxes
    .sync([
      { key: 'support', name: 'Support', channelId: 'C1', address: 'support@x.example' },
      { key: 'sales', name: 'Sales', channelId: 'C2', address: 'sales@x.example' },
    ])
    .map((i) => i.id) as [number, number];
});
afterEach(() => closeDb(db));

describe('templates repository', () => {
  it('creates, lists by name within an inbox, updates and deletes', () => {
    const b = store.templates.create(support, { name: 'refund', body: 'Hi {{first_name}}', updatedBy: 'U1' });
    store.templates.create(support, { name: 'Apology', body: 'Sorry', updatedBy: 'U1' });
    store.templates.create(sales, { name: 'Pricing', body: 'Our prices', updatedBy: 'U2' });
    expect(store.templates.list(support).map((t) => t.name)).toEqual(['Apology', 'refund']);
    expect(store.templates.list(sales).map((t) => t.name)).toEqual(['Pricing']);

    const updated = store.templates.update(b.id, { name: 'Refund', body: 'Hello {{first_name}}', updatedBy: 'U3' });
    expect(updated).toMatchObject({ id: b.id, inboxId: support, name: 'Refund', body: 'Hello {{first_name}}', updatedBy: 'U3' });
    expect(store.templates.byId(b.id)?.body).toBe('Hello {{first_name}}');

    expect(store.templates.delete(b.id)).toBe(true);
    expect(store.templates.delete(b.id)).toBe(false);
    expect(store.templates.byId(b.id)).toBeUndefined();
    expect(store.templates.update(b.id, { name: 'x', body: 'y', updatedBy: 'U1' })).toBeUndefined();
  });

  it('refuses a second template of the same name in one inbox, whatever the case', () => {
    store.templates.create(support, { name: 'Refund', body: 'a', updatedBy: 'U1' });
    const other = store.templates.create(support, { name: 'Other', body: 'b', updatedBy: 'U1' });
    expect(() => store.templates.create(support, { name: 'refund', body: 'c', updatedBy: 'U1' })).toThrow(
      expect.objectContaining({ code: 'template.duplicate_name' }),
    );
    expect(() => store.templates.update(other.id, { name: 'REFUND', body: 'b', updatedBy: 'U1' })).toThrow(
      expect.objectContaining({ code: 'template.duplicate_name' }),
    );
    // Another inbox may use the name; a template may keep its own name.
    expect(store.templates.create(sales, { name: 'Refund', body: 'd', updatedBy: 'U1' }).name).toBe('Refund');
    expect(store.templates.update(other.id, { name: 'other', body: 'b2', updatedBy: 'U1' })?.name).toBe('other');
  });
});

// Search: reading the query (words, phrases, prefixes, filters, what can't be read), the FTS5
// expression (nothing typed is FTS5 syntax), the store's index kept by the app's own paths
// (ingest, replies, notes, moves) and its filters and scope, the migration indexing mail that was
// there before it, and the results message.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSearch, ftsMatch, isEmptySearch, parseSearch, readDate, tokenize } from '../../src/core/search-query.ts';
import { closeDb, createStore, openDb, type Db } from '../../src/store/index.ts';
import { searchConversations, type SearchDeps } from '../../src/usecases/search.ts';
import { searchMessage } from '../../src/slack/ui/views/search.view.ts';
import { makeTempDir } from '../support/tmp.ts';
import { blockProblems } from './slack/block-kit-limits.ts';

describe('parseSearch', () => {
  it('splits words, phrases and filters', () => {
    expect(tokenize('refund "order 12" from:"Ana Lima" tag:x')).toEqual(['refund', '"order 12"', 'from:"Ana Lima"', 'tag:x']);
    const q = parseSearch('Refund "Order 12" invo* from:acme.com tag:#Billing status:open assignee:me before:2026-03-01 after:2026-01-31');
    expect(q.terms).toEqual([{ text: 'refund', prefix: false, phrase: false }, { text: 'order 12', prefix: false, phrase: true }, { text: 'invo', prefix: true, phrase: false }]);
    expect(q).toMatchObject({ from: ['acme.com'], tags: ['billing'], status: 'open', assignee: { me: true }, before: Date.UTC(2026, 2, 1), after: Date.UTC(2026, 1, 1), problems: [] });
  });

  it('reads every kind of assignee', () => {
    expect(parseSearch('assignee:@Ana').assignee).toEqual({ name: 'ana' });
    expect(parseSearch('assignee:<@U0ANA0001|ana>').assignee).toEqual({ userId: 'U0ANA0001' });
    expect(parseSearch('assignee:U0ANA0001').assignee).toEqual({ userId: 'U0ANA0001' });
    expect(parseSearch('assignee:none').assignee).toEqual({ none: true });
  });

  it('says what it cannot read, and treats unknown keys as words', () => {
    expect(parseSearch('status:lost before:yesterday is:late tag:').problems).toEqual([
      '`status:lost` is not a status (open, pending, closed, snoozed, waiting)',
      '`before:yesterday` is not a date like 2026-03-01',
      '`is:late` is not something I can look for (is:overdue)',
      '`tag:` needs a value',
    ]);
    expect(parseSearch('order:12').terms).toEqual([{ text: 'order:12', prefix: false, phrase: false }]);
    expect(readDate('2026-02-30')).toBeNull();
    expect(isEmptySearch(parseSearch('  '))).toBe(true);
    expect(isEmptySearch(parseSearch('!!!'))).toBe(true);
    expect(isEmptySearch(parseSearch('status:closed'))).toBe(false);
  });

  it('quotes every term, so nothing typed is FTS5 syntax', () => {
    expect(ftsMatch(parseSearch('refund OR NOT "a" NEAR(x) col:y* invo*'))).toBe('"refund" AND "or" AND "not" AND "a" AND "near(x)" AND "col:y"* AND "invo"*');
    expect(ftsMatch(parseSearch('from:ana@acme.com'))).toBe('senders : "ana@acme.com"');
    expect(ftsMatch(parseSearch('say "he said ""no"""'))).toContain('"say"');
    expect(ftsMatch(parseSearch('tag:x'))).toBeNull();
  });

  it('describes the query back', () => {
    expect(describeSearch(parseSearch('Refund from:acme.com assignee:@ana after:2026-01-31'))).toBe('refund from:acme.com assignee:@ana after:2026-01-31');
  });
});

describe('the search index', () => {
  let db: Db;
  let store: ReturnType<typeof createStore>;
  let ids: Record<string, number>;
  const deps = (): SearchDeps => ({ store, teamUrl: () => 'https://acme.slack.com/', memberInboxIds: async (u) => (u === 'U0BOTH' || u === 'U0ANA' ? [1, 2] : u === 'U0SALES' ? [2] : u === 'U0SUPPORT' ? [1] : []), findUser: async (n) => (n === 'ana' ? 'U0ANA' : null) });
  const numbers = async (userId: string, text: string) => {
    const r = await searchConversations(deps(), { userId, text });
    if (!r.ok) throw new Error(r.reason);
    return r.items.map((i) => i.number);
  };

  beforeAll(() => {
    db = openDb(':memory:');
    store = createStore(db);
    store.inboxes.sync([
      { key: 'support', name: 'Support', channelId: 'C0SUP', address: 'support@acme.com' },
      { key: 'sales', name: 'Sales', channelId: 'C0SAL', address: 'sales@acme.com' },
    ]);
    const conv = (inboxId: number, subject: string, who: string, text: string, o: { assignee?: string; status?: 'open' | 'pending' | 'closed' } = {}) => {
      const contact = store.contacts.upsert(who, who.split('@')[0]!).contact;
      const c = store.conversations.create({ inboxId, contactId: contact.id, subject, channelId: inboxId === 1 ? 'C0SUP' : 'C0SAL', ourAddress: 'x@acme.com', assigneeUserId: o.assignee ?? null });
      store.search.started(c.id, { subject, senders: `${contact.name} ${who}`, text });
      if (o.status) store.conversations.setStatus(c.id, o.status);
      return c.id;
    };
    ids = {
      refund: conv(1, 'Refund please', 'carla@customer.example', 'I want my money back for order 1234', { assignee: 'U0ANA' }),
      invoice: conv(1, 'Factura duplicada', 'pablo@empresa.es', 'Me cobraron dos veces la factura', { status: 'closed' }),
      sales: conv(2, 'Refund for the annual plan?', 'dora@bigcorp.example', 'Can we get a refund if we cancel?', { status: 'pending' }),
      moved: conv(1, 'Wrong inbox', 'erik@customer.example', 'This is about a quote'),
    };
    store.search.email(ids.refund!, { sender: 'Carla Cliente carla@customer.example', text: 'Here is the tracking number ZX9981' });
    store.search.email(ids.refund!, { sender: '', text: 'We sent the refund today' });
    store.search.note(ids.invoice!, 'Checked with accounting: the VAT number is wrong');
    store.tags.add(ids.refund!, ['billing', 'vip'], 'U0ANA');
    store.tags.add(ids.sales!, ['billing'], 'U0ANA');
    const to = store.moves.move(ids.moved!, { inboxId: 2, contactId: null, subject: 'Wrong inbox', channelId: 'C0SAL', ourAddress: 'sales@acme.com', status: 'open' })!;
    ids.movedTo = to.id;
  });
  afterAll(() => closeDb(db));

  it('finds by words in subject, senders, every email and notes, newest first, accents aside', async () => {
    expect(await numbers('U0BOTH', 'refund')).toEqual([ids.sales, ids.refund]);
    expect(await numbers('U0BOTH', 'zx9981')).toEqual([ids.refund]);
    expect(await numbers('U0BOTH', 'facturá')).toEqual([ids.invoice]);
    expect(await numbers('U0BOTH', 'accounting vat')).toEqual([ids.invoice]);
    expect(await numbers('U0BOTH', 'tracking ZX')).toEqual([]);
    expect(await numbers('U0BOTH', 'track*')).toEqual([ids.refund]);
    expect(await numbers('U0BOTH', '"dos veces"')).toEqual([ids.invoice]);
    expect(await numbers('U0BOTH', '"veces dos"')).toEqual([]);
  });

  it('never searches an inbox the person is not a member of', async () => {
    expect(await numbers('U0SUPPORT', 'refund')).toEqual([ids.refund]);
    expect(await numbers('U0SALES', 'refund')).toEqual([ids.sales]);
    expect(await searchConversations(deps(), { userId: 'U0NOBODY', text: 'refund' })).toEqual({ ok: false, reason: 'You are not a member of any inbox, so there is nothing for you to search.' });
  });

  it('filters by sender, tag, status, assignee and date', async () => {
    expect(await numbers('U0BOTH', 'from:bigcorp.example')).toEqual([ids.sales]);
    expect(await numbers('U0BOTH', 'from:carla@customer.example refund')).toEqual([ids.refund]);
    expect(await numbers('U0BOTH', 'tag:billing')).toEqual([ids.sales, ids.refund]);
    expect(await numbers('U0BOTH', 'tag:billing tag:vip')).toEqual([ids.refund]);
    expect(await numbers('U0BOTH', 'status:closed')).toEqual([ids.invoice]);
    expect(await numbers('U0BOTH', 'status:waiting')).toEqual([ids.sales]);
    expect(await numbers('U0BOTH', 'assignee:@ana')).toEqual([ids.refund]);
    expect(await numbers('U0ANA', 'assignee:me')).toEqual([ids.refund]);
    expect(await numbers('U0BOTH', 'assignee:none status:open')).toEqual([ids.movedTo]);
    expect(await numbers('U0BOTH', `before:2000-01-01`)).toEqual([]);
    expect((await numbers('U0BOTH', `after:2000-01-01`)).length).toBe(4);
  });

  it('a moved conversation is found where it went, with its text', async () => {
    expect(await numbers('U0BOTH', 'quote')).toEqual([ids.movedTo]);
    expect(await numbers('U0SUPPORT', 'quote')).toEqual([]);
  });

  it('status:snoozed finds snoozed conversations; is:overdue those past their response target, in the person\'s inboxes only', async () => {
    const put = store.conversations.create({ inboxId: 1, contactId: null, subject: 'Put away', channelId: 'C0SUP', ourAddress: 'x@acme.com' }).id;
    store.search.started(put, { subject: 'Put away', senders: '', text: 'call me next week' });
    store.conversations.snooze(put, Date.now() + 86_400_000, 'U0ANA', Date.now());
    expect(await numbers('U0BOTH', 'status:snoozed')).toEqual([put]);
    expect(await numbers('U0BOTH', 'status:open week')).toEqual([]);
    const late = { ...deps(), overdueIds: () => [ids.refund!, ids.sales!] };
    const found = async (userId: string, text: string) => {
      const r = await searchConversations(late, { userId, text });
      return r.ok ? r.items.map((i) => i.number) : r.reason;
    };
    expect(await found('U0BOTH', 'is:overdue')).toEqual([ids.sales, ids.refund]);
    expect(await found('U0BOTH', 'is:overdue tracking')).toEqual([ids.refund]);
    expect(await found('U0SUPPORT', 'is:overdue')).toEqual([ids.refund]);
    expect(await found('U0BOTH', 'is:overdue status:closed')).toEqual([]);
    expect(await searchConversations({ ...deps(), overdueIds: () => [] }, { userId: 'U0BOTH', text: 'is:overdue' })).toMatchObject({ ok: true, items: [] });
  });

  it('says plainly what it cannot search for', async () => {
    for (const [text, reason] of [
      ['is:overdue', /No inbox has response targets/],
      ['assignee:@zed', /I don't know who `@zed` is/],
      ['status:lost', /I can't read that/],
      ['', /Say what to look for/],
    ] as const) {
      const r = await searchConversations(deps(), { userId: 'U0BOTH', text });
      expect(r.ok ? 'ok' : r.reason).toMatch(reason);
    }
  });

  it('pages 20 at a time, newest first, with a way to the next page', async () => {
    const first = store.conversations.create({ inboxId: 1, contactId: null, subject: 'Page test 0', channelId: 'C0SUP', ourAddress: 'x@acme.com' }).id;
    store.search.started(first, { subject: 'Page test 0', senders: '', text: 'pagination' });
    for (let i = 1; i < 25; i++) {
      const id = store.conversations.create({ inboxId: 1, contactId: null, subject: `Page test ${i}`, channelId: 'C0SUP', ourAddress: 'x@acme.com' }).id;
      store.search.started(id, { subject: `Page test ${i}`, senders: '', text: 'pagination' });
    }
    const p1 = await searchConversations(deps(), { userId: 'U0SUPPORT', text: 'pagination' });
    if (!p1.ok) throw new Error(p1.reason);
    expect(p1.items).toHaveLength(20);
    expect(p1.items[0]!.subject).toBe('Page test 24');
    expect(p1.more).toEqual({ text: 'pagination', belowId: p1.items[19]!.number });
    const p2 = await searchConversations(deps(), { userId: 'U0SUPPORT', text: 'pagination', belowId: p1.more!.belowId });
    if (!p2.ok) throw new Error(p2.reason);
    expect(p2.items.map((i) => i.subject)).toEqual(['Page test 4', 'Page test 3', 'Page test 2', 'Page test 1', 'Page test 0']);
    expect(p2.more).toBeNull();
    const message = searchMessage({ query: 'pagination', items: p1.items, more: p1.more });
    expect(blockProblems(message.blocks, 50)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('"action_id":"mr_search_more"');
  });
});

describe('the results message', () => {
  it('shows number, subject (linked), sender, status, assignee, tags and inbox, escaping email text', () => {
    const m = searchMessage({
      query: 'refund',
      items: [{ number: 42, subject: 'Refund <!channel>', contact: { name: 'Carla', address: 'carla@x.example' }, inboxName: 'Support', status: 'open', assigneeUserId: 'U0ANA0001', tags: ['billing'], permalink: 'https://acme.slack.com/archives/C1/p1' }],
      more: null,
    });
    const line = JSON.stringify(m.blocks);
    expect(line).toContain('*<https://acme.slack.com/archives/C1/p1|#42 Refund &lt;!channel&gt;>* · Carla &lt;carla@x.example&gt; · :large_green_circle: Open · <@U0ANA0001> · `billing` · Support');
    expect(line).not.toContain('mr_search_more');
    expect(searchMessage({ query: 'x', items: [], more: null }).text).toBe('Search `x`: no conversation matches.');
  });
});

describe('the search migration indexes the mail that was there before it', () => {
  it('subjects, senders, first text and sent replies of existing conversations become searchable', () => {
    const dir = makeTempDir('mailroom-search-migration-');
    try {
      // The migrations before the search one only, as an install from before search had them.
      const root = join(import.meta.dirname, '..', '..', 'migrations');
      const older = join(dir.path, 'migrations');
      mkdirSync(join(older, 'meta'), { recursive: true });
      const journal = JSON.parse(readFileSync(join(root, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      const upTo = journal.entries.findIndex((e) => e.tag.endsWith('_search'));
      for (const e of journal.entries.slice(0, upTo)) cpSync(join(root, `${e.tag}.sql`), join(older, `${e.tag}.sql`));
      writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
      const file = join(dir.path, 'old.db');
      const sqlite = new Database(file);
      migrate(drizzle(sqlite), { migrationsFolder: older });
      sqlite.exec(`
        INSERT INTO inboxes (id, key, name, channel_id, address) VALUES (1, 'support', 'Support', 'C0SUP', 'support@acme.com');
        INSERT INTO contacts (id, email, name) VALUES (1, 'greta@old.example', 'Greta Old');
        INSERT INTO conversations (id, inbox_id, contact_id, subject, token, channel_id, our_address, snippet) VALUES (7, 1, 1, 'Broken kettle', 'tok7', 'C0SUP', 'support@acme.com', 'The kettle stopped working');
        INSERT INTO messages (conversation_id, inbox_id, direction, message_id, from_address, from_name) VALUES (7, 1, 'in', 'k1@old.example', 'greta@old.example', 'Greta Old');
        INSERT INTO outbox (conversation_id, inbox_id, kind, slack_user_id, status, payload, message_id, send_at) VALUES (7, 1, 'reply', 'U0ANA', 'sent', '{"text":"We will send a replacement","files":[]}', 'r1@acme.com', 0);
      `);
      sqlite.close();
      const db = openDb(file);
      const store = createStore(db);
      const find = (match: string) => store.search.find({ match, inboxIds: [1], limit: 5 }).map((c) => c.id);
      expect(find('"kettle"')).toEqual([7]);
      expect(find('senders : "greta@old.example"')).toEqual([7]);
      expect(find('"stopped"')).toEqual([7]);
      expect(find('"replacement"')).toEqual([7]);
      closeDb(db);
    } finally {
      dir.remove();
    }
  });
});

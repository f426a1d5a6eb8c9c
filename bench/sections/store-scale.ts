// The store at scale: a SQLite file made by the real migrations (openDb) filled with 1,000,000
// messages in realistic conversations (a few emails each, both directions, with contacts, events
// and the recipient log the app writes alongside), then Message-ID and thread (parent ts) lookups
// through the real repositories (createStore), timed one by one, and the file size per message.
import { statSync } from 'node:fs';
import path from 'node:path';
import { rng } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { dump, summarize } from '../stats.ts';
import { closeDb, createStore, openDb } from '../../src/store/index.ts';
import { makeTempDir } from '../../test/support/tmp.ts';
import { wordSource } from './search.ts';

const SECTION = 'store';
export const INBOXES = [
  { key: 'support', name: 'Support', channelId: 'C0STORE001', address: 'support@acme.example' },
  { key: 'sales', name: 'Sales', channelId: 'C0STORE002', address: 'sales@acme.example' },
];
/** Messages per conversation cycle through these (average 3.3). */
const THREAD_LENGTHS = [1, 2, 2, 3, 3, 4, 5, 6];
const BATCH = 50_000;
const DOMAINS = ['mail.gmail.com', 'eurprd04.prod.outlook.com', 'smtp.customer.example', 'mx.fastmail.com', 'acme.example'];
const SUBJECTS = ['Order {n} arrived damaged', 'Invoice {n}: VAT number missing', 'Cannot log in since the update', 'Question about the annual plan', 'Refund for booking {n}'];

const b36 = (random: () => number, len: number) => Array.from({ length: len }, () => Math.floor(random() * 36).toString(36)).join('');
/** Slack ts of the n-th post: unique, increasing, like Slack's. */
const slackTs = (base: number, n: number) => `${Math.floor(base / 1000) + Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}${String(n % 997).padStart(3, '0')}`;

interface Built {
  messageIds: string[];
  parents: { channel: string; ts: string }[];
  conversations: number;
  contacts: number;
  ms: number;
}

/** Fills the store with `total` messages by prepared statements in big transactions; returns
 * about `samples` known Message-IDs and conversation parents, for lookups. */
export function build(sqlite: ReturnType<typeof openDb>['$client'], total: number, samples: number): Built {
  const sampleEvery = Math.max(1, Math.floor(total / samples));
  // Conversations hold 3.3 messages on average.
  const sampleConversationEvery = Math.max(1, Math.floor(total / 3.3 / samples));
  const random = rng(99);
  const t0 = performance.now();
  // For the build only (the lookups reopen the file with the app's own settings): a big page
  // cache for the random-key indexes, and no fsync.
  sqlite.pragma('cache_size = -262144');
  sqlite.pragma('synchronous = OFF');
  const contacts = Math.round(total / 10);
  const insertContact = sqlite.prepare('INSERT INTO contacts (email, name, created_at) VALUES (?, ?, ?)');
  const insertConversation = sqlite.prepare(
    'INSERT INTO conversations (inbox_id, contact_id, subject, status, assignee_user_id, token, channel_id, slack_ts, our_address, snippet, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMessage = sqlite.prepare(
    'INSERT INTO messages (conversation_id, inbox_id, direction, message_id, in_reply_to, "references", from_address, from_name, "to", cc, reply_to, subject, kind, slack_ts, post_state, imap_mailbox, imap_uid_validity, imap_uid, delivery_state, received_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertEvent = sqlite.prepare('INSERT INTO events (at, type, inbox_id, conversation_id, actor_user_id, data) VALUES (?, ?, ?, ?, ?, ?)');
  const insertRecipient = sqlite.prepare('INSERT INTO recipient_log (address, at) VALUES (?, ?)');
  // The search index, as the app fills it: each conversation's subject, senders and the new text
  // of each email (~60 words of mail-like text).
  const insertSearch = sqlite.prepare('INSERT INTO search_index (rowid, subject, senders, body, notes) VALUES (?, ?, ?, ?, ?)');
  const text = wordSource(rng(5));
  const start = Date.now() - 3 * 365 * 86400_000;
  const contactEmail = (i: number) => `customer.${i}@${i % 3 ? 'customer' : 'mail'}-${i % 5000}.example`;

  sqlite.transaction(() => {
    for (let i = 1; i <= contacts; i++) insertContact.run(contactEmail(i), `Customer ${i}`, start);
  })();

  const messageIds: string[] = [];
  const parents: { channel: string; ts: string }[] = [];
  let written = 0;
  let conversation = 0;
  let post = 0;
  const uids = INBOXES.map(() => 0);
  while (written < total) {
    sqlite.transaction(() => {
      const stop = Math.min(total, written + BATCH);
      while (written < stop) {
        conversation++;
        const inboxNo = conversation % 10 < 7 ? 0 : 1;
        const inbox = INBOXES[inboxNo]!;
        const contactId = 1 + Math.floor(random() * contacts);
        const customer = contactEmail(contactId);
        const at = start + Math.floor((written / total) * 3 * 365 * 86400_000);
        const subject = SUBJECTS[conversation % SUBJECTS.length]!.replace('{n}', String(10000 + (conversation % 89999)));
        const parentTs = slackTs(start, ++post);
        const length = Math.min(THREAD_LENGTHS[conversation % THREAD_LENGTHS.length]!, stop - written);
        const convId = Number(
          insertConversation.run(inboxNo + 1, contactId, subject, random() < 0.9 ? 'closed' : 'open', random() < 0.5 ? `U0AGENT0${conversation % 7}` : null, b36(random, 12), inbox.channelId, parentTs, inbox.address, 'Hello, the parcel for my order arrived today with the box crushed and two of the glasses…', at, at).lastInsertRowid,
        );
        if (conversation % sampleConversationEvery === 0) parents.push({ channel: inbox.channelId, ts: parentTs });
        const thread: string[] = [];
        const bodies: string[] = [];
        for (let k = 0; k < length; k++) {
          bodies.push(text.sentence(60));
          const inbound = k % 2 === 0;
          const domain = inbound ? DOMAINS[Math.floor(random() * 4)]! : 'acme.example';
          const messageId = inbound ? `${b36(random, 20)}.${b36(random, 8)}@${domain}` : `mr.${b36(random, 12)}.${b36(random, 10)}@${domain}`;
          const to = JSON.stringify([{ name: inbound ? inbox.name : `Customer ${contactId}`, address: inbound ? inbox.address : customer }]);
          const from = inbound ? customer : inbox.address;
          const uid = inbound ? ++uids[inboxNo]! : null;
          const ts = slackTs(start, ++post);
          insertMessage.run(
            convId, inboxNo + 1, inbound ? 'in' : 'out', messageId, thread.at(-1) ?? null, JSON.stringify(thread.slice(-10)),
            from, inbound ? `Customer ${contactId}` : `Ana (${inbox.name})`, to, random() < 0.15 ? JSON.stringify([{ name: '', address: `cc.${contactId}@customer.example` }]) : '[]', '[]',
            k ? `Re: ${subject}` : subject, 'human', ts, 'posted', inbound ? 'INBOX' : null, inbound ? '1700000000' : null, uid, inbound ? null : 'sent', at + k * 3600_000, at + k * 3600_000,
          );
          insertEvent.run(at + k * 3600_000, inbound ? 'email.received' : 'reply.sent', inboxNo + 1, convId, inbound ? null : 'U0AGENT01', inbound ? `{"messageRowId":${written + 1}}` : `{"outboxId":${written + 1},"kind":"reply","attempts":1}`);
          if (!inbound) insertRecipient.run(customer, at + k * 3600_000);
          thread.push(messageId);
          if ((written + 1) % sampleEvery === 0) messageIds.push(messageId);
          written++;
        }
        insertSearch.run(convId, subject, `Customer ${contactId} ${customer}`, bodies.join(' '), '');
      }
    })();
  }
  return { messageIds, parents, conversations: conversation, contacts, ms: performance.now() - t0 };
}

type Sqlite = ReturnType<typeof openDb>['$client'];

/** The FTS5 tables of the schema (search). */
function searchTables(sqlite: Sqlite): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'").all() as { name: string }[]).map((r) => r.name);
}

/**
 * The search index (FTS5): build() fills it as the app does, one row per conversation, so the size
 * figure counts it. This checks that every FTS5 table of the schema was filled, and refuses to
 * report a size that leaves one out.
 */
function fillSearchIndex(sqlite: Sqlite): void {
  const conversations = (sqlite.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  for (const table of searchTables(sqlite)) {
    const rows = (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    if (rows !== conversations)
      throw new Error(`the FTS5 table ${table} holds ${rows} rows for ${conversations} conversations: fill it in build() (bench/sections/store-scale.ts) so the size per message counts the search index`);
  }
}

/** Bytes on disk by table, its indexes included (SQLite's dbstat), and the search index's share. */
function sizeByTable(sqlite: Sqlite): { byTable: Map<string, number>; search: number | null } {
  const objects = sqlite.prepare("SELECT s.name AS name, coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name").all() as { name: string; tbl: string; bytes: number }[];
  const byTable = new Map<string, number>();
  for (const o of objects) byTable.set(o.tbl, (byTable.get(o.tbl) ?? 0) + o.bytes);
  const fts = searchTables(sqlite);
  // An FTS5 table keeps its index in shadow tables named <table>_data, _idx, _content, _docsize, _config.
  const search = fts.length ? objects.filter((o) => fts.some((t) => o.name === t || o.name.startsWith(`${t}_`))).reduce((a, o) => a + o.bytes, 0) : null;
  return { byTable, search };
}

/** Times each call (µs), after a warm-up pass over the first few. */
function timeEach<T>(inputs: T[], fn: (x: T) => unknown): { us: number[]; found: number } {
  for (const x of inputs.slice(0, 200)) fn(x);
  const us: number[] = [];
  let found = 0;
  for (const x of inputs) {
    const t = process.hrtime.bigint();
    const r = fn(x);
    us.push(Number(process.hrtime.bigint() - t) / 1000);
    if (r) found++;
  }
  return { us, found };
}

function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

export const storeScale: Section = {
  name: 'store',
  title: 'The store at 1,000,000 messages: Message-ID and thread lookups, size per message',
  async run(ctx) {
    const total = ctx.quick ? 100_000 : 1_000_000;
    const lookups = ctx.quick ? 2_000 : 10_000;
    const dir = makeTempDir('mailroom-bench-store-');
    const file = path.join(dir.path, 'mailroom.db');
    try {
      const db = openDb(file);
      const store = createStore(db);
      store.inboxes.sync(INBOXES);
      ctx.log(`  building a store of ${total.toLocaleString('en')} messages`);
      // Sample about 2 × lookups known ids and parents as the store is built.
      const built = build(db.$client, total, 2 * lookups);
      fillSearchIndex(db.$client);
      db.$client.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = statSync(file).size;
      const sizes = sizeByTable(db.$client);
      const counts = db.$client.prepare('SELECT (SELECT count(*) FROM messages) AS m, (SELECT count(*) FROM conversations) AS c').get() as { m: number; c: number };
      closeDb(db);

      // Lookups as the app makes them: a freshly opened file, the app's pragmas, the real repositories.
      const db2 = openDb(file);
      const store2 = createStore(db2);
      const random = rng(7);
      const ids = shuffle([...built.messageIds], random).slice(0, lookups);
      const parents = shuffle([...built.parents], random).slice(0, lookups);
      // Shaped like the stored ones (random, so spread over the whole index as a real new id is).
      const misses = Array.from({ length: lookups }, () => `${b36(random, 20)}.${b36(random, 8)}@mail.gmail.com`);
      ctx.log(`  ${ids.length} Message-ID, ${misses.length} unknown Message-ID and ${parents.length} thread lookups`);
      const byId = timeEach(ids, (id) => store2.messages.byMessageId(id));
      const unknown = timeEach(misses, (id) => store2.messages.byMessageId(id));
      const thread = timeEach(parents, (p) => store2.conversations.byParent(p.channel, p.ts));
      closeDb(db2);
      dump('store', { byId: byId.us, unknown: unknown.us, thread: thread.us });

      const a = summarize(byId.us);
      const u = summarize(unknown.us);
      const t = summarize(thread.us);
      const row = (metric: string, value: number | null, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      // Bytes per message by table (indexes included), biggest first.
      const share = () =>
        [...sizes.byTable.entries()]
          .sort((x, y) => y[1] - x[1])
          .filter(([, b]) => b / counts.m >= 1)
          .map(([t, b]) => `${t} ${(b / counts.m).toFixed(0)} B`)
          .join(', ');
      return [
        row('Message-ID lookup p50', a.p50, 'µs', {
          target: { max: 20 },
          note: `store.messages.byMessageId over ${byId.us.length} random known ids (${byId.found} found); ${counts.m.toLocaleString('en')} messages in ${counts.c.toLocaleString('en')} conversations with ${built.contacts.toLocaleString('en')} contacts, 2 inboxes, events and recipient log as the app writes them; built in ${(built.ms / 1000).toFixed(1)} s`,
        }),
        row('Message-ID lookup p95', a.p95, 'µs'),
        row('unknown Message-ID lookup p50', u.p50, 'µs', { note: `a new email's id, not in the store (what every ingest asks first); p95 ${u.p95.toFixed(1)} µs` }),
        row('thread lookup p50', t.p50, 'µs', { target: { max: 50 }, note: `store.conversations.byParent(channel, parent ts) over ${thread.us.length} random conversations (${thread.found} found): every Slack thread reply asks it` }),
        row('thread lookup p95', t.p95, 'µs'),
        row('database size per message', bytes / counts.m, 'B', { note: `${(bytes / 1024 ** 2).toFixed(0)} MB after a WAL checkpoint, everything included: ${share()}` }),
        row('search index (FTS5) per message', sizes.search === null ? null : sizes.search / counts.m, 'B', {
          note: sizes.search === null ? 'no FTS5 table in the schema' : "FTS5 shadow tables, included in the size above: each conversation's subject, senders and ~60 words of new text per email, as the app indexes them",
        }),
      ];
    } finally {
      dir.remove();
    }
  },
};

// Search at 100,000 conversations: a store made by the real migrations, each conversation indexed
// through the real repository (store.search) with text like real mail — words drawn with a
// Zipf-like skew from a 20,000-word vocabulary, ~3.3 emails of ~60 words each, notes on some —
// tags, statuses and assignees spread as in a busy inbox, across three inboxes of which the
// searching person is in two. Then `/mailroom search` as the app runs it (searchConversations:
// parse, FTS5 MATCH, filters, tags, contacts), timed one by one, and the index's bytes.
import path from 'node:path';
import { rng } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { dump, summarize } from '../stats.ts';
import { closeDb, createStore, openDb } from '../../src/store/index.ts';
import { searchConversations } from '../../src/usecases/search.ts';
import { makeTempDir } from '../../test/support/tmp.ts';

const SECTION = 'search';
const INBOXES = [
  { key: 'support', name: 'Support', channelId: 'C0SEARCH01', address: 'support@acme.example' },
  { key: 'sales', name: 'Sales', channelId: 'C0SEARCH02', address: 'sales@acme.example' },
  { key: 'hr', name: 'HR', channelId: 'C0SEARCH03', address: 'hr@acme.example' },
];
const ME = 'U0AGENT01';
const TAGS = ['billing', 'refund', 'vip', 'bug', 'shipping', 'urgent', 'feature-request', 'invoice', 'login', 'cancel', 'damaged', 'warranty', 'b2b', 'press', 'partner', 'legal', 'gdpr', 'spam', 'follow-up', 'escalated'];
const EMAILS_PER_CONVERSATION = 3.3;

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'ba', 'de', 'fi', 'go', 'hu', 'ja', 'pe', 'qui', 'ro', 'su', 'tor', 'ven', 'wal', 'xen', 'yor', 'zu', 'an', 'el', 'in', 'on', 'ur'];

export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>(['order', 'invoice', 'refund', 'delivery', 'password', 'account', 'kettle', 'warranty', 'broken', 'payment', 'shipping', 'cancel', 'subscription', 'login', 'error']);
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

/** Words like those of mail: a few very common, most rare (a Zipf-like skew over the vocabulary). */
export function wordSource(random: () => number, size = 20_000): { words: string[]; word: () => string; sentence: (n: number) => string } {
  const words = vocabulary(size, random);
  const word = () => words[Math.floor(words.length * random() ** 3)]!;
  return { words, word, sentence: (n) => Array.from({ length: n }, word).join(' ') };
}

export const search: Section = {
  name: SECTION,
  title: 'Search at 100,000 conversations: /mailroom search p50 / p95 by kind of query, and the index size per message',
  async run(ctx) {
    const total = ctx.quick ? 20_000 : 100_000;
    const queries = ctx.quick ? 100 : 300;
    const dir = makeTempDir('mailroom-bench-search-');
    const file = path.join(dir.path, 'mailroom.db');
    try {
      const random = rng(16);
      const { words, word, sentence } = wordSource(random);
      const db = openDb(file);
      const store = createStore(db);
      store.inboxes.sync(INBOXES);
      ctx.log(`  indexing ${total.toLocaleString('en')} conversations`);
      const sqlite = db.$client;
      sqlite.pragma('synchronous = OFF');
      const insertContact = sqlite.prepare('INSERT INTO contacts (email, name) VALUES (?, ?)');
      const insertConversation = sqlite.prepare('INSERT INTO conversations (inbox_id, contact_id, subject, status, assignee_user_id, token, channel_id, slack_ts, our_address, snippet, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      const contacts = Math.round(total / 3);
      const t0 = performance.now();
      let emails = 0;
      sqlite.transaction(() => {
        for (let i = 1; i <= contacts; i++) insertContact.run(`customer.${i}@${['gmail.com', 'outlook.com', `company${i % 3000}.example`][i % 3]}`, `Customer ${word()} ${i}`);
        const start = Date.now() - 2 * 365 * 86_400_000;
        for (let i = 1; i <= total; i++) {
          const inboxNo = i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2;
          const inbox = INBOXES[inboxNo]!;
          const contactId = 1 + Math.floor(random() * contacts);
          const subject = `${word()} ${word()} ${word()}`;
          const at = start + Math.floor((i / total) * 2 * 365 * 86_400_000);
          const status = random() < 0.8 ? 'closed' : random() < 0.6 ? 'open' : 'pending';
          const assignee = random() < 0.7 ? `U0AGENT0${1 + (i % 7)}` : null;
          const id = Number(insertConversation.run(inboxNo + 1, contactId, subject, status, assignee, `tok${i}`, inbox.channelId, `${Math.floor(at / 1000)}.${String(i).padStart(6, '0')}`, inbox.address, '', at, at).lastInsertRowid);
          const n = 1 + Math.floor(random() * 2 * (EMAILS_PER_CONVERSATION - 1) + 0.5);
          emails += n;
          const contact = `Customer ${contactId} customer.${contactId}@${['gmail.com', 'outlook.com', `company${contactId % 3000}.example`][contactId % 3]}`;
          store.search.started(id, { subject, senders: contact, text: sentence(60) });
          for (let k = 1; k < n; k++) store.search.email(id, { sender: k % 2 ? '' : contact, text: sentence(60) });
          if (random() < 0.15) store.search.note(id, sentence(15));
          if (random() < 0.3) store.tags.add(id, [TAGS[Math.floor(TAGS.length * random() ** 2)]!], assignee);
        }
      })();
      const buildMs = performance.now() - t0;
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const ftsBytes = (sqlite.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name = 'search_index' OR name LIKE 'search_index_%'").get() as { b: number }).b;
      closeDb(db);

      // Queries as the app runs them, on a freshly opened file with the app's settings.
      const db2 = openDb(file);
      const store2 = createStore(db2);
      const deps = { store: store2, teamUrl: () => 'https://acme.slack.com/', memberInboxIds: async () => [1, 2], findUser: async () => ME };
      const q = rng(7);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(q() * xs.length)]!;
      const common = words.slice(0, 60);
      const rare = words.slice(5_000);
      const kinds: Record<string, () => string> = {
        'one common word': () => pick(common),
        'one rare word': () => pick(rare),
        'two words': () => `${pick(common)} ${pick(words.slice(0, 2000))}`,
        'word + tag': () => `${pick(common)} tag:${pick(TAGS)}`,
        'word + status:open + assignee:me': () => `${pick(common)} status:open assignee:me`,
        'from:domain': () => `from:company${Math.floor(q() * 3000)}.example`,
        'tag only': () => `tag:${pick(TAGS)}`,
        'status:open assignee:me': () => 'status:open assignee:me',
        prefix: () => `${pick(common).slice(0, 3)}*`,
        'rare word + before:': () => `${pick(rare)} before:2026-01-01`,
      };
      const timings: Record<string, number[]> = {};
      let found = 0;
      for (const [kind, make] of Object.entries(kinds)) {
        const us: number[] = [];
        for (let i = 0; i < 20; i++) await searchConversations(deps, { userId: ME, text: make() });
        for (let i = 0; i < queries; i++) {
          const text = make();
          const t = performance.now();
          const r = await searchConversations(deps, { userId: ME, text });
          us.push(performance.now() - t);
          if (r.ok && r.items.length) found++;
        }
        timings[kind] = us;
      }
      closeDb(db2);
      dump('search', timings);
      const all = summarize(Object.values(timings).flat());
      const row = (metric: string, value: number, unit: Row['unit'], extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit, ...extra });
      const rows: Row[] = [
        row('search p95, all kinds of query', all.p95, 'ms', {
          target: { max: 50 },
          note: `${Object.keys(kinds).length} kinds × ${queries} queries (${found} with results), up to 20 newest first, over ${total.toLocaleString('en')} conversations (${emails.toLocaleString('en')} emails) in 3 inboxes, the person in 2; built in ${(buildMs / 1000).toFixed(0)} s; p50 ${all.p50.toFixed(1)} ms`,
        }),
      ];
      for (const [kind, us] of Object.entries(timings)) {
        const s = summarize(us);
        rows.push(row(`… ${kind} p95`, s.p95, 'ms', { note: `p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms` }));
      }
      rows.push(row('search index (FTS5) per email', ftsBytes / emails, 'B', { note: `${(ftsBytes / 1024 ** 2).toFixed(0)} MB for ${emails.toLocaleString('en')} emails of ~60 words (the index keeps each email's new text, up to 8,000 characters)` }));
      return rows;
    } finally {
      dir.remove();
    }
  },
};

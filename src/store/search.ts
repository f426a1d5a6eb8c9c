// The search index (SQLite FTS5, created by migrations/*_search.sql): one row per conversation, rowid = its id, with
// its subject, senders, the text of its emails and its internal notes. The store keeps it
// current as mail comes and goes and notes are written; a moved conversation's row moves with it.
// Queries join the conversations table for the filters and come newest first from the index.
import type { Conversation, ConversationStatus } from '../core/types.ts';
import { toConversation } from './conversations.ts';
import type { Db } from './db.ts';
import type { conversations } from './schema.ts';

/** Text kept per email and per note: enough to find it by, not a copy of every quoted history. */
export const MAX_INDEXED_EMAIL = 8_000;
export const MAX_INDEXED_NOTE = 2_000;

export interface SearchFilter {
  /** FTS5 MATCH expression (core/search-query.ts ftsMatch), or null for filters only. */
  match: string | null;
  inboxIds: readonly number[];
  statuses?: readonly ConversationStatus[] | null;
  /** A user id, or null for unassigned; undefined for anyone. */
  assignee?: string | null;
  tags?: readonly string[];
  /** Created before / at or after (ms). */
  before?: number | null;
  after?: number | null;
  /** Only conversations older than this one (the "more" button). */
  belowId?: number | null;
  /** Only these conversations (`is:overdue`); an empty list finds nothing. */
  ids?: readonly number[] | null;
  limit: number;
}

type Row = typeof conversations.$inferSelect;
const COLUMNS =
  'c.id AS id, c.inbox_id AS inboxId, c.contact_id AS contactId, c.subject AS subject, c.status AS status, c.assignee_user_id AS assigneeUserId, c.token AS token, c.channel_id AS channelId, c.slack_ts AS slackTs, c.our_address AS ourAddress, c.snippet AS snippet, c.forwarded_by AS forwardedBy, c.started_by_user_id AS startedByUserId, c.resolution AS resolution, c.closed_at AS closedAt, c.moved_to_id AS movedToId, c.created_at AS createdAt, c.updated_at AS updatedAt';

export function createSearchRepo(db: Db) {
  const sqlite = db.$client;
  const insert = sqlite.prepare('INSERT INTO search_index (rowid, subject, senders, body, notes) VALUES (?, ?, ?, ?, ?)');
  const remove = sqlite.prepare('DELETE FROM search_index WHERE rowid = ?');
  const addEmail = sqlite.prepare(
    "UPDATE search_index SET senders = CASE WHEN @sender = '' OR instr(senders, @sender) > 0 THEN senders ELSE senders || ' ' || @sender END, body = body || ' ' || @text WHERE rowid = @id",
  );
  const addNote = sqlite.prepare("UPDATE search_index SET notes = notes || ' ' || ? WHERE rowid = ?");
  const copy = sqlite.prepare('INSERT INTO search_index (rowid, subject, senders, body, notes) SELECT ?, subject, senders, body, notes FROM search_index WHERE rowid = ?');
  const subjectOf = sqlite.prepare('SELECT subject FROM conversations WHERE id = ?');
  const cut = (s: string, max: number) => s.replace(/\s+/g, ' ').trim().slice(0, max);

  const ensure = (id: number) => {
    const c = subjectOf.get(id) as { subject: string } | undefined;
    if (c) insert.run(id, c.subject, '', '', '');
  };

  return {
    /** A new conversation: its subject, who wrote (or who it is with), its first text. */
    started(conversationId: number, o: { subject: string; senders: string; text: string }): void {
      remove.run(conversationId);
      insert.run(conversationId, o.subject, cut(o.senders, 500), cut(o.text, MAX_INDEXED_EMAIL), '');
    },
    /** Another email of the conversation, in or out; `sender` is added once. */
    email(conversationId: number, o: { sender: string; text: string }): void {
      const text = cut(o.text, MAX_INDEXED_EMAIL);
      const sender = cut(o.sender, 300);
      const row = { sender, text, id: conversationId };
      if (addEmail.run(row).changes === 0) {
        ensure(conversationId);
        addEmail.run(row);
      }
    },
    note(conversationId: number, text: string): void {
      const t = cut(text, MAX_INDEXED_NOTE);
      if (!t) return;
      if (addNote.run(t, conversationId).changes === 0) {
        ensure(conversationId);
        addNote.run(t, conversationId);
      }
    },
    /** A conversation continues as another (move): the index row follows. */
    moved(fromId: number, toId: number): void {
      remove.run(toId);
      copy.run(toId, fromId);
      remove.run(fromId);
    },
    /** Conversations matching, newest first; one more than `limit` tells there are more. */
    find(f: SearchFilter): Conversation[] {
      if (!f.inboxIds.length) return [];
      const where: string[] = ['c.moved_to_id IS NULL', `c.inbox_id IN (${f.inboxIds.map(() => '?').join(',')})`];
      const params: unknown[] = [...f.inboxIds];
      if (f.statuses?.length) {
        where.push(`c.status IN (${f.statuses.map(() => '?').join(',')})`);
        params.push(...f.statuses);
      }
      if (f.assignee === null) where.push('c.assignee_user_id IS NULL');
      else if (f.assignee !== undefined) {
        where.push('c.assignee_user_id = ?');
        params.push(f.assignee);
      }
      // Without words, the first tag drives (its index is ordered by conversation): a rare tag
      // is found without walking every conversation.
      const [driving, ...otherTags] = f.match ? [undefined, ...(f.tags ?? [])] : (f.tags ?? []);
      for (const tag of otherTags) {
        where.push('EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.tag = ?)');
        params.push(tag);
      }
      if (f.before != null) {
        where.push('c.created_at < ?');
        params.push(f.before);
      }
      if (f.after != null) {
        where.push('c.created_at >= ?');
        params.push(f.after);
      }
      if (f.ids) {
        if (!f.ids.length) return [];
        where.push(`c.id IN (${f.ids.map(() => '?').join(',')})`);
        params.push(...f.ids);
      }
      if (f.belowId != null) {
        where.push('c.id < ?');
        params.push(f.belowId);
      }
      const sql = f.match
        ? `SELECT ${COLUMNS} FROM search_index s JOIN conversations c ON c.id = s.rowid WHERE search_index MATCH ? AND ${where.join(' AND ')} ORDER BY s.rowid DESC LIMIT ?`
        : driving !== undefined
          ? `SELECT ${COLUMNS} FROM conversation_tags d JOIN conversations c ON c.id = d.conversation_id WHERE d.tag = ? AND ${where.join(' AND ')} ORDER BY d.conversation_id DESC LIMIT ?`
          : `SELECT ${COLUMNS} FROM conversations c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ?`;
      const first = f.match ? [f.match] : driving !== undefined ? [driving] : [];
      const rows = sqlite.prepare(sql).all(...first, ...params, f.limit) as Row[];
      return rows.map(toConversation);
    },
  };
}
export type SearchRepo = ReturnType<typeof createSearchRepo>;

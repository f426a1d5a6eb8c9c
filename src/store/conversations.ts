import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Conversation, ConversationStatus } from '../core/types.ts';
import type { Db } from './db.ts';
import { conversations } from './schema.ts';

export interface NewConversation {
  inboxId: number;
  contactId: number | null;
  subject: string;
  channelId: string;
  ourAddress: string;
  assigneeUserId?: string | null;
  snippet?: string;
  forwardedBy?: string | null;
  startedByUserId?: string | null;
}

export function toConversation(r: typeof conversations.$inferSelect): Conversation {
  return { ...r, status: r.status as ConversationStatus };
}

/** A short random token, safe in a Message-ID local part. */
export function newToken(): string {
  return randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');
}

export function createConversationRepo(db: Db) {
  // The lookups every email and every Slack action makes are prepared once.
  const byIdQ = db.select().from(conversations).where(eq(conversations.id, sql.placeholder('id'))).prepare();
  const byTokenQ = db.select().from(conversations).where(eq(conversations.token, sql.placeholder('token'))).prepare();
  const byParentQ = db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channelId, sql.placeholder('channel')), eq(conversations.slackTs, sql.placeholder('ts'))))
    .prepare();
  const maybe = (r: typeof conversations.$inferSelect | undefined) => r && toConversation(r);
  return {
    create(c: NewConversation): Conversation {
      return toConversation(
        db
          .insert(conversations)
          .values({ ...c, assigneeUserId: c.assigneeUserId ?? null, token: newToken() })
          .returning()
          .get(),
      );
    },
    byId: (id: number): Conversation | undefined => maybe(byIdQ.get({ id })),
    byToken: (token: string): Conversation | undefined => maybe(byTokenQ.get({ token })),
    byParent: (channelId: string, ts: string): Conversation | undefined => maybe(byParentQ.get({ channel: channelId, ts })),
    /**
     * Conversations in Slack where a teammate is likely to reply: not closed, or changed since
     * `since` (ms); not moved. Newest first, at most `limit`.
     */
    threadsInUse(since: number, limit: number): Conversation[] {
      return db
        .select()
        .from(conversations)
        .where(
          and(
            isNotNull(conversations.slackTs),
            isNull(conversations.movedToId),
            or(ne(conversations.status, 'closed'), gte(conversations.updatedAt, since)),
          ),
        )
        .orderBy(desc(conversations.id))
        .limit(limit)
        .all()
        .map(toConversation);
    },
    setParentTs(id: number, ts: string): void {
      db.update(conversations).set({ slackTs: ts, updatedAt: Date.now() }).where(eq(conversations.id, id)).run();
    },
    /** A new status (a snooze ends with any other); `at` defaults to now. */
    setStatus(id: number, status: ConversationStatus, resolution: string | null = null, at = Date.now()): void {
      const snooze = status === 'snoozed' ? {} : { snoozedUntil: null, snoozedBy: null };
      db.update(conversations)
        .set({ status, resolution, closedAt: status === 'closed' ? at : null, updatedAt: at, statusSince: at, ...snooze })
        .where(eq(conversations.id, id))
        .run();
    },
    /** Snoozed until `until` by `userId`. */
    snooze(id: number, until: number, userId: string, at = Date.now()): void {
      db.update(conversations)
        .set({ status: 'snoozed', resolution: null, closedAt: null, snoozedUntil: until, snoozedBy: userId, updatedAt: at, statusSince: at })
        .where(eq(conversations.id, id))
        .run();
    },
    /** Conversations whose clocks and timers the time-keeper looks after at start: not closed, or with an open clock. */
    activeIds(): number[] {
      return db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(isNull(conversations.movedToId), or(ne(conversations.status, 'closed'), sql`${conversations.id} in (select conversation_id from sla_clocks where ended_at is null)`)))
        .all()
        .map((r) => r.id);
    },
    setAssignee(id: number, userId: string | null): void {
      db.update(conversations).set({ assigneeUserId: userId, updatedAt: Date.now() }).where(eq(conversations.id, id)).run();
    },
    /** Earlier conversations with the same contact, newest first. */
    earlierWithContact(contactId: number, exceptId: number, limit = 3): Conversation[] {
      return db
        .select()
        .from(conversations)
        .where(and(eq(conversations.contactId, contactId), ne(conversations.id, exceptId), sql`${conversations.id} < ${exceptId}`))
        .orderBy(desc(conversations.id))
        .limit(limit)
        .all()
        .map(toConversation);
    },
    /** A contact's conversations in these inboxes (not the moved-away copies), newest first, and how many there are. */
    ofContact(contactId: number, inboxIds: readonly number[], limit = 20): { total: number; list: Conversation[] } {
      if (!inboxIds.length) return { total: 0, list: [] };
      const where = and(eq(conversations.contactId, contactId), isNull(conversations.movedToId), inArray(conversations.inboxId, [...inboxIds]));
      const total = db.select({ n: sql<number>`count(*)` }).from(conversations).where(where).get()?.n ?? 0;
      return { total, list: db.select().from(conversations).where(where).orderBy(desc(conversations.id)).limit(limit).all().map(toConversation) };
    },
    /** Open and pending conversations assigned to a user, newest first. */
    activeFor(userId: string, limit = 100): Conversation[] {
      return db
        .select()
        .from(conversations)
        .where(and(eq(conversations.assigneeUserId, userId), ne(conversations.status, 'closed'), isNull(conversations.movedToId)))
        .orderBy(desc(conversations.id))
        .limit(limit)
        .all()
        .map(toConversation);
    },
    /**
     * Type-ahead for the conversation picker: open and pending conversations whose number, subject
     * or contact matches, newest first; the channel's own first when given.
     */
    searchActive(query: string, opts: { inboxIds?: number[]; channelId?: string; limit?: number } = {}): Conversation[] {
      const q = query.trim().replace(/^#/, '');
      const like = `%${q.toLowerCase().replace(/[%_]/g, '')}%`;
      const text = q
        ? or(
            /^\d+$/.test(q) ? eq(conversations.id, Number(q)) : sql`0`,
            sql`lower(${conversations.subject}) like ${like}`,
            sql`${conversations.contactId} in (select id from contacts where email like ${like} or lower(name) like ${like})`,
          )
        : undefined;
      return db
        .select()
        .from(conversations)
        .where(
          and(
            ne(conversations.status, 'closed'),
            isNull(conversations.movedToId),
            opts.inboxIds ? inArray(conversations.inboxId, opts.inboxIds) : undefined,
            text,
          ),
        )
        .orderBy(...(opts.channelId ? [sql`${conversations.channelId} = ${opts.channelId} desc`] : []), desc(conversations.id))
        .limit(opts.limit ?? 20)
        .all()
        .map(toConversation);
    },
    /** Open-conversation counts per assignee (for least-open assignment). */
    openCountsByAssignee(inboxId: number, userIds: string[]): Map<string, number> {
      const counts = new Map(userIds.map((u) => [u, 0]));
      if (!userIds.length) return counts;
      const rows = db
        .select({ u: conversations.assigneeUserId, n: sql<number>`count(*)` })
        .from(conversations)
        .where(
          and(eq(conversations.inboxId, inboxId), ne(conversations.status, 'closed'), inArray(conversations.assigneeUserId, userIds)),
        )
        .groupBy(conversations.assigneeUserId)
        .all();
      for (const r of rows) if (r.u) counts.set(r.u, r.n);
      return counts;
    },
  };
}
export type ConversationRepo = ReturnType<typeof createConversationRepo>;

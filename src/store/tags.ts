// Tags on conversations. Reads are per conversation (the parent), per inbox (the words people
// have used, for the tag picker) and counted per tag (stats).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { conversationTags, conversations } from './schema.ts';

export function createTagRepo(db: Db) {
  const ofQ = db
    .select({ tag: conversationTags.tag })
    .from(conversationTags)
    .where(eq(conversationTags.conversationId, sql.placeholder('id')))
    .orderBy(asc(conversationTags.addedAt), asc(conversationTags.tag))
    .prepare();
  return {
    /** A conversation's tags, in the order they were added. */
    of: (conversationId: number): string[] => ofQ.all({ id: conversationId }).map((r) => r.tag),
    /** Tags of several conversations at once (search results). */
    ofMany(conversationIds: readonly number[]): Map<number, string[]> {
      const out = new Map<number, string[]>(conversationIds.map((id) => [id, []]));
      if (!conversationIds.length) return out;
      const rows = db
        .select({ id: conversationTags.conversationId, tag: conversationTags.tag })
        .from(conversationTags)
        .where(inArray(conversationTags.conversationId, [...conversationIds]))
        .orderBy(asc(conversationTags.addedAt), asc(conversationTags.tag))
        .all();
      for (const r of rows) out.get(r.id)?.push(r.tag);
      return out;
    },
    add(conversationId: number, tags: readonly string[], by: string | null, at = Date.now()): void {
      for (const tag of tags)
        db.insert(conversationTags).values({ conversationId, tag, addedBy: by, addedAt: at }).onConflictDoNothing().run();
    },
    remove(conversationId: number, tags: readonly string[]): void {
      if (tags.length) db.delete(conversationTags).where(and(eq(conversationTags.conversationId, conversationId), inArray(conversationTags.tag, [...tags]))).run();
    },
    /** Tags used in an inbox, most used first (the picker's suggestions). */
    usedIn(inboxId: number, limit = 100): string[] {
      return db
        .select({ tag: conversationTags.tag, n: sql<number>`count(*)` })
        .from(conversationTags)
        .innerJoin(conversations, eq(conversations.id, conversationTags.conversationId))
        .where(eq(conversations.inboxId, inboxId))
        .groupBy(conversationTags.tag)
        .orderBy(sql`count(*) desc`, asc(conversationTags.tag))
        .limit(limit)
        .all()
        .map((r) => r.tag);
    },
    /**
     * Per tag: conversations started in [from, to) and, of all tagged conversations, how many are
     * not closed now. Moved conversations count where they went.
     */
    counts(from: number, to: number): Array<{ tag: string; started: number; active: number }> {
      return db
        .select({
          tag: conversationTags.tag,
          started: sql<number>`sum(case when ${conversations.createdAt} >= ${from} and ${conversations.createdAt} < ${to} then 1 else 0 end)`,
          active: sql<number>`sum(case when ${conversations.status} != 'closed' then 1 else 0 end)`,
        })
        .from(conversationTags)
        .innerJoin(conversations, eq(conversations.id, conversationTags.conversationId))
        .where(sql`${conversations.movedToId} is null`)
        .groupBy(conversationTags.tag)
        .orderBy(sql`2 desc`, sql`3 desc`, asc(conversationTags.tag))
        .all()
        .map((r) => ({ tag: r.tag, started: Number(r.started), active: Number(r.active) }));
    },
  };
}
export type TagRepo = ReturnType<typeof createTagRepo>;

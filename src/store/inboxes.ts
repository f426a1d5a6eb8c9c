import { eq } from 'drizzle-orm';
import type { Inbox } from '../core/types.ts';
import type { Db } from './db.ts';
import { inboxes } from './schema.ts';

export interface InboxSeed {
  key: string;
  name: string;
  channelId: string;
  address: string;
}

function toInbox(r: typeof inboxes.$inferSelect): Inbox {
  return { id: r.id, key: r.key, name: r.name, channelId: r.channelId, address: r.address };
}

export function createInboxRepo(db: Db) {
  return {
    /** Make the table match the configuration (by key), keeping ids stable across restarts. */
    sync(seeds: InboxSeed[]): Inbox[] {
      return db.transaction((tx) =>
        seeds.map((s) => {
          const row = tx
            .insert(inboxes)
            .values(s)
            .onConflictDoUpdate({ target: inboxes.key, set: { name: s.name, channelId: s.channelId, address: s.address } })
            .returning()
            .get();
          return toInbox(row);
        }),
      );
    },
    byId(id: number): Inbox | undefined {
      const r = db.select().from(inboxes).where(eq(inboxes.id, id)).get();
      return r && toInbox(r);
    },
    all(): Inbox[] {
      return db.select().from(inboxes).all().map(toInbox);
    },
    lastAssigned(id: number): string | null {
      return db.select({ u: inboxes.lastAssignedUserId }).from(inboxes).where(eq(inboxes.id, id)).get()?.u ?? null;
    },
    setLastAssigned(id: number, userId: string): void {
      db.update(inboxes).set({ lastAssignedUserId: userId }).where(eq(inboxes.id, id)).run();
    },
  };
}
export type InboxRepo = ReturnType<typeof createInboxRepo>;

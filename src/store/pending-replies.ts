// Replies waiting in their undo window, for the "… is replying" sign on the parent message.
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from './db.ts';
import { outbox } from './schema.ts';

export interface PendingReply {
  conversationId: number;
  userId: string;
  /** When it goes out (the end of the undo window). */
  sendAt: number;
}

export function createPendingReplyRepo(db: Db) {
  return {
    /** Replies still pending and not yet due at `now`. */
    inUndoWindow(now: number): PendingReply[] {
      return db
        .select({ conversationId: outbox.conversationId, userId: outbox.slackUserId, sendAt: outbox.sendAt })
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), eq(outbox.kind, 'reply'), gt(outbox.sendAt, now)))
        .all()
        .flatMap((r) => (r.conversationId === null ? [] : [{ conversationId: r.conversationId, userId: r.userId, sendAt: r.sendAt }]));
    },
  };
}
export type PendingReplyRepo = ReturnType<typeof createPendingReplyRepo>;

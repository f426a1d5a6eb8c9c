// Replies waiting in their undo window: for the "… is replying" sign on the parent message, and
// for checking at start that they were not edited or deleted while the app was stopped.
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from './db.ts';
import { outbox } from './schema.ts';

export interface PendingReply {
  conversationId: number;
  userId: string;
  /** When it goes out (the end of the undo window). */
  sendAt: number;
}

/** A pending reply and the Slack message it was typed as. */
export interface PendingReplyMessage {
  conversationId: number;
  channel: string;
  ts: string;
}

export function createPendingReplyRepo(db: Db) {
  return {
    /** Every reply not yet sent, with its Slack message. */
    messages(): PendingReplyMessage[] {
      return db
        .select({ conversationId: outbox.conversationId, channel: outbox.slackChannel, ts: outbox.slackTs })
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), eq(outbox.kind, 'reply')))
        .all()
        .flatMap((r) => (r.conversationId === null || !r.channel || !r.ts ? [] : [{ conversationId: r.conversationId, channel: r.channel, ts: r.ts }]));
    },
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

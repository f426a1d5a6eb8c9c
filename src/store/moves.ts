// Moving a conversation to another inbox, in one transaction: a new conversation in the other
// inbox takes over its emails, tickets, tags and unsent replies (so replies from the new thread answer
// the right email and later customer mail threads straight to it); the old one keeps a pointer.
import { and, eq, inArray } from 'drizzle-orm';
import type { Conversation } from '../core/types.ts';
import { createConversationRepo, type NewConversation } from './conversations.ts';
import type { Db } from './db.ts';
import { createSearchRepo } from './search.ts';
import { conversationTags, conversations, messages, outbox, tickets } from './schema.ts';

export function createMoveRepo(db: Db) {
  const repo = createConversationRepo(db);
  const search = createSearchRepo(db);
  return {
    /** Creates the continuation and points the old conversation at it; null when it had moved already. */
    move(fromId: number, to: NewConversation & { status: Conversation['status'] }): Conversation | null {
      return db.$client.transaction(() => {
        const from = repo.byId(fromId);
        if (!from || from.movedToId) return null;
        const { status, ...fields } = to;
        const created = repo.create(fields);
        if (status !== 'open') repo.setStatus(created.id, status);
        db.update(conversations).set({ movedToId: created.id, updatedAt: Date.now() }).where(eq(conversations.id, fromId)).run();
        db.update(messages).set({ conversationId: created.id }).where(eq(messages.conversationId, fromId)).run();
        db.update(tickets).set({ conversationId: created.id }).where(eq(tickets.conversationId, fromId)).run();
        db.update(conversationTags).set({ conversationId: created.id }).where(eq(conversationTags.conversationId, fromId)).run();
        search.moved(fromId, created.id);
        db.update(outbox)
          .set({ conversationId: created.id, inboxId: created.inboxId })
          .where(and(eq(outbox.conversationId, fromId), inArray(outbox.status, ['pending', 'retry', 'waiting'])))
          .run();
        return repo.byId(created.id)!;
      })();
    },
  };
}
export type MoveRepo = ReturnType<typeof createMoveRepo>;

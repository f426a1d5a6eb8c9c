// Tickets: at most one open ticket per conversation, with a priority and its own open/closed
// state. The ticket's id is the number people see ("ticket #7").
import { and, desc, eq } from 'drizzle-orm';
import type { TicketPriority, TicketStatus } from '../core/conversation-status.ts';
import type { Db } from './db.ts';
import { tickets } from './schema.ts';

export interface Ticket {
  id: number;
  conversationId: number;
  priority: TicketPriority;
  status: TicketStatus;
  createdBy: string;
  createdAt: number;
  closedAt: number | null;
}

function toTicket(r: typeof tickets.$inferSelect): Ticket {
  return { ...r, priority: r.priority as TicketPriority, status: r.status as TicketStatus };
}

export function createTicketRepo(db: Db) {
  const openFor = (conversationId: number): Ticket | undefined => {
    const r = db
      .select()
      .from(tickets)
      .where(and(eq(tickets.conversationId, conversationId), eq(tickets.status, 'open')))
      .orderBy(desc(tickets.id))
      .get();
    return r && toTicket(r);
  };
  return {
    /** A new open ticket; when the conversation already has an open one, that one (created: false). */
    create(t: { conversationId: number; priority: TicketPriority; createdBy: string }): { ticket: Ticket; created: boolean } {
      return db.$client.transaction(() => {
        const existing = openFor(t.conversationId);
        if (existing) return { ticket: existing, created: false };
        const row = db.insert(tickets).values({ ...t, status: 'open' }).returning().get();
        return { ticket: toTicket(row), created: true };
      })();
    },
    byId(id: number): Ticket | undefined {
      const r = db.select().from(tickets).where(eq(tickets.id, id)).get();
      return r && toTicket(r);
    },
    openFor,
    /** The ticket the parent message shows: the open one, else the latest closed one. */
    shownFor(conversationId: number): Ticket | undefined {
      const open = openFor(conversationId);
      if (open) return open;
      const r = db.select().from(tickets).where(eq(tickets.conversationId, conversationId)).orderBy(desc(tickets.id)).get();
      return r && toTicket(r);
    },
    /** Close an open ticket; false when it was not open. */
    close(id: number, at: number = Date.now()): boolean {
      return db.update(tickets).set({ status: 'closed', closedAt: at }).where(and(eq(tickets.id, id), eq(tickets.status, 'open'))).run().changes > 0;
    },
    /** Tickets follow their conversation when it moves to another inbox. */
    moveAll(fromConversationId: number, toConversationId: number): void {
      db.update(tickets).set({ conversationId: toConversationId }).where(eq(tickets.conversationId, fromConversationId)).run();
    },
  };
}
export type TicketRepo = ReturnType<typeof createTicketRepo>;

// Creating a ticket for a conversation (its priority; the ticket's id is its number). Closing a
// conversation can close its ticket too (close.ts).
import type { TicketPriority } from '../core/conversation-status.ts';
import { AppError } from '../errors.ts';
import type { ConversationParentVM } from '../slack/ui/blocks/conversation-parent.ts';
import type { Store } from '../store/index.ts';
import type { Ticket } from '../store/tickets.ts';
import { activeConversation, requireMember, type ActionDeps } from './conversation-actions.ts';

export async function createTicket(
  deps: ActionDeps,
  input: { conversationId: number; actorUserId: string; priority: TicketPriority },
): Promise<Ticket> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'create tickets for');
  const { store } = deps;
  const { ticket, created } = store.transaction(() => {
    const r = store.tickets.create({ conversationId: c.id, priority: input.priority, createdBy: input.actorUserId });
    if (r.created)
      store.events.record({
        type: 'ticket.created',
        inboxId: c.inboxId,
        conversationId: c.id,
        actorUserId: input.actorUserId,
        data: { ticketId: r.ticket.id, priority: r.ticket.priority },
      });
    return r;
  });
  if (!created)
    throw new AppError('ticket.exists', `conversation ${c.id} has open ticket ${ticket.id}`, `Conversation #${c.id} already has an open ticket, #${ticket.id}.`);
  deps.logger.info({ conversation: c.id, ticket: ticket.id, priority: ticket.priority }, 'ticket created');
  deps.refreshParent(c.id);
  deps.postNote(c, { kind: 'ticket-created', byUserId: input.actorUserId, ticketId: ticket.id, priority: ticket.priority });
  return ticket;
}

/** The ticket shown on a conversation's parent message (parentViewModel's `ticketOf`). */
export function ticketView(store: Store, conversationId: number): ConversationParentVM['ticket'] {
  const t = store.tickets.shownFor(conversationId);
  return t ? { id: t.id, priority: t.priority, status: t.status } : null;
}

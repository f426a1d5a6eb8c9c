// Closing a conversation (with a resolution, an internal note, and its ticket if asked) and
// reopening it by hand. The customer writing again reopens it in ingestion, not here.
import { transition, type Resolution } from '../core/conversation-status.ts';
import type { Conversation } from '../core/types.ts';
import type { Ticket } from '../store/tickets.ts';
import { activeConversation, requireMember, type ActionDeps } from './conversation-actions.ts';

export interface CloseInput {
  conversationId: number;
  actorUserId: string;
  resolution: Resolution;
  note?: string | null;
  /** Close the conversation's open ticket too. */
  closeTicket: boolean;
}

export type CloseOutcome = { changed: boolean; conversation: Conversation; ticketClosed: Ticket | null };

export async function closeConversation(deps: ActionDeps, input: CloseInput): Promise<CloseOutcome> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'close');
  const { store } = deps;
  const note = input.note?.trim() || null;
  const result = store.transaction(() => {
    const current = store.conversations.byId(c.id)!;
    const change = transition(current.status, 'close');
    if (!change.changed) return { changed: false, ticket: null };
    store.conversations.setStatus(c.id, change.status, input.resolution);
    if (note) store.search.note(c.id, note);
    const open = input.closeTicket ? store.tickets.openFor(c.id) : undefined;
    const ticket = open && store.tickets.close(open.id) ? store.tickets.byId(open.id)! : null;
    store.events.record({
      type: 'conversation.closed',
      inboxId: c.inboxId,
      conversationId: c.id,
      actorUserId: input.actorUserId,
      data: { resolution: input.resolution, ticketClosed: ticket !== null, withNote: note !== null },
    });
    if (ticket)
      store.events.record({ type: 'ticket.closed', inboxId: c.inboxId, conversationId: c.id, actorUserId: input.actorUserId, data: { ticketId: ticket.id } });
    deps.timekeeper?.sync(c.id);
    return { changed: true, ticket };
  });
  const now = store.conversations.byId(c.id)!;
  if (!result.changed) return { changed: false, conversation: now, ticketClosed: null };
  deps.logger.info({ conversation: c.id, resolution: input.resolution, ticket: result.ticket?.id ?? null }, 'conversation closed');
  deps.refreshParent(c.id);
  deps.postNote(now, { kind: 'closed', byUserId: input.actorUserId, resolution: input.resolution, note, ticketId: result.ticket?.id ?? null });
  return { changed: true, conversation: now, ticketClosed: result.ticket };
}

export async function reopenConversation(deps: ActionDeps, input: { conversationId: number; actorUserId: string }): Promise<{ changed: boolean; conversation: Conversation }> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'reopen');
  const { store } = deps;
  const changed = store.transaction(() => {
    const current = store.conversations.byId(c.id)!;
    const change = transition(current.status, 'reopen');
    if (!change.reopened) return false;
    store.conversations.setStatus(c.id, change.status, null);
    store.events.record({ type: 'conversation.reopened', inboxId: c.inboxId, conversationId: c.id, actorUserId: input.actorUserId, data: { reason: 'manual' } });
    deps.timekeeper?.sync(c.id);
    return true;
  });
  const now = store.conversations.byId(c.id)!;
  if (!changed) return { changed: false, conversation: now };
  deps.logger.info({ conversation: c.id }, 'conversation reopened');
  deps.refreshParent(c.id);
  deps.postNote(now, { kind: 'reopened', byUserId: input.actorUserId, reason: 'manual' });
  return { changed: true, conversation: now };
}

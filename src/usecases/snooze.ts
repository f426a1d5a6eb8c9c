// Putting a conversation away: snooze it until a time, set it to wait on the customer, or bring
// it back by hand. The scheduler wakes a snooze at its time; the customer writing wakes it at
// once (ingest-email.ts); time-keeping pauses and resumes the SLA clock and sets the timers.
import { transition } from '../core/conversation-status.ts';
import type { Conversation } from '../core/types.ts';
import { AppError } from '../errors.ts';
import { activeConversation, requireMember, type ActionDeps } from './conversation-actions.ts';
import type { Timekeeper } from './time-keeping.ts';

export type TimeActionDeps = ActionDeps & { timekeeper: Pick<Timekeeper, 'sync'>; now?: () => number };

export interface Changed {
  changed: boolean;
  conversation: Conversation;
}

function notClosed(c: Conversation, what: string): void {
  if (c.status === 'closed') throw new AppError('conversation.closed', `conversation ${c.id} is closed`, `Conversation #${c.id} is closed: reopen it before you ${what} it.`);
}

export async function snoozeConversation(deps: TimeActionDeps, input: { conversationId: number; actorUserId: string; until: number }): Promise<Changed> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'snooze');
  notClosed(c, 'snooze');
  const at = (deps.now ?? Date.now)();
  if (input.until <= at) throw new AppError('time.bad_time', 'snooze time in the past', 'That time has already passed: pick one ahead.');
  const { store } = deps;
  store.transaction(() => {
    store.conversations.snooze(c.id, input.until, input.actorUserId, at);
    store.events.record({ type: 'conversation.snoozed', inboxId: c.inboxId, conversationId: c.id, actorUserId: input.actorUserId, data: { until: input.until }, at });
    deps.timekeeper.sync(c.id, at);
  });
  const now = store.conversations.byId(c.id)!;
  deps.logger.info({ conversation: c.id, until: input.until }, 'conversation snoozed');
  deps.refreshParent(c.id);
  deps.postNote(now, { kind: 'snoozed', byUserId: input.actorUserId, until: input.until });
  return { changed: true, conversation: now };
}

export async function unsnoozeConversation(deps: TimeActionDeps, input: { conversationId: number; actorUserId: string }): Promise<Changed> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'unsnooze');
  const { store } = deps;
  const at = (deps.now ?? Date.now)();
  const changed = store.transaction(() => {
    const current = store.conversations.byId(c.id)!;
    if (current.status !== 'snoozed') return false;
    store.conversations.setStatus(c.id, transition(current.status, 'wake').status, null, at);
    store.events.record({ type: 'conversation.woke', inboxId: c.inboxId, conversationId: c.id, actorUserId: input.actorUserId, data: { reason: 'manual', assigneeUserId: current.assigneeUserId }, at });
    deps.timekeeper.sync(c.id, at);
    return true;
  });
  const now = store.conversations.byId(c.id)!;
  if (!changed) return { changed: false, conversation: now };
  deps.refreshParent(c.id);
  deps.postNote(now, { kind: 'woke', reason: 'manual', byUserId: input.actorUserId, assigneeUserId: now.assigneeUserId });
  return { changed: true, conversation: now };
}

/** "Waiting on the customer" without a reply (pending): the clock stops; the customer writing makes it open again. */
export async function waitOnCustomer(deps: TimeActionDeps, input: { conversationId: number; actorUserId: string }): Promise<Changed> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'set waiting');
  notClosed(c, 'set waiting');
  const { store } = deps;
  const at = (deps.now ?? Date.now)();
  const changed = store.transaction(() => {
    const current = store.conversations.byId(c.id)!;
    const change = transition(current.status, 'wait');
    if (!change.changed) return false;
    store.conversations.setStatus(c.id, change.status, null, at);
    store.events.record({ type: 'conversation.waiting', inboxId: c.inboxId, conversationId: c.id, actorUserId: input.actorUserId, at });
    deps.timekeeper.sync(c.id, at);
    return true;
  });
  const now = store.conversations.byId(c.id)!;
  if (!changed) return { changed: false, conversation: now };
  deps.refreshParent(c.id);
  deps.postNote(now, { kind: 'waiting', byUserId: input.actorUserId });
  return { changed: true, conversation: now };
}

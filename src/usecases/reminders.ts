// Follow-up reminders: "remind me if there's no answer in 3d". A timer of its own per reminder;
// at its time, only if the customer has not written since it was set, a thread note mentions
// whoever asked. A customer email cancels it (time-keeping.ts).
import type { Conversation } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { NoteVM } from '../slack/ui/blocks/note-message.ts';
import type { Store } from '../store/index.ts';
import { activeConversation, requireMember } from './conversation-actions.ts';

export interface ReminderDeps {
  store: Store;
  isMember: (inboxId: number, userId: string) => Promise<boolean>;
  postNote: (c: Conversation, note: NoteVM) => void;
  /** The scheduler looks again. */
  timersChanged: () => void;
  now?: () => number;
}

/** Stores the reminder (inside the caller's transaction when there is one). */
export function storeReminder(store: Store, r: { conversation: Conversation; userId: string; dueAt: number; at: number }): number {
  return store.transaction(() => {
    const t = store.timers.add({ kind: 'reminder', conversationId: r.conversation.id, dueAt: r.dueAt, createdBy: r.userId, createdAt: r.at });
    store.events.record({ type: 'reminder.set', inboxId: r.conversation.inboxId, conversationId: r.conversation.id, actorUserId: r.userId, data: { dueAt: r.dueAt, timerId: t.id }, at: r.at });
    return t.id;
  });
}

export async function setReminder(deps: ReminderDeps, input: { conversationId: number; userId: string; dueAt: number }): Promise<{ timerId: number; conversation: Conversation }> {
  const c = activeConversation(deps.store, input.conversationId);
  await requireMember(deps, c, input.userId, 'set reminders on');
  if (c.status === 'closed') throw new AppError('conversation.closed', `conversation ${c.id} is closed`, `Conversation #${c.id} is closed: there is nothing to wait for.`);
  const at = (deps.now ?? Date.now)();
  if (input.dueAt <= at) throw new AppError('time.bad_time', 'reminder in the past', 'That time has already passed: pick one ahead.');
  const timerId = storeReminder(deps.store, { conversation: c, userId: input.userId, dueAt: input.dueAt, at });
  deps.timersChanged();
  deps.postNote(c, { kind: 'reminder-set', byUserId: input.userId, dueAt: input.dueAt });
  return { timerId, conversation: c };
}

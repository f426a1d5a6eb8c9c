// What every teammate action on a conversation (assign, close, reopen, ticket, move, forward)
// needs, and the checks they share: the conversation exists, has not moved elsewhere, and the
// person acting is a member of its inbox. Refusals are AppErrors whose `userMessage` is said
// privately to that person.
import type { Logger } from 'pino';
import type { Conversation, Inbox } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { NoteVM } from '../slack/ui/blocks/note-message.ts';
import type { AssignmentDmVM } from '../slack/ui/blocks/assignment-dm.ts';
import type { Store } from '../store/index.ts';
import type { Timekeeper } from './time-keeping.ts';

export interface ActionDeps {
  store: Store;
  logger: Logger;
  isMember: (inboxId: number, userId: string) => Promise<boolean>;
  /** A person (not a bot, not deactivated) who can be given conversations. */
  isPerson: (userId: string) => Promise<boolean>;
  refreshParent: (conversationId: number) => void;
  /** A short line in the conversation's thread (queued, paced). */
  postNote: (conversation: Conversation, note: NoteVM) => void;
  /** A direct message to a teammate; best effort. */
  dm: (userId: string, dm: AssignmentDmVM) => Promise<void>;
  teamUrl: () => string | null;
  /** SLA clocks and timers (time-keeping.ts): synced inside the transaction of a status change. */
  timekeeper?: Pick<Timekeeper, 'sync'>;
}

/** The conversation, or a refusal that says why it can't be acted on. */
export function activeConversation(store: Store, id: number): Conversation {
  const c = store.conversations.byId(id);
  if (!c) throw new AppError('conversation.not_found', `conversation ${id} not found`, `Conversation #${id} doesn't exist.`);
  if (c.movedToId) {
    const to = store.conversations.byId(c.movedToId);
    const inbox = to && store.inboxes.byId(to.inboxId);
    throw new AppError(
      'conversation.moved',
      `conversation ${id} moved to ${c.movedToId}`,
      `Conversation #${id} was moved to the *${inbox?.name ?? 'other'}* inbox as #${c.movedToId}: act on it there.`,
    );
  }
  return c;
}

export function inboxOf(store: Store, c: Conversation): Inbox {
  const inbox = store.inboxes.byId(c.inboxId);
  if (!inbox) throw new AppError('inbox.not_found', `inbox ${c.inboxId} not found`, 'This conversation belongs to an inbox that is no longer configured.');
  return inbox;
}

/** Only an inbox's members act on its conversations (PRODUCT "Inboxes"). */
export async function requireMember(deps: Pick<ActionDeps, 'store' | 'isMember'>, c: Conversation, userId: string, what = 'act on'): Promise<Inbox> {
  const inbox = inboxOf(deps.store, c);
  if (!(await deps.isMember(inbox.id, userId)))
    throw new AppError('inbox.not_member', `${userId} is not a member of inbox ${inbox.key}`, notMemberText(inbox.name, what));
  return inbox;
}

export function notMemberText(inboxName: string, what = 'act on'): string {
  return `Only members of the *${inboxName}* inbox can ${what} its conversations. Ask a member, or an admin to add you to the inbox.`;
}

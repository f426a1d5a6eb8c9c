// The parent message of a conversation as data: everything `conversationParent` needs, read from
// the store. Every use case that changes a conversation refreshes the parent through this.
import type { Resolution } from '../core/conversation-status.ts';
import type { Store } from '../store/index.ts';
import type { ConversationParentVM } from '../slack/ui/blocks/conversation-parent.ts';

export interface ParentViewDeps {
  store: Store;
  /** Base of permalinks, from auth.test (`https://acme.slack.com/`), when known. */
  teamUrl?: () => string | null;
  /** Teammates currently replying (collision), by conversation. */
  replying?: (conversationId: number) => string[];
  /** Open ticket of a conversation, when tickets exist. */
  ticketOf?: (conversationId: number) => ConversationParentVM['ticket'];
  /** The response-target clock as the parent shows it (time-keeping.ts). */
  clockOf?: (conversationId: number) => ConversationParentVM['clock'];
}

export function permalink(teamUrl: string | null | undefined, channel: string, ts: string | null): string | null {
  if (!teamUrl || !ts) return null;
  return `${teamUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
}

export function parentViewModel(deps: ParentViewDeps, conversationId: number): ConversationParentVM | null {
  const { store } = deps;
  const c = store.conversations.byId(conversationId);
  if (!c) return null;
  const contact = c.contactId ? store.contacts.byId(c.contactId) : undefined;
  const inbox = store.inboxes.byId(c.inboxId);
  const teamUrl = deps.teamUrl?.() ?? null;
  const first = store.messages.ofConversation(c.id).find((m) => m.direction === 'in');
  const moved = c.movedToId ? store.conversations.byId(c.movedToId) : undefined;
  const movedInbox = moved ? store.inboxes.byId(moved.inboxId) : undefined;
  return {
    number: c.id,
    inboxName: inbox?.name ?? 'Inbox',
    subject: c.subject,
    from: { name: contact?.name ?? '', address: contact?.email ?? '' },
    snippet: c.snippet,
    status: c.status,
    resolution: (c.resolution as Resolution | null) ?? null,
    assigneeUserId: c.assigneeUserId,
    ticket: deps.ticketOf?.(c.id) ?? null,
    replyingUserIds: deps.replying?.(c.id) ?? [],
    earlierConversations: c.contactId
      ? store.conversations
          .earlierWithContact(c.contactId, c.id)
          .map((e) => ({ number: e.id, subject: e.subject, permalink: permalink(teamUrl, e.channelId, e.slackTs) }))
      : [],
    movedTo:
      moved && movedInbox
        ? { inboxName: movedInbox.name, channelId: moved.channelId, permalink: permalink(teamUrl, moved.channelId, moved.slackTs) }
        : null,
    cc: first?.cc ?? [],
    forwardedBy: c.forwardedBy ? { name: '', address: c.forwardedBy } : null,
    receivedAt: c.createdAt,
    startedByUserId: c.startedByUserId,
    clock: c.movedToId ? null : (deps.clockOf?.(c.id) ?? null),
    snoozedUntil: c.status === 'snoozed' ? c.snoozedUntil : null,
    tags: store.tags.of(c.id),
  };
}

// A new conversation from an email that belongs to none yet: its contact (a teammate's forward is
// credited to the original sender), the routing rules' plan (the inbox it starts in, who gets
// it), its row and its `conversation.created` event. Inside ingestion's transaction
// (ingest-email.ts), which stores the email itself afterwards.
import type { Conversation } from '../core/types.ts';
import type { InboundEmail } from '../mail/types.ts';
import type { IngestDeps, InboxIdentity } from './ingest-email.ts';
import { applyRouting, factsOf, type Routed, type RoutingNote } from './routing.ts';

const SNIPPET_STORED = 500;

function snippetOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_STORED);
}

/** The contact of a new conversation: a teammate's forward is credited to the original sender. */
export function contactFor(email: InboundEmail, ourDomains: readonly string[]): { address: string; name: string; forwardedBy: string | null } {
  const from = email.from ?? { name: '', address: '' };
  const domain = from.address.split('@')[1]?.toLowerCase() ?? '';
  if (email.forwarded && email.forwarded.from.address && ourDomains.includes(domain))
    return { ...email.forwarded.from, forwardedBy: from.address };
  return { address: from.address, name: from.name, forwardedBy: null };
}

/** Which of our addresses received it (From of our replies): the first one in To/Cc, else the inbox's. */
function receivingAddress(email: InboundEmail, identity: InboxIdentity): string {
  const hit = [...email.to, ...email.cc].find((a) => identity.addresses.includes(a.address.toLowerCase()));
  return hit?.address.toLowerCase() ?? identity.inbox.address;
}

export interface StartedConversation {
  conversation: Conversation;
  /** The routing rules' plan, when one matched, and what it did so far (the response target comes once the clock exists). */
  routed: Routed | null;
  routing: RoutingNote | null;
  /** Who started it, for the search index: the contact's name and address. */
  startedWith: string;
}

export function startConversation(deps: Pick<IngestDeps, 'store' | 'ourDomains' | 'autoAssign' | 'route'>, identity: InboxIdentity, email: InboundEmail): StartedConversation {
  const { store } = deps;
  const { inbox } = identity;
  const who = contactFor(email, deps.ourDomains);
  const contact = who.address ? store.contacts.upsert(who.address, who.name).contact : null;
  // Routing rules decide where it starts and who gets it (a closing rule assigns nobody).
  const routed = deps.route?.(inbox.id, factsOf(email, who.address)) ?? null;
  const target = routed?.target.inbox ?? inbox;
  const rule = routed?.plan.assign?.value;
  const assignee = routed?.plan.close ? null : rule && 'user' in rule ? rule.user : (deps.autoAssign?.(target.id, rule?.rotation) ?? null);
  let conversation = store.conversations.create({
    inboxId: target.id,
    contactId: contact?.id ?? null,
    subject: email.forwarded && who.forwardedBy ? email.forwarded.subject || email.baseSubject : email.subject,
    channelId: target.channelId,
    // Replies go out from the inbox the conversation is in.
    ourAddress: target === inbox ? receivingAddress(email, identity) : target.address,
    assigneeUserId: assignee,
    snippet: snippetOf(email.reply || email.text),
    forwardedBy: who.forwardedBy,
  });
  store.events.record({
    type: 'conversation.created',
    inboxId: target.id,
    conversationId: conversation.id,
    data: { forwardedBy: who.forwardedBy, assignee: conversation.assigneeUserId, ...(target !== inbox ? { receivedByInboxId: inbox.id } : {}) },
  });
  let routing: RoutingNote | null = null;
  if (routed) {
    routing = applyRouting(store, conversation, routed);
    conversation = store.conversations.byId(conversation.id)!;
  }
  return { conversation, routed, routing, startedWith: `${who.name} ${who.address}` };
}

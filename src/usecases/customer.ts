// "Customer" in the parent's ⋯ menu: who the conversation is with, privately — name, address,
// when first seen, their conversations (in the inboxes the person is a member of) with status,
// tags and a link, and the other people at their company: the same domain, never for free mail
// (gmail.com, outlook.com…) or our own domains.
import { companyDomain } from '../core/free-mail.ts';
import type { ConversationStatus } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import { permalink } from './parent-view.ts';

export interface CustomerDeps {
  store: Store;
  teamUrl: () => string | null;
  ourDomains: readonly string[];
}

export interface CustomerView {
  conversationNumber: number;
  contact: { name: string; address: string; firstSeen: number } | null;
  total: number;
  conversations: { number: number; subject: string; status: ConversationStatus; tags: string[]; permalink: string | null; current: boolean }[];
  /** Null for free mail and addresses without a company domain. */
  company: { domain: string; people: { name: string; address: string; conversations: number }[] } | null;
}

const LIST = 15;

export function customerView(deps: CustomerDeps, conversationId: number, memberInboxIds: readonly number[]): CustomerView | null {
  const { store } = deps;
  const c = store.conversations.byId(conversationId);
  if (!c) return null;
  const contact = c.contactId ? store.contacts.details(c.contactId) : undefined;
  if (!contact) return { conversationNumber: c.id, contact: null, total: 0, conversations: [], company: null };
  const { total, list } = store.conversations.ofContact(contact.id, memberInboxIds, LIST);
  const tags = store.tags.ofMany(list.map((x) => x.id));
  const teamUrl = deps.teamUrl();
  const domain = companyDomain(contact.email, deps.ourDomains);
  return {
    conversationNumber: c.id,
    contact: { name: contact.name, address: contact.email, firstSeen: contact.createdAt },
    total,
    conversations: list.map((x) => ({ number: x.id, subject: x.subject, status: x.status, tags: tags.get(x.id) ?? [], permalink: permalink(teamUrl, x.channelId, x.slackTs), current: x.id === c.id })),
    company: domain ? { domain, people: store.contacts.atDomain(domain, contact.id, memberInboxIds).map((p) => ({ name: p.name, address: p.email, conversations: p.conversations })) } : null,
  };
}

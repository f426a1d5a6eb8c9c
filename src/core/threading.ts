// Which conversation does an incoming email belong to? In order: In-Reply-To, then References
// (newest first), against every Message-ID we have received or sent; then the conversation token
// carried in the Message-IDs we generate; then a `[#42]` subject token, but only when the sender
// is that conversation's contact: two customers are never merged on the subject alone.
import { tokenFromMessageIds } from './message-id.ts';

export interface ThreadingInput {
  inReplyTo: string | null;
  references: string[];
  subject: string;
  fromAddress: string | null;
}

export interface ThreadLookup {
  conversationOfMessageId(messageId: string): number | undefined;
  conversationOfToken(token: string): number | undefined;
  /** The contact address of conversation #n, if it exists. */
  contactOfConversation(id: number): string | undefined;
}

export type ThreadMatch = { conversationId: number; via: 'in-reply-to' | 'references' | 'token' | 'subject' };

/** In-Reply-To first, then References newest first, without repeats. */
export function threadingIds(e: Pick<ThreadingInput, 'inReplyTo' | 'references'>): string[] {
  const ids = [e.inReplyTo, ...[...e.references].reverse()].filter((x): x is string => !!x);
  return [...new Set(ids)];
}

/** `Re: Order [#42]` → 42; the last such token wins (quoted subjects pile them up at the end). */
export function subjectConversationNumber(subject: string): number | null {
  const all = [...subject.matchAll(/\[#(\d{1,9})\]/g)];
  const last = all[all.length - 1];
  return last ? Number(last[1]) : null;
}

export function findConversation(e: ThreadingInput, lookup: ThreadLookup, ourDomains?: readonly string[]): ThreadMatch | null {
  const ids = threadingIds(e);
  for (const id of ids) {
    const conversationId = lookup.conversationOfMessageId(id);
    if (conversationId !== undefined)
      return { conversationId, via: id === e.inReplyTo ? 'in-reply-to' : 'references' };
  }
  const token = tokenFromMessageIds(ids, ourDomains ? { domains: ourDomains } : {});
  if (token) {
    const conversationId = lookup.conversationOfToken(token);
    if (conversationId !== undefined) return { conversationId, via: 'token' };
  }
  const n = subjectConversationNumber(e.subject);
  if (n !== null && e.fromAddress) {
    const contact = lookup.contactOfConversation(n);
    if (contact && contact.toLowerCase() === e.fromAddress.toLowerCase()) return { conversationId: n, via: 'subject' };
  }
  return null;
}

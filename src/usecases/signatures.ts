// Signatures: a teammate's (`/mailroom signature set|show|clear`, or its modal) and an inbox's
// (YAML `signature:`, or set by a member, which then takes its place). Stored as Slack text;
// appended to every reply and composed email when it is built (core/signature.ts places it).
import type { InboxConfig } from '../config/load.ts';
import { MAX_SIGNATURE } from '../core/signature.ts';
import { AppError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { slackStoredText } from './outgoing-email.ts';

/** The two signatures an email from this teammate through this inbox gets. */
export function signaturesFor(store: Store, userId: string, inbox: Pick<InboxConfig, 'key' | 'signature'>): { teammate: string | null; inbox: string | null } {
  return { teammate: store.signatures.get('user', userId), inbox: inboxSignature(store, inbox) };
}

/** A member's signature for the inbox, else the YAML's (plain text there: escaped like Slack's). */
export function inboxSignature(store: Store, inbox: Pick<InboxConfig, 'key' | 'signature'>): string | null {
  return store.signatures.get('inbox', inbox.key) ?? (inbox.signature ? slackStoredText(inbox.signature) : null);
}

/** Slack text (as a message or a command carries it) to store; empty clears. Refused over the limit. */
export function checkSignature(text: string): string {
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (t.length > MAX_SIGNATURE) throw new AppError('signature.too_long', `${t.length} characters`, `A signature can be at most ${MAX_SIGNATURE} characters; this one has ${t.length}.`);
  return t;
}

export function setSignature(store: Store, o: { scope: 'user' | 'inbox'; owner: string; text: string; by: string }): 'set' | 'cleared' {
  const t = checkSignature(o.text);
  if (!t) {
    store.signatures.clear(o.scope, o.owner);
    return 'cleared';
  }
  store.signatures.set(o.scope, o.owner, t, o.by);
  return 'set';
}

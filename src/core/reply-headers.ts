// Threading headers and recipients of a reply, from the message being answered (the "parent").

import type { Address } from './types.ts';
import { isValidAddress } from './addresses.ts';
import { addressKey, isOwnAddress } from './loop-guard.ts';
import { normaliseMessageId } from './message-id.ts';

export interface ParentMessage {
  /** Bare Message-ID of the message answered; null when it had none. */
  messageId: string | null;
  /** Its References, oldest first (bare ids). */
  references: readonly string[];
  /** Its In-Reply-To (bare id), if any. */
  inReplyTo: string | null;
}

export interface ReplyHeaders {
  /** Bare id of the parent, or null when the parent had no usable Message-ID. */
  inReplyTo: string | null;
  /** Oldest first, bare ids, the parent's id last. Empty when there is nothing to refer to. */
  references: string[];
}

export interface ReferencesLimits {
  /** At most this many ids (default 20). */
  maxIds?: number;
  /** At most this many characters once written as `<id> <id> …` (default 900). */
  maxChars?: number;
}

/**
 * RFC 5322 §3.6.4: In-Reply-To is the parent's Message-ID; References is the parent's References
 * (or, lacking those, its single In-Reply-To) followed by the parent's Message-ID. Invalid and
 * duplicate ids are dropped; a long chain loses its middle (trimReferences).
 */
export function replyHeaders(parent: ParentMessage, limits: ReferencesLimits = {}): ReplyHeaders {
  const parentId = normaliseMessageId(parent.messageId);
  const ancestry = parent.references.length > 0 ? parent.references : parent.inReplyTo ? [parent.inReplyTo] : [];
  const seen = new Set<string>();
  const chain: string[] = [];
  for (const raw of ancestry) {
    const id = normaliseMessageId(raw);
    if (id && id !== parentId && !seen.has(id)) {
      seen.add(id);
      chain.push(id);
    }
  }
  if (parentId) chain.push(parentId);
  return { inReplyTo: parentId, references: trimReferences(chain, limits) };
}

/**
 * Keep the first id (the thread's root, which clients key on) and as many of the latest as fit;
 * the middle goes. Long References headers get truncated or rejected by some servers.
 */
export function trimReferences(ids: readonly string[], { maxIds = 20, maxChars = 900 }: ReferencesLimits = {}): string[] {
  const size = (id: string) => id.length + 3; // "<" + id + ">" + separating space
  const total = ids.reduce((sum, id) => sum + size(id), 0);
  if (ids.length <= maxIds && total <= maxChars) return [...ids];
  const [first, ...rest] = ids;
  if (first === undefined) return [];
  const kept: string[] = [];
  let used = size(first);
  for (let i = rest.length - 1; i >= 0 && kept.length + 1 < maxIds; i--) {
    const id = rest[i] as string;
    if (used + size(id) > maxChars) break;
    used += size(id);
    kept.unshift(id);
  }
  // The parent (last id) must survive even if the root alone is long.
  const last = rest[rest.length - 1];
  if (kept.length === 0 && last !== undefined) return [first, last];
  return [first, ...kept];
}

export interface ReplyRecipientsInput {
  lastInbound: {
    from: Address | null;
    replyTo: readonly Address[];
    to: readonly Address[];
    cc: readonly Address[];
  };
  /** The inbox's own addresses (address and aliases). */
  ourAddresses: readonly string[];
}

export interface ReplyRecipients {
  to: Address[];
  cc: Address[];
}

/**
 * Reply-all: To the sender (or their Reply-To), CC everyone else on the message, without our own
 * addresses, invalid addresses and duplicates (case-insensitive). When the message answered is
 * our own (nothing left for To), its recipients are answered again, as mail clients do.
 */
export function replyRecipients({ lastInbound, ourAddresses }: ReplyRecipientsInput): ReplyRecipients {
  const seen = new Set<string>();
  const take = (list: readonly Address[]): Address[] => {
    const out: Address[] = [];
    for (const entry of list) {
      const address = entry.address.trim();
      const key = addressKey(address);
      if (!isValidAddress(address) || seen.has(key) || isOwnAddress(address, ourAddresses)) continue;
      seen.add(key);
      out.push({ name: entry.name.trim(), address });
    }
    return out;
  };
  const author = lastInbound.replyTo.length > 0 ? lastInbound.replyTo : lastInbound.from ? [lastInbound.from] : [];
  let to = take(author);
  if (to.length === 0) to = take(lastInbound.to);
  const cc = take([...lastInbound.to, ...lastInbound.cc]);
  // Nobody left to address directly: the CC'd people become the recipients.
  return to.length > 0 ? { to, cc } : { to: cc, cc: [] };
}

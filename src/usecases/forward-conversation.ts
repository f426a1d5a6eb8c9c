// Forwarding one of a conversation's emails to any address: queued in the outbox (kind
// `forward`) like every email we send, so it is retried, logged (`email.forwarded`, by the
// worker) and filed in Sent; the thread says who forwarded it to whom. The email itself is built
// when it is sent, with the original fetched again from the mailbox (forward-email.ts).
import { rawBytes, type WithRaw } from '../mail/raw.ts';
import { displayName } from '../core/addresses.ts';
import { newMessageId } from '../core/message-id.ts';
import type { StoredMessage } from '../core/types.ts';
import { AppError } from '../errors.ts';
import { buildForwardEmail } from '../mail/outbound/forward-email.ts';
import type { Address } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import { activeConversation, requireMember, type ActionDeps } from './conversation-actions.ts';
import type { EmailBuilder } from './outbox-emails.ts';

export interface ForwardPayload {
  to: Address[];
  note: string;
  /** The email forwarded (store id). */
  messageRowId: number;
}

/** The email a forward sends by default: the chosen one if it is a received email, else the latest received. */
export function emailToForward(store: Store, conversationId: number, chosenRowId?: number | null): StoredMessage | undefined {
  const chosen = chosenRowId ? store.messages.byId(chosenRowId) : undefined;
  if (chosen && chosen.conversationId === conversationId && chosen.direction === 'in') return chosen;
  return store.messages.lastInbound(conversationId) ?? [...store.messages.ofConversation(conversationId)].reverse().find((m) => m.direction === 'in');
}

export interface ForwardInput {
  conversationId: number;
  actorUserId: string;
  to: Address[];
  note?: string | null;
  messageRowId?: number | null;
  /** Every inbox address of this install: forwarding to them would be read as our own mail. */
  ourAddresses: ReadonlySet<string>;
}

/** Refusals about the recipients carry code `forward.bad_recipient` (a field error in the modal). */
export async function queueForward(deps: ActionDeps & { kickOutbox: () => void }, input: ForwardInput): Promise<{ outboxId: number }> {
  const { store } = deps;
  const c = activeConversation(store, input.conversationId);
  await requireMember(deps, c, input.actorUserId, 'forward');
  if (input.to.length === 0) throw new AppError('forward.bad_recipient', 'no recipients', 'Enter at least one address.');
  const own = input.to.find((a) => input.ourAddresses.has(a.address.toLowerCase()));
  if (own)
    throw new AppError('forward.bad_recipient', 'own address', `${own.address} is one of Mailroom's own inboxes: use "Move to another inbox" to hand the conversation over.`);
  const email = emailToForward(store, c.id, input.messageRowId);
  if (!email) throw new AppError('forward.no_email', `conversation ${c.id} has no received email`, 'This conversation has no received email to forward yet.');

  const payload: ForwardPayload = { to: input.to, note: input.note?.trim() ?? '', messageRowId: email.id };
  const domain = c.ourAddress.split('@')[1] ?? 'mailroom.invalid';
  // Not the conversation's token: an answer to the forward is another person's mail and must not
  // land in the customer's conversation (where a reply would then go to the wrong person).
  const { row } = store.outbox.add({
    conversationId: c.id,
    inboxId: c.inboxId,
    kind: 'forward',
    slackUserId: input.actorUserId,
    payload,
    messageId: newMessageId({ token: 'fwd', domain }),
    sendAt: Date.now(),
  });
  deps.logger.info({ conversation: c.id, outbox: row.id, recipients: input.to.length }, 'forward queued');
  deps.kickOutbox();
  deps.postNote(c, { kind: 'forwarded', byUserId: input.actorUserId, to: input.to.map((a) => a.address), note: payload.note || null });
  return { outboxId: row.id };
}

export interface ForwardBuilderDeps {
  /** The original's raw bytes, read again. */
  withRaw: WithRaw;
}

/** The outbox's email builder for kind `forward`. */
export function createForwardBuilder(deps: ForwardBuilderDeps): EmailBuilder {
  return async (ctx) => {
    const p = ctx.row.payload as ForwardPayload;
    const original = ctx.store.messages.byId(p.messageRowId);
    if (!original) throw new AppError('forward.no_email', `message ${p.messageRowId} not found`, 'The email to forward no longer exists.');
    // Attached whole: the forward is composed in memory (nodemailer).
    const raw = await deps.withRaw(original, rawBytes);
    const first = ctx.store.messages.ofConversation(ctx.conversation.id).find((m) => m.direction === 'in');
    const from = ctx.ourAddresses.includes(ctx.conversation.ourAddress.toLowerCase()) ? ctx.conversation.ourAddress : ctx.ourAddresses[0]!;
    return buildForwardEmail({
      from: { name: displayName(await ctx.displayName(ctx.row.slackUserId), ctx.inboxName), address: from },
      to: p.to,
      note: p.note,
      original: { from: original.from.address ? original.from : null, to: original.to, cc: original.cc, subject: original.subject, date: new Date(original.receivedAt) },
      raw,
      // Without the original, the start of the first email is all Mailroom still has of any text.
      fallbackText: first?.id === original.id ? ctx.conversation.snippet : null,
      messageId: ctx.row.messageId,
      date: new Date(ctx.row.sendAt),
    });
  };
}

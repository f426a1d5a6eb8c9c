// What each kind of outbox row becomes as an email. The worker claims a row, asks the builder of
// its kind for the email, and sends it; builders run again on every attempt (an edit in the undo
// window is picked up), always under the row's own Message-ID and date.
import { displayName } from '../core/addresses.ts';
import { mrkdwnToEmail } from '../core/mrkdwn-to-email.ts';
import { appendSignature, composeSignature } from '../core/signature.ts';
import type { Conversation, StoredMessage } from '../core/types.ts';
import { AppError } from '../errors.ts';
import { buildReplyEmail, type ReplyParent } from '../mail/outbound/reply-email.ts';
import type { OutgoingAttachment, OutgoingEmail } from '../mail/outbound/mail-sender.ts';
import type { Address } from '../core/types.ts';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { OutboxKind, OutboxRow } from '../store/outbox.ts';

/** A reply typed in the thread, or sent from the Reply modal (which may change From and add people). */
export interface ReplyPayload {
  text: string;
  files: SharedFile[];
  /** false: the teammate left the signature off this one email (Reply modal). */
  signature?: false;
  fromAddress?: string;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
}

/** A new email from the Compose modal: it starts the conversation. */
export interface ComposePayload {
  text: string;
  files: SharedFile[];
  /** false: the teammate left the signature off this one email. */
  signature?: false;
  fromAddress: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
}

export interface BuildContext {
  store: Store;
  row: OutboxRow;
  conversation: Conversation;
  inboxName: string;
  /** The sending inbox's address and aliases, lower-cased: the allowed From addresses. */
  ourAddresses: string[];
  /** Every address of every inbox, lower-cased: never a recipient of a reply-all. */
  installAddresses: string[];
  displayName: (userId: string) => Promise<string>;
  namesIn: (text: string) => Promise<Record<string, string>>;
  download: (ref: SharedFile) => Promise<Buffer>;
  /** The sender's own signature and the inbox's (a member's, else the YAML's), as Slack text. */
  signatures?: { teammate: string | null; inbox: string | null };
}

export type EmailBuilder = (ctx: BuildContext) => Promise<OutgoingEmail>;

/** From must be one of the inbox's own addresses. */
function fromAddress(ctx: BuildContext, chosen: string | undefined): string {
  const from = (chosen ?? ctx.conversation.ourAddress).toLowerCase();
  if (!ctx.ourAddresses.includes(from))
    throw new AppError('email.bad_from', `${from} is not an address of this inbox`, `${from} is not one of this inbox's addresses.`);
  return from;
}

async function attachments(ctx: BuildContext, files: SharedFile[] | undefined): Promise<OutgoingAttachment[]> {
  const out: OutgoingAttachment[] = [];
  for (const f of files ?? []) out.push({ filename: f.name, contentType: f.mimetype, content: await ctx.download(f) });
  return out;
}

function toParent(m: StoredMessage): ReplyParent {
  return {
    messageId: m.messageId.startsWith('hash:') ? null : m.messageId,
    references: m.references,
    inReplyTo: m.inReplyTo,
    from: m.from.address ? m.from : null,
    replyTo: m.replyTo,
    to: m.to,
    cc: m.cc,
    subject: m.subject,
  };
}

/**
 * The message a reply answers: the customer's latest email, else our own latest — before
 * `before` (a message row id) when given, so an email sent again answers what it answered then.
 */
export function replyParent(store: Store, conversationId: number, before?: number): ReplyParent {
  const all = store.messages.ofConversation(conversationId).filter((m) => m.kind === 'human' && (before === undefined || m.id < before));
  const m = [...all].reverse().find((x) => x.direction === 'in') ?? all[all.length - 1];
  if (!m) throw new AppError('reply.no_parent', `conversation ${conversationId} has no email`, 'This conversation has no email to answer yet.');
  return toParent(m);
}

/** The signature of this email, filled in, unless the teammate left it off. */
function signatureOf(ctx: BuildContext, payload: { signature?: false }, teammateName: string): string | null {
  if (payload.signature === false || !ctx.signatures) return null;
  return composeSignature(ctx.signatures, { teammateName, inboxName: ctx.inboxName });
}

const reply: EmailBuilder = async (ctx) => {
  const p = ctx.row.payload as ReplyPayload;
  const authorName = await ctx.displayName(ctx.row.slackUserId);
  const signature = signatureOf(ctx, p, authorName);
  return buildReplyEmail({
    fromAddress: fromAddress(ctx, p.fromAddress),
    ourAddresses: ctx.installAddresses,
    inboxName: ctx.inboxName,
    authorName,
    signature,
    parent: replyParent(ctx.store, ctx.conversation.id, ctx.row.resentAt !== null ? ctx.store.messages.byMessageId(ctx.row.messageId)?.id : undefined),
    text: p.text,
    users: await ctx.namesIn(signature ? `${p.text}\n${signature}` : p.text),
    token: ctx.conversation.token,
    attachments: await attachments(ctx, p.files),
    extraTo: p.to ?? [],
    extraCc: p.cc ?? [],
    bcc: p.bcc ?? [],
    messageId: ctx.row.messageId,
    date: new Date(ctx.row.sendAt),
  });
};

const compose: EmailBuilder = async (ctx) => {
  const p = ctx.row.payload as ComposePayload;
  const authorName = await ctx.displayName(ctx.row.slackUserId);
  const signature = signatureOf(ctx, p, authorName);
  const users = await ctx.namesIn(signature ? `${p.text}\n${signature}` : p.text);
  const body = appendSignature(mrkdwnToEmail(p.text, { users }), signature ? mrkdwnToEmail(signature, { users, fragment: true }) : null);
  return {
    from: { name: displayName(authorName, ctx.inboxName), address: fromAddress(ctx, p.fromAddress) },
    to: p.to,
    cc: p.cc,
    bcc: p.bcc,
    subject: p.subject,
    text: body.text,
    html: body.html,
    messageId: ctx.row.messageId,
    attachments: await attachments(ctx, p.files),
    date: new Date(ctx.row.sendAt),
  };
};

/** Builders by outbox kind; `forward` is added where forwarding is wired (it needs the original). */
export const defaultBuilders: Partial<Record<OutboxKind, EmailBuilder>> = { reply, compose };

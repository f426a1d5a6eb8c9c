// A reply from the Reply modal: another From of the inbox, more To, CC, BCC, a template, files.
// Checked and stored (held) before the modal closes; then shown in the thread as what was sent,
// and released to the outbox worker, which builds it exactly as a thread reply with these options.
import type { Logger } from 'pino';
import { displayName } from '../core/addresses.ts';
import type { EmailForm } from '../core/email-form.ts';
import { renderTemplate } from '../core/template-render.ts';
import type { Conversation } from '../core/types.ts';
import { AppError } from '../errors.ts';
import { buildReplyEmail } from '../mail/outbound/reply-email.ts';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { OutboxRow } from '../store/outbox.ts';
import { holdEmail, releaseEmail } from './held-email.ts';
import { storeReminder } from './reminders.ts';
import { scheduleEmail } from './scheduled-send.ts';
import { replyParent, type ReplyPayload } from './outbox-emails.ts';
import { slackStoredText, type ThreadPoster } from './outgoing-email.ts';
import type { OutgoingEmailVM } from '../slack/ui/blocks/outgoing-email.ts';

export interface ReplyWithOptionsRequest {
  conversation: Conversation;
  userId: string;
  teammateName: string;
  inbox: { id: number; name: string; addresses: string[] };
  /** Validated; `subject` is unused (a reply's subject is the conversation's). */
  form: EmailForm;
  files: SharedFile[];
  /** "Send at": a scheduled reply, sent at this time. */
  sendAt?: number | null;
  /** "Remind me if there's no answer in …": a reminder this long after it goes. */
  remindAfterMs?: number | null;
  /** Leave the signature off this one email. */
  withoutSignature?: boolean;
}

export interface StoredReply {
  held: OutboxRow;
  /** How the thread shows it: the recipients and subject the worker will use. */
  email: OutgoingEmailVM;
}

/**
 * Step one, synchronous: the email as the worker will build it (so a reply with nobody to send
 * to is refused now, as `reply.no_recipients` / `reply.no_parent`), then stored, held.
 */
export function storeReplyWithOptions(store: Store, req: ReplyWithOptionsRequest, now = Date.now()): StoredReply {
  const c = req.conversation;
  const contact = c.contactId ? store.contacts.byId(c.contactId) : undefined;
  const body = renderTemplate(req.form.body, {
    contact: contact ? { name: contact.name, email: contact.email } : null,
    conversationNumber: c.id,
    subject: c.subject,
    inboxName: req.inbox.name,
    teammateName: req.teammateName,
  });
  const text = slackStoredText(body);
  const { form } = req;
  const reply = buildReplyEmail({
    fromAddress: form.fromAddress,
    ourAddresses: req.inbox.addresses,
    inboxName: req.inbox.name,
    authorName: req.teammateName,
    parent: replyParent(store, c.id),
    text,
    users: {},
    token: c.token,
    extraTo: form.to,
    extraCc: form.cc,
    bcc: form.bcc,
  });
  const payload: ReplyPayload = { text, files: req.files, fromAddress: form.fromAddress, to: form.to, cc: form.cc, bcc: form.bcc, ...(req.withoutSignature ? { signature: false as const } : {}) };
  const sendAt = req.sendAt ?? null;
  const held = store.transaction(() => {
    const e = { conversationId: c.id, inboxId: c.inboxId, kind: 'reply' as const, slackUserId: req.userId, payload, token: c.token, fromAddress: form.fromAddress };
    const row = sendAt !== null ? scheduleEmail(store, e, sendAt, now) : holdEmail(store, e, now);
    if (req.remindAfterMs) storeReminder(store, { conversation: c, userId: req.userId, dueAt: (sendAt ?? now) + req.remindAfterMs, at: now });
    return row;
  });
  const email: OutgoingEmailVM = {
    from: { name: displayName(req.teammateName, req.inbox.name), address: form.fromAddress },
    to: reply.to,
    cc: reply.cc,
    bcc: reply.bcc,
    subject: reply.subject,
    conversationSubject: c.subject,
    text,
    files: req.files,
    userId: req.userId,
    date: sendAt ?? now,
    schedule: sendAt !== null ? { at: sendAt, outboxId: held.id } : null,
  };
  return { held, email };
}

/** Whether an error from storeReplyWithOptions is one to tell the teammate (and which). */
export function replyRefusal(err: unknown): string | null {
  return err instanceof AppError && (err.code === 'reply.no_recipients' || err.code === 'reply.no_parent') ? (err.userMessage ?? err.message) : null;
}

export interface SendReplyDeps {
  store: Store;
  postInThread: ThreadPoster;
  kickOutbox: () => void;
  logger: Logger;
  now?: () => number;
}

/** Step two: show it in the thread, then let it go. Returns whether Slack showed it. */
export async function sendReplyWithOptions(deps: SendReplyDeps, req: ReplyWithOptionsRequest, stored: StoredReply): Promise<boolean> {
  const now = deps.now ?? Date.now;
  const c = req.conversation;
  let shown: { channel: string; ts: string } | null = null;
  try {
    if (!c.slackTs) throw new Error('the conversation has no parent message');
    const ts = await deps.postInThread({ conversation: c, threadTs: c.slackTs, email: stored.email, outboxId: stored.held.id });
    shown = { channel: c.channelId, ts };
  } catch (err) {
    deps.logger.warn({ conversation: c.id, err: err instanceof Error ? err.message : String(err) }, 'reply could not be shown in Slack; sending it anyway');
  }
  // A scheduled reply waits for its time (the scheduler's `send` timer): it is only tied to its message.
  const outboxId = stored.held.status === 'scheduled' ? (shown && deps.store.outbox.tieScheduled(stored.held.id, shown), stored.held.id) : releaseEmail(deps.store, stored.held, shown, now());
  deps.kickOutbox();
  deps.logger.info({ conversation: c.id, outbox: outboxId }, 'reply with options queued');
  return !!shown;
}

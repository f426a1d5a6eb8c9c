// A new email from the compose modal starts a conversation: contacts for the people it goes to,
// the conversation (started by the teammate, assigned to them), the email held in the outbox,
// all in one transaction; then the parent message in the inbox channel, the email in its thread,
// and the email released to the outbox worker, which sends it like any reply (headers, receipts,
// retries, Sent folder). The customer's answer threads back by Message-ID and token.
import type { Logger } from 'pino';
import { displayName } from '../core/addresses.ts';
import type { EmailForm } from '../core/email-form.ts';
import { renderTemplate } from '../core/template-render.ts';
import type { Conversation } from '../core/types.ts';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import { holdEmail, releaseEmail } from './held-email.ts';
import { scheduleEmail } from './scheduled-send.ts';
import type { ComposePayload } from './outbox-emails.ts';
import { slackStoredText, type ThreadPoster } from './outgoing-email.ts';
import type { OutgoingEmailVM } from '../slack/ui/blocks/outgoing-email.ts';

export interface ComposeEmailDeps {
  store: Store;
  /** Posts the conversation's parent (the email poster's code path); resolves with its ts. */
  postParent: (conversationId: number) => Promise<string>;
  postInThread: ThreadPoster;
  kickOutbox: () => void;
  logger: Logger;
  now?: () => number;
  /** How long to wait for Slack to show the conversation before sending without it. */
  slackWaitMs?: number;
}

export const SLACK_WAIT_MS = 30_000;

export interface ComposeEmailRequest {
  userId: string;
  teammateName: string;
  inbox: { id: number; name: string; channelId: string };
  form: EmailForm;
  files: SharedFile[];
  /** "Send at": the email is scheduled for this time. */
  sendAt?: number | null;
  /** Leave the signature off this one email. */
  withoutSignature?: boolean;
}

export interface ComposeEmailOutcome {
  conversation: Conversation;
  /** The outbox row that sends it. */
  outboxId: number | null;
  /** False when Slack could not show it (it is sent all the same). */
  shown: boolean;
}

const SNIPPET_LENGTH = 200;

/** Step one, synchronous: everything stored. The modal may close once this returns. */
export function storeComposedEmail(deps: Pick<ComposeEmailDeps, 'store' | 'now'>, req: ComposeEmailRequest) {
  const { store } = deps;
  const now = (deps.now ?? Date.now)();
  const { form } = req;
  return store.transaction(() => {
    const contacts = [...form.to, ...form.cc].map((a) => store.contacts.upsert(a.address, a.name).contact);
    const first = contacts[0]!;
    const vars = {
      contact: { name: form.to[0]?.name || first.name, email: first.email },
      subject: form.subject,
      inboxName: req.inbox.name,
      teammateName: req.teammateName,
    };
    const conversation = store.conversations.create({
      inboxId: req.inbox.id,
      contactId: first.id,
      subject: form.subject,
      channelId: req.inbox.channelId,
      ourAddress: form.fromAddress,
      assigneeUserId: req.userId,
      startedByUserId: req.userId,
      // The number is not known before the row exists: the snippet reads without it.
      snippet: renderTemplate(form.body, vars).replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH),
    });
    // Searchable at once by subject and recipients; its text joins the index once sent.
    store.search.started(conversation.id, { subject: form.subject, senders: [...form.to, ...form.cc].map((a) => `${a.name} ${a.address}`).join(' '), text: '' });
    // Variables such as {{conversation_number}} are known only now.
    const text = slackStoredText(renderTemplate(form.body, { ...vars, conversationNumber: conversation.id }));
    store.events.record({ type: 'conversation.created', inboxId: req.inbox.id, conversationId: conversation.id, actorUserId: req.userId, data: { origin: 'compose', startedByUserId: req.userId }, at: now });
    store.events.record({ type: 'conversation.assigned', inboxId: req.inbox.id, conversationId: conversation.id, actorUserId: req.userId, data: { assigneeUserId: req.userId, automatic: false }, at: now });
    const payload: ComposePayload = { text, files: req.files, fromAddress: form.fromAddress, to: form.to, cc: form.cc, bcc: form.bcc, subject: form.subject, ...(req.withoutSignature ? { signature: false as const } : {}) };
    const e = { conversationId: conversation.id, inboxId: req.inbox.id, kind: 'compose' as const, slackUserId: req.userId, payload, token: conversation.token, fromAddress: form.fromAddress };
    const held = req.sendAt ? scheduleEmail(store, e, req.sendAt, now) : holdEmail(store, e, now);
    return { conversation: store.conversations.byId(conversation.id)!, held, text };
  });
}

/** Step two: show it in Slack and let it go. */
export async function composeEmail(deps: ComposeEmailDeps, req: ComposeEmailRequest, stored = storeComposedEmail(deps, req)): Promise<ComposeEmailOutcome> {
  const now = deps.now ?? Date.now;
  const { conversation, held, text } = stored;
  const log = deps.logger.child({ conversation: conversation.id });
  let shown: { channel: string; ts: string } | null = null;
  try {
    // Slack may hold a post back for long (rate limits, an outage): past this the email goes alone.
    const parentTs = await Promise.race([
      deps.postParent(conversation.id),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the parent message was not posted in time')), deps.slackWaitMs ?? SLACK_WAIT_MS).unref()),
    ]);
    const email: OutgoingEmailVM = {
      from: { name: displayName(req.teammateName, req.inbox.name), address: req.form.fromAddress },
      to: req.form.to,
      cc: req.form.cc,
      bcc: req.form.bcc,
      subject: req.form.subject,
      conversationSubject: req.form.subject,
      text,
      files: req.files,
      userId: req.userId,
      date: req.sendAt ?? now(),
      schedule: req.sendAt ? { at: req.sendAt, outboxId: held.id } : null,
    };
    const ts = await deps.postInThread({ conversation, threadTs: parentTs, email, outboxId: held.id });
    shown = { channel: conversation.channelId, ts };
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'composed email could not be shown in Slack; sending it anyway');
  }
  const outboxId = held.status === 'scheduled' ? (shown && deps.store.outbox.tieScheduled(held.id, shown), held.id) : releaseEmail(deps.store, held, shown, now());
  deps.kickOutbox();
  log.info({ outbox: outboxId, shown: !!shown }, 'composed email queued');
  return { conversation: deps.store.conversations.byId(conversation.id) ?? conversation, outboxId, shown: !!shown };
}

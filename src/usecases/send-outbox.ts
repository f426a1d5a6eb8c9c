// The outbox worker: sends every due email once. An email is claimed (status "sending", with
// its Message-ID already recorded) before the SMTP conversation starts and marked sent as soon as
// the server accepts it; temporary failures are retried with backoff, permanent ones reported.
// After a crash, emails left "sending" are checked against the Sent folder by Message-ID, and
// otherwise sent again under the same Message-ID (mail clients treat equal ids as one message).
import type { Logger } from 'pino';
import { transition } from '../core/conversation-status.ts';
import { noTelemetry, type Telemetry } from '../core/telemetry.ts';
import { checkRecipientRate } from '../core/loop-guard.ts';
import type { Conversation } from '../core/types.ts';
import { AppError, describeError, errorCode } from '../errors.ts';
import { nextRetry } from '../mail/outbound/retry-policy.ts';
import type { MailSender, OutgoingEmail } from '../mail/outbound/mail-sender.ts';
import type { NoteVM } from '../slack/ui/blocks/note-message.ts';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { OutboxKind, OutboxRow } from '../store/outbox.ts';
import { defaultBuilders, type EmailBuilder } from './outbox-emails.ts';
import { signaturesFor } from './signatures.ts';
import type { ConfiguredInbox, Inboxes } from './inboxes.ts';
import type { Timekeeper } from './time-keeping.ts';

/** An inbox's mail side, as the worker sends through it (mail/outbound/inbox-mail.ts). */
export interface InboxMail {
  sender: MailSender;
  /** Append a copy to the Sent folder (null when the provider files sent mail itself); says how it went. */
  fileInSent: ((raw: Buffer) => Promise<{ ok: true } | { ok: false; error: string }>) | null;
  /** Is an email with this Message-ID already in the Sent folder? (after a crash mid-send) */
  foundInSent: ((messageId: string) => Promise<boolean>) | null;
}

/** What the worker tells Slack. Implemented by the Slack side; every call is best effort. */
export interface SendFeedback {
  /** Marks a teammate's message with how its email is doing (Slack shows a reaction). */
  react(channel: string, ts: string, mark: ReplyMark): Promise<void>;
  unreact(channel: string, ts: string, mark: ReplyMark): Promise<void>;
  note(conversation: Conversation, note: NoteVM): Promise<void>;
  refreshParent(conversationId: number): void;
}

export interface OutboxDeps {
  store: Store;
  inboxes: Pick<Inboxes, 'byId' | 'ourAddresses'>;
  /** Each inbox's sender and Sent folder. */
  mail: (inboxId: number) => InboxMail | undefined;
  feedback: SendFeedback;
  displayName: (userId: string) => Promise<string>;
  namesIn: (text: string) => Promise<Record<string, string>>;
  download: (ref: SharedFile) => Promise<Buffer>;
  maxPerRecipientPerHour: number;
  logger: Logger;
  now?: () => number;
  /** Extra email builders by outbox kind (e.g. forward). */
  builders?: Partial<Record<OutboxKind, EmailBuilder>>;
  /** Delays between attempts after temporary failures (tests shorten them). */
  retryDelaysMs?: readonly number[];
  /** While an inbox's sign-in is unavailable, try its waiting emails this often (default 1 min). */
  signInRetryMs?: number;
  telemetry?: Telemetry;
  /** SLA clocks and timers: a reply stops the clock (time-keeping.ts). */
  timekeeper?: Pick<Timekeeper, 'sync'>;
}

/** How a teammate's email is doing: waiting (undo window, retry, sign-in), accepted by the server, or not. */
export type ReplyMark = 'pending' | 'sent' | 'failed';
const HOUR = 60 * 60_000;

export function createOutboxWorker(deps: OutboxDeps) {
  const { store, logger, feedback } = deps;
  const now = deps.now ?? Date.now;
  const telemetry = deps.telemetry ?? noTelemetry;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const builders = { ...defaultBuilders, ...deps.builders };
  const installAddresses = [...deps.inboxes.ourAddresses];

  async function build(row: OutboxRow, inbox: ConfiguredInbox, c: Conversation): Promise<OutgoingEmail> {
    const builder = builders[row.kind];
    if (!builder) throw new AppError('outbox.unknown_kind', `no email builder for ${row.kind}`);
    return builder({
      store,
      row,
      conversation: c,
      inboxName: inbox.config.name,
      ourAddresses: inbox.addresses,
      installAddresses,
      displayName: deps.displayName,
      namesIn: deps.namesIn,
      download: deps.download,
      signatures: signaturesFor(store, row.slackUserId, inbox.config),
    });
  }

  async function fail(row: OutboxRow, c: Conversation, reason: string, opts: { willRetry: boolean; held?: boolean }): Promise<void> {
    if (opts.willRetry) telemetry.replyRetried(row.inboxId);
    else telemetry.replyFailed(row.inboxId);
    if (!opts.willRetry)
      store.events.record({ type: 'reply.failed', inboxId: c.inboxId, conversationId: c.id, actorUserId: row.slackUserId, data: { reason, permanent: true, held: !!opts.held, outboxId: row.id } });
    if (row.slackChannel && row.slackTs) {
      await feedback.unreact(row.slackChannel, row.slackTs, 'pending');
      if (row.attempts <= 1 || !opts.willRetry) await feedback.react(row.slackChannel, row.slackTs, 'failed');
    }
    // One note when retrying starts, one when it ends: not one per attempt.
    if (row.attempts <= 1 || !opts.willRetry) await feedback.note(c, { kind: 'send-failed', reason, byUserId: row.slackUserId, willRetry: opts.willRetry });
  }

  /** Bookkeeping of an accepted email, in one transaction: outbox, message (for threading back), log, status. */
  function recordSent(row: OutboxRow, c: Conversation, email: OutgoingEmail, recipients: string[]): boolean {
    const at = now();
    return store.transaction(() => {
      store.outbox.markSent(row.id, at);
      store.outbox.recipients.log(recipients, at);
      if (row.kind === 'forward') {
        // A forward leaves the conversation as it is: it is not an answer to the customer.
        store.events.record({ type: 'email.forwarded', inboxId: c.inboxId, conversationId: c.id, actorUserId: row.slackUserId, data: { outboxId: row.id, to: recipients }, at });
        return false;
      }
      // Sent again after a bounce: the same email, already on record; it is delivered now, as far as we know.
      const earlier = row.resentAt !== null ? store.messages.byMessageId(email.messageId) : undefined;
      if (earlier?.direction === 'out') {
        store.messages.setDeliveryState(earlier.id, 'sent');
        return false;
      }
      store.messages.insert({
        conversationId: c.id,
        inboxId: c.inboxId,
        direction: 'out',
        messageId: email.messageId,
        inReplyTo: email.inReplyTo ?? null,
        references: email.references ?? [],
        from: email.from,
        to: email.to,
        cc: email.cc,
        subject: email.subject,
        kind: 'human',
        postState: 'posted',
        slackTs: row.slackTs,
        receivedAt: at,
      });
      store.search.email(c.id, { sender: '', text: email.text });
      const current = store.conversations.byId(c.id)!;
      const change = transition(current.status, 'reply-sent');
      if (change.changed) store.conversations.setStatus(c.id, change.status, current.resolution, at);
      store.events.record({
        type: 'reply.sent',
        inboxId: c.inboxId,
        conversationId: c.id,
        actorUserId: row.slackUserId,
        data: { outboxId: row.id, kind: row.kind, attempts: row.attempts },
        at,
      });
      deps.timekeeper?.sync(c.id, at);
      return change.changed;
    });
  }

  async function sendOne(row: OutboxRow): Promise<void> {
    if (!store.outbox.claim(row.id)) return;
    const claimed = { ...row, attempts: row.attempts + 1 };
    const c = row.conversationId ? store.conversations.byId(row.conversationId) : undefined;
    const inbox = deps.inboxes.byId(row.inboxId);
    const mail = deps.mail(row.inboxId);
    const log = logger.child({ outbox: row.id, conversation: row.conversationId });
    if (!c || !inbox || !mail) {
      store.outbox.markFailed(row.id, 'conversation or inbox no longer exists');
      return;
    }
    let email: OutgoingEmail;
    try {
      email = await build(claimed, inbox, c);
    } catch (err) {
      const temporary = errorCode(err) === 'slack.file_download' && claimed.attempts < 5;
      const reason = err instanceof AppError ? (err.userMessage ?? err.message) : describeError(err);
      log.warn({ err: describeError(err), temporary }, 'reply could not be built');
      if (temporary) store.outbox.markRetry(row.id, now() + 30_000, reason);
      else store.outbox.markFailed(row.id, reason);
      await fail(claimed, c, reason, { willRetry: temporary });
      return;
    }
    const recipients = [...email.to, ...email.cc, ...email.bcc].map((a) => a.address.toLowerCase());
    const rate = checkRecipientRate({
      recipients,
      sentCounts: store.outbox.recipients.countsSince(recipients, now() - HOUR),
      maxPerHour: deps.maxPerRecipientPerHour,
    });
    if (!rate.ok) {
      const reason = `held: ${rate.overLimit.join(', ')} already got ${deps.maxPerRecipientPerHour} emails from us in the last hour (mail-loop guard)`;
      store.outbox.markFailed(row.id, reason, 'held');
      log.warn({ recipients: rate.overLimit.length }, 'reply held by the per-recipient limit');
      await fail(claimed, c, reason, { willRetry: false, held: true });
      return;
    }

    // A process that lost the writer lease while building the email sends nothing.
    store.fence();
    const result = await mail.sender.send(email);
    if (!result.ok && result.waiting) {
      // The mailbox sign-in is unavailable (said once in the channel): the email waits, ⏳ stays.
      store.outbox.markWaiting(row.id, now() + (deps.signInRetryMs ?? 60_000), result.reason);
      log.warn({ errorCode: result.errorCode }, 'reply waits for the mailbox sign-in');
      if (row.slackChannel && row.slackTs) await feedback.react(row.slackChannel, row.slackTs, 'pending');
      return;
    }
    if (!result.ok) {
      const retry = result.temporary ? nextRetry({ attempts: claimed.attempts, firstAttemptAt: row.sendAt, now: now() }, deps.retryDelaysMs ? { delaysMs: deps.retryDelaysMs } : {}) : null;
      log.warn({ code: result.code, errorCode: result.errorCode, temporary: result.temporary, attempts: claimed.attempts }, 'SMTP send failed');
      if (retry?.retry) store.outbox.markRetry(row.id, retry.at, result.reason);
      else store.outbox.markFailed(row.id, result.reason);
      await fail(claimed, c, result.reason, { willRetry: !!retry?.retry });
      return;
    }

    const statusChanged = recordSent(claimed, c, email, recipients);
    telemetry.replySent(row.inboxId, row.kind, Math.max(0, now() - row.sendAt) / 1000);
    log.info({ attempts: claimed.attempts, rejected: result.rejected.length }, 'reply sent');
    if (row.slackChannel && row.slackTs) {
      await feedback.unreact(row.slackChannel, row.slackTs, 'pending');
      // An earlier failure, or the bounce a resend answers, had put ⚠️ there.
      if (claimed.attempts > 1 || row.resentAt !== null) await feedback.unreact(row.slackChannel, row.slackTs, 'failed');
      await feedback.react(row.slackChannel, row.slackTs, 'sent');
    }
    if (result.rejected.length) await feedback.note(c, { kind: 'send-failed', reason: `the server refused ${result.rejected.join(', ')}`, byUserId: row.slackUserId, willRetry: false });
    if (statusChanged) feedback.refreshParent(c.id);
    // A resend is the copy already in the Sent folder, once more.
    if (mail.fileInSent && row.resentAt === null) {
      const filed = await mail.fileInSent(result.raw);
      if (!filed.ok) log.warn({ err: filed.error }, 'could not file the reply in the Sent folder');
    }
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (const row of store.outbox.due(now())) {
        if (stopped) return;
        try {
          await sendOne(row);
        } catch (err) {
          if (errorCode(err) === 'lease.lost') return;
          logger.error({ outbox: row.id, err: describeError(err) }, 'outbox worker error');
          store.outbox.markRetry(row.id, now() + 60_000, describeError(err));
        }
      }
    } while (again && !stopped);
    schedule();
  }

  function schedule(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    const next = store.outbox.nextDueAt();
    if (next === null) return;
    timer = setTimeout(kick, Math.max(0, Math.min(next - now(), 60_000)));
    timer.unref?.();
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((err: unknown) => {
        // The store itself failed (e.g. locked by another process): everything stays in the
        // outbox, and the next look comes soon.
        logger.error({ err: describeError(err) }, 'outbox worker could not read the store; retrying');
        if (!stopped) {
          timer = setTimeout(kick, 5_000);
          timer.unref?.();
        }
      })
      .finally(() => (running = null));
  }

  return {
    /** Resume after a restart: emails left mid-send are checked, then everything due goes out. */
    async start(): Promise<void> {
      for (const row of store.outbox.inFlight()) {
        const inbox = deps.inboxes.byId(row.inboxId);
        const mail = deps.mail(row.inboxId);
        let delivered = false;
        try {
          // A resend's Message-ID is in the Sent folder from its first sending: it says nothing
          // about the resend, which goes again (a duplicate is better than a reply lost twice).
          delivered = row.resentAt === null && !!(mail?.foundInSent && (await mail.foundInSent(row.messageId)));
        } catch (err) {
          logger.warn({ outbox: row.id, err: describeError(err) }, 'could not check the Sent folder');
        }
        const c = row.conversationId ? store.conversations.byId(row.conversationId) : undefined;
        if (delivered && c && inbox) {
          logger.info({ outbox: row.id }, 'email found in the Sent folder after a restart: not sending it again');
          try {
            const email = await build(row, inbox, c);
            recordSent(row, c, email, [...email.to, ...email.cc, ...email.bcc].map((a) => a.address.toLowerCase()));
          } catch (err) {
            logger.warn({ outbox: row.id, err: describeError(err) }, 'could not rebuild a sent email for the record');
            store.outbox.markSent(row.id, now());
          }
        } else {
          store.outbox.requeue(row.id, now());
        }
      }
      kick();
    },
    /** Something was queued or changed: look again. */
    kick,
    /** An inbox's sign-in works again: send what waited for it. */
    signedIn(inboxId: number): void {
      if (store.outbox.wakeWaiting(inboxId, now()) > 0) kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    /** Tests: resolves when nothing is being sent. */
    idle: () => running ?? Promise.resolve(),
  };
}
export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

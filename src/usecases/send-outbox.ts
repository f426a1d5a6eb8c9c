// The outbox worker: sends every due email once. An email is claimed (status "sending", with
// its Message-ID already recorded) before the SMTP conversation starts and marked sent as soon as
// the server accepts it; temporary failures are retried with backoff, permanent ones reported.
// After a crash, emails left "sending" are checked against the Sent folder by Message-ID, and
// otherwise sent again under the same Message-ID (mail clients treat equal ids as one message).
import type { Logger } from 'pino';
import { noTelemetry, type Telemetry } from '../core/telemetry.ts';
import { checkRecipientRate } from '../core/loop-guard.ts';
import type { Conversation } from '../core/types.ts';
import { AppError, describeError, errorCode } from '../errors.ts';
import { nextRetry } from '../mail/outbound/retry-policy.ts';
import type { OutgoingEmail } from '../mail/outbound/mail-sender.ts';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { OutboxKind, OutboxRow } from '../store/outbox.ts';
import { defaultBuilders, type EmailBuilder } from './outbox-emails.ts';
import { signaturesFor } from './signatures.ts';
import type { ConfiguredInbox, Inboxes } from './inboxes.ts';
import type { Timekeeper } from './time-keeping.ts';
import { reportFailed, reportSent } from './outbox-feedback.ts';
import type { InboxMail, SendFeedback } from './outbox-ports.ts';
import { settleInFlight } from './outbox-recovery.ts';
import { recipientsOf, recordSent } from './sent-email-record.ts';

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

  const fail = (row: OutboxRow, c: Conversation, reason: string, opts: { willRetry: boolean; held?: boolean }) => reportFailed({ store, feedback, telemetry }, row, c, reason, opts);

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
    const recipients = recipientsOf(email);
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

    const statusChanged = recordSent(deps, claimed, c, email, now());
    telemetry.replySent(row.inboxId, row.kind, Math.max(0, now() - row.sendAt) / 1000);
    log.info({ attempts: claimed.attempts, rejected: result.rejected.length }, 'reply sent');
    await reportSent(feedback, claimed, c, { rejected: result.rejected, statusChanged });
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
      await settleInFlight(deps, { now, build });
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

// The mail intake: what happens to each email the IMAP watcher fetches. It is stored (ingestion,
// with automatic assignment), then queued for Slack; a bounce of one of our emails marks that
// email undelivered; a new conversation's assignee is told once its parent is posted. An email
// that can't be stored after several tries is skipped: recorded, the mark moved past it, and
// said in the inbox's channel, so one bad email never holds up the rest.
import type { Logger } from 'pino';
import { noTelemetry, type Telemetry } from '../core/telemetry.ts';
import type { ImapLocation } from '../core/types.ts';
import { describeError } from '../errors.ts';
import type { InboundEmail, ParseEmail } from '../mail/types.ts';
import type { RawEmail } from '../mail/raw.ts';
import type { Store } from '../store/index.ts';
import type { AutoAssigner } from './auto-assign.ts';
import type { ConfiguredInbox, Inboxes } from './inboxes.ts';
import { ingestEmail } from './ingest-email.ts';
import type { Timekeeper } from './time-keeping.ts';
import { markUndelivered, type UndeliveredFeedback } from './undelivered.ts';
import type { EmailFacts, RegexTest } from '../core/rules.ts';
import { routeEmail } from './routing.ts';

/** May a rule of `from` rotate assignment in `target`: a rotation in `from` itself, or any rule moving to `target` (its own rotation applies there)? */
function rotatesIn(from: ConfiguredInbox, target: ConfiguredInbox): boolean {
  const names = [target.inbox.name.toLowerCase(), target.inbox.key];
  return from.config.rules.some((r) =>
    target === from ? !r.then.move && !!r.then.assign && 'rotation' in r.then.assign : !!r.then.move && names.includes(r.then.move.toLowerCase()),
  );
}

export type PostPriority = 'live' | 'backlog';

/** Posting stored emails to Slack (the email poster). */
export interface EmailPosting {
  enqueue(job: { messageRowId: number; priority: PostPriority; email?: InboundEmail; statusChanged?: boolean; reopened?: boolean; woke?: { assigneeUserId: string | null } | null }): void;
}

export interface ReceiveFeedback extends UndeliveredFeedback {
  /** An email was skipped: a line in the inbox's channel (once per `key`). */
  emailSkipped(channelId: string, key: string, skipped: { mailbox: string; uid: number; error: string }): void;
}

export interface ReceivedEmail {
  raw: RawEmail;
  location: ImapLocation;
  /** Announced while watching, as opposed to found when catching up. */
  live: boolean;
}

export interface EmailReceiverOptions {
  store: Store;
  parse: ParseEmail;
  inboxes: Inboxes;
  autoAssigner: Pick<AutoAssigner, 'prepare' | 'pick' | 'announce'>;
  /** SLA clocks and timers (time-keeping.ts). */
  timekeeper?: Pick<Timekeeper, 'sync' | 'retarget'>;
  /** Runs a rule's regex (defaults to a plain test; the configuration only lets safe ones through). */
  regexTest?: RegexTest;
  posting: EmailPosting;
  feedback: ReceiveFeedback;
  logger: Logger;
  telemetry?: Telemetry;
}

export function createEmailReceiver(o: EmailReceiverOptions) {
  const { store, feedback } = o;
  const telemetry = o.telemetry ?? noTelemetry;
  const ingestDeps = {
    store,
    parse: o.parse,
    ourAddresses: o.inboxes.ourAddresses,
    ourDomains: o.inboxes.ourDomains,
    autoAssign: (inboxId: number, rotation?: 'round-robin' | 'least-open') => o.autoAssigner.pick(inboxId, rotation),
    route: (inboxId: number, facts: EmailFacts) => {
      const inbox = o.inboxes.byId(inboxId);
      return inbox?.config.rules.length ? routeEmail({ inbox, all: o.inboxes.all, facts, ...(o.regexTest ? { test: o.regexTest } : {}) }) : null;
    },
    ...(o.timekeeper ? { timekeeper: o.timekeeper } : {}),
    logger: o.logger,
  };
  return {
    /** Stores one email (throws to have it retried), then queues what follows. */
    async deliver(inbox: ConfiguredInbox, m: ReceivedEmail): Promise<void> {
      // Members are needed where assignment may rotate: this inbox, and any a rule moves to.
      await o.autoAssigner.prepare(inbox.inbox.id, rotatesIn(inbox, inbox));
      for (const other of o.inboxes.all) if (other !== inbox && rotatesIn(inbox, other)) await o.autoAssigner.prepare(other.inbox.id, true);
      const identity = { inbox: inbox.inbox, addresses: inbox.addresses, postBulk: inbox.config.postBulk };
      const outcome = await ingestEmail(ingestDeps, { identity, raw: m.raw, location: m.location, live: m.live });
      telemetry.emailReceived(inbox.inbox.id, outcome.status === 'stored' ? outcome.email.kind : 'unknown', outcome.status);
      if (outcome.status !== 'stored') return;
      const priority: PostPriority = m.live ? 'live' : 'backlog';
      if (outcome.undeliveredMessageRowId !== null) void markUndelivered({ store, feedback }, outcome.undeliveredMessageRowId, outcome.email.bounce);
      o.posting.enqueue({
        messageRowId: outcome.messageRowId,
        priority,
        email: outcome.email,
        statusChanged: outcome.statusChanged && !outcome.created,
        reopened: outcome.reopened,
        woke: outcome.woke,
      });
      if (outcome.created) o.autoAssigner.announce(outcome.conversationId, priority, outcome.routing);
    },
    /** An email that could not be stored, however often tried: moved past, recorded and said. */
    async skip(inbox: ConfiguredInbox, m: ReceivedEmail, err: unknown): Promise<void> {
      const { id, channelId } = inbox.inbox;
      const error = describeError(err).slice(0, 300);
      store.transaction(() => {
        store.imapSync.advance(id, m.location.mailbox, m.location.uidValidity, m.location.uid);
        store.events.record({ type: 'email.unreadable', inboxId: id, data: { uid: m.location.uid, mailbox: m.location.mailbox, error } });
      });
      telemetry.emailSkipped(id);
      feedback.emailSkipped(channelId, `skipped:${id}:${m.location.uid}`, { mailbox: m.location.mailbox, uid: m.location.uid, error });
    },
  };
}
export type EmailReceiver = ReturnType<typeof createEmailReceiver>;

// One email read from an inbox's mailbox becomes part of a conversation, exactly once.
// Everything is decided and recorded in one SQLite transaction together with the IMAP
// high-water mark; posting to Slack happens afterwards from the store (see post-email.ts), so a
// crash anywhere either leaves the email unread (it is fetched again) or stored and unposted
// (it is posted on restart, after checking Slack for a post that already happened).
import type { Logger } from 'pino';
import { transition } from '../core/conversation-status.ts';
import { tokenFromMessageIds } from '../core/message-id.ts';
import { findConversation } from '../core/threading.ts';
import type { Conversation, ImapLocation } from '../core/types.ts';
import type { ConfiguredInbox } from './inboxes.ts';
import type { InboundEmail, ParseEmail } from '../mail/types.ts';
import { asRaw, HEAD_BYTES, rawSha256, type RawEmail } from '../mail/raw.ts';
import type { Store } from '../store/index.ts';
import type { Timekeeper } from './time-keeping.ts';
import type { EmailFacts } from '../core/rules.ts';
import { finishRouting, type Routed, type RoutingNote } from './routing.ts';
import { startConversation } from './new-conversation.ts';

/** What ingestion needs of a configured inbox; `postBulk`: post bulk mail and reports that belong to no conversation (never auto-replies or bounces). */
export type InboxIdentity = Pick<ConfiguredInbox, 'inbox' | 'addresses'> & { postBulk: boolean };

export interface IngestDeps {
  store: Store;
  parse: ParseEmail;
  /** Every address of every inbox, lower-cased: mail from these is our own. */
  ourAddresses: ReadonlySet<string>;
  /** Domains of our addresses: a forward from one of them is a teammate's. */
  ourDomains: readonly string[];
  /** Picks an assignee for a new conversation (automatic assignment, or the rotation a rule names), or null. */
  autoAssign?: (inboxId: number, rotation?: 'round-robin' | 'least-open') => string | null;
  /** The inbox's routing rules for a new conversation's first email: the plan, or null. */
  route?: (inboxId: number, facts: EmailFacts) => Routed | null;
  /** Keeps the conversation's SLA clock and timers in line (time-keeping.ts), inside the transaction. */
  timekeeper?: Pick<Timekeeper, 'sync' | 'retarget'>;
  logger: Logger;
}

export interface IngestInput {
  identity: InboxIdentity;
  raw: RawEmail | Buffer;
  location: ImapLocation;
  /** Arrived while watching (ahead of any backlog in the posting queue). */
  live: boolean;
}

export type IngestOutcome =
  | { status: 'duplicate' | 'own' | 'ignored'; reason: string }
  | {
      status: 'stored';
      messageRowId: number;
      conversationId: number;
      created: boolean;
      reopened: boolean;
      /** It was snoozed and the customer's email woke it: its assignee (the thread says so). */
      woke: { assigneeUserId: string | null } | null;
      /** The parent message needs a refresh (status changed). */
      statusChanged: boolean;
      /** A bounce of one of our emails: the store id of that email (now marked undelivered). */
      undeliveredMessageRowId: number | null;
      email: InboundEmail;
      /** What routing rules did to a new conversation, for the thread. */
      routing: RoutingNote | null;
    };

const NOISE_NEVER_OPENS = new Set(['auto-reply', 'bounce']);

async function messageKey(email: InboundEmail, raw: RawEmail): Promise<string> {
  return email.messageId ?? `hash:${await rawSha256(raw)}`;
}

export async function ingestEmail(deps: IngestDeps, input: IngestInput): Promise<IngestOutcome> {
  const { store, logger } = deps;
  const { inbox } = input.identity;
  const { location } = input;
  const advance = () => store.imapSync.advance(inbox.id, location.mailbox, location.uidValidity, location.uid);

  if (store.messages.atLocation(inbox.id, location)) {
    advance();
    return { status: 'duplicate', reason: 'already stored from this IMAP location' };
  }
  const raw = asRaw(input.raw);
  const email = await deps.parse(raw);
  const key = await messageKey(email, raw);
  const log = logger.child({ inbox: inbox.key, uid: location.uid, kind: email.kind });

  const outcome = store.transaction((): IngestOutcome => {
    if (store.messages.receivedIn(inbox.id, key)) {
      advance();
      return { status: 'duplicate', reason: 'Message-ID already received by this inbox' };
    }
    const known = store.messages.byMessageId(key);
    const fromAddress = email.from?.address.toLowerCase() ?? '';
    if (known?.direction === 'out' || tokenFromMessageIds([key], { domains: deps.ourDomains }) || deps.ourAddresses.has(fromAddress)) {
      advance();
      return { status: 'own', reason: 'our own outgoing mail' };
    }

    const match = findConversation(
      { inReplyTo: email.inReplyTo, references: email.references, subject: email.subject, fromAddress },
      {
        conversationOfMessageId: (id) => store.messages.byMessageId(id)?.conversationId,
        conversationOfToken: (t) => store.conversations.byToken(t)?.id,
        contactOfConversation: (n) => {
          const c = store.conversations.byId(n);
          return c?.contactId ? store.contacts.byId(c.contactId)?.email : undefined;
        },
      },
      deps.ourDomains,
    );
    let conversation: Conversation | undefined = match ? store.conversations.byId(match.conversationId) : undefined;
    // A conversation moved to another inbox continues there.
    for (let hops = 0; conversation?.movedToId && hops < 5; hops++) conversation = store.conversations.byId(conversation.movedToId);

    // A bounce about one of our emails: that email's row (a delay warning is not a failure yet).
    let bounceOf: number | null = null;
    if (email.kind === 'bounce' && email.bounce?.originalMessageId) {
      const original = store.messages.byMessageId(email.bounce.originalMessageId);
      if (original?.direction === 'out') {
        bounceOf = original.id;
        conversation ??= store.conversations.byId(original.conversationId);
      }
    }
    const bouncedRowId = bounceOf !== null && !email.bounce?.delayed ? bounceOf : null;

    if (email.kind !== 'human' && !conversation) {
      if (NOISE_NEVER_OPENS.has(email.kind) || !input.identity.postBulk) {
        store.events.record({ type: 'email.ignored', inboxId: inbox.id, data: { kind: email.kind } });
        advance();
        return { status: 'ignored', reason: `${email.kind} that belongs to no conversation` };
      }
    }

    let created = false;
    let reopened = false;
    let woke: { assigneeUserId: string | null } | null = null;
    let statusChanged = false;
    let routed: Routed | null = null;
    let routing: RoutingNote | null = null;
    let startedWith: string | null = null;
    if (!conversation) {
      ({ conversation, routed, routing, startedWith } = startConversation(deps, input.identity, email));
      created = true;
    } else if (email.kind === 'human') {
      const change = transition(conversation.status, 'customer-wrote');
      if (change.changed) store.conversations.setStatus(conversation.id, change.status);
      if (change.reopened) {
        store.events.record({ type: 'conversation.reopened', inboxId: conversation.inboxId, conversationId: conversation.id, data: { reason: 'customer-wrote' } });
        reopened = true;
      }
      if (conversation.status === 'snoozed' && change.changed) {
        store.events.record({ type: 'conversation.woke', inboxId: conversation.inboxId, conversationId: conversation.id, data: { reason: 'customer-wrote', assigneeUserId: conversation.assigneeUserId } });
        woke = { assigneeUserId: conversation.assigneeUserId };
      }
      statusChanged = change.changed;
    }

    const row = store.messages.insert({
      conversationId: conversation.id,
      inboxId: inbox.id,
      direction: 'in',
      messageId: key,
      inReplyTo: email.inReplyTo,
      references: email.references,
      from: email.from ?? { name: '', address: '' },
      to: email.to,
      cc: email.cc,
      replyTo: email.replyTo,
      subject: email.subject,
      kind: email.kind,
      postState: 'pending',
      location,
      bounce: email.bounce ? { reason: email.bounce.reason, status: email.bounce.status, retryable: email.bounce.retryable, of: bounceOf } : null,
    });
    // Search: subject, who wrote and the new text (quoted history would repeat what is indexed).
    const sender = `${email.from?.name ?? ''} ${email.from?.address ?? ''}`.trim();
    if (startedWith !== null) store.search.started(conversation.id, { subject: conversation.subject, senders: `${startedWith} ${startedWith.includes(sender) ? '' : sender}`, text: email.reply || email.text });
    else if (email.kind === 'human') store.search.email(conversation.id, { sender, text: email.reply || email.text });
    // Emails small enough to be held in memory (up to 1 MB, mail/raw.ts) are kept until they are
    // in Slack; big ones are read again from the mailbox if a restart needs them.
    if (raw.bytes && raw.size <= HEAD_BYTES) store.messages.spool.put(row.id, raw.bytes, input.live);
    if (bounceOf !== null && email.bounce) {
      const b = email.bounce;
      if (bouncedRowId !== null) store.messages.setDeliveryState(bouncedRowId, 'undelivered');
      store.events.record({
        type: 'email.bounced',
        inboxId: conversation.inboxId,
        conversationId: conversation.id,
        data: { status: b.status, permanent: b.permanent, recipients: b.recipients, reason: b.reason, retryable: b.retryable, delayed: b.delayed },
      });
    } else if (email.kind === 'human') {
      store.events.record({ type: 'email.received', inboxId: conversation.inboxId, conversationId: conversation.id, data: { messageRowId: row.id } });
    }
    deps.timekeeper?.sync(conversation.id);
    if (routed && routing) finishRouting(store, deps.timekeeper, conversation, routed, routing);
    advance();
    return { status: 'stored', messageRowId: row.id, conversationId: conversation.id, created, reopened, woke, statusChanged, undeliveredMessageRowId: bouncedRowId, email, routing };
  });

  log.info(
    outcome.status === 'stored'
      ? { status: outcome.status, conversation: outcome.conversationId, created: outcome.created, reopened: outcome.reopened }
      : { status: outcome.status, reason: outcome.reason },
    'email ingested',
  );
  return outcome;
}

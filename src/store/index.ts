// The store: every repository over one database handle. Only src/store imports drizzle.
import { createContactRepo } from './contacts.ts';
import { createConversationRepo } from './conversations.ts';
import type { Db } from './db.ts';
import { createEventRepo } from './events.ts';
import { createImapSyncRepo } from './imap-sync.ts';
import { createImapObservationRepo } from './imap-observations.ts';
import { createInboxRepo } from './inboxes.ts';
import { createMailLocationRepo } from './mail-locations.ts';
import { createMessageRepo } from './messages.ts';
import { createMoveRepo } from './moves.ts';
import { createOAuthTokenRepo } from './oauth-tokens.ts';
import { createLeaseRepo, type LeaseToken } from './lease.ts';
import { AppError } from '../errors.ts';
import { createOutboxRepo } from './outbox.ts';
import { createSettingsRepo } from './settings.ts';
import { createTemplateRepo } from './templates.ts';
import { createPendingReplyRepo } from './pending-replies.ts';
import { createSearchRepo } from './search.ts';
import { createSignatureRepo } from './signatures.ts';
import { createTagRepo } from './tags.ts';
import { createTicketRepo } from './tickets.ts';
import { createSlaClockRepo } from './sla-clocks.ts';
import { createTimerRepo } from './timers.ts';

export interface StoreOptions {
  /** MAILROOM_SECRET_KEY: stored sign-in tokens are encrypted with it. */
  secretKey?: string | null;
}

/** Thrown by a fenced write of a process that no longer holds the writer lease. */
export class LeaseLost extends AppError {
  constructor() {
    super('lease.lost', 'this process no longer holds the database lease: another Mailroom writes now');
    this.name = 'LeaseLost';
  }
}

export function createStore(db: Db, o: StoreOptions = {}) {
  const lease = createLeaseRepo(db);
  let held: LeaseToken | null = null;
  /** Every posting, sending and IMAP-mark write runs this in its transaction (once a lease is held). */
  const fence = () => {
    if (held && !lease.holds(held, Date.now())) throw new LeaseLost();
  };
  return {
    lease,
    /** From now on the fenced writes check this lease (null: unfenced, as tools and tests run). */
    holdLease(token: LeaseToken | null): void {
      held = token;
    },
    fence,
    inboxes: createInboxRepo(db),
    imapSync: createImapSyncRepo(db, { fence }),
    imapObserved: createImapObservationRepo(db),
    contacts: createContactRepo(db),
    conversations: createConversationRepo(db),
    messages: createMessageRepo(db),
    events: createEventRepo(db),
    outbox: createOutboxRepo(db, { fence }),
    settings: createSettingsRepo(db),
    templates: createTemplateRepo(db),
    tickets: createTicketRepo(db),
    tags: createTagRepo(db),
    search: createSearchRepo(db),
    signatures: createSignatureRepo(db),
    moves: createMoveRepo(db),
    pendingReplies: createPendingReplyRepo(db),
    mailLocations: createMailLocationRepo(db),
    slaClocks: createSlaClockRepo(db),
    timers: createTimerRepo(db, { fence }),
    oauthTokens: createOAuthTokenRepo({ db, secretKey: o.secretKey ?? null }),
    /** Run `fn` in one SQLite transaction (synchronous, as better-sqlite3 is). */
    transaction<T>(fn: () => T): T {
      return db.$client.transaction(fn)();
    },
  };
}
export type Store = ReturnType<typeof createStore>;
export { openDb, closeDb, type Db } from './db.ts';

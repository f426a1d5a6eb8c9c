// Where a received email sits in its mailbox. The raw message is not kept once it is in Slack;
// forwarding it or showing it whole fetches it again from IMAP by this location.
import { eq } from 'drizzle-orm';
import type { ImapLocation } from '../core/types.ts';
import type { Db } from './db.ts';
import { messages } from './schema.ts';

export function createMailLocationRepo(db: Db) {
  return {
    /** The inbox whose mailbox holds the email, and where; null for our own emails. */
    of(messageRowId: number): { inboxId: number; location: ImapLocation } | null {
      const r = db
        .select({ inboxId: messages.inboxId, mailbox: messages.imapMailbox, uidValidity: messages.imapUidValidity, uid: messages.imapUid })
        .from(messages)
        .where(eq(messages.id, messageRowId))
        .get();
      if (!r || r.mailbox === null || r.uidValidity === null || r.uid === null) return null;
      return { inboxId: r.inboxId, location: { mailbox: r.mailbox, uidValidity: r.uidValidity, uid: r.uid } };
    },
  };
}
export type MailLocationRepo = ReturnType<typeof createMailLocationRepo>;

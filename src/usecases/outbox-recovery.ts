// After a restart, the emails the outbox worker left "sending" (claimed, maybe accepted by the
// server before the crash): one found in the Sent folder by its Message-ID is recorded as sent,
// every other one goes back in the queue to be sent again under the same Message-ID.
import { describeError } from '../errors.ts';
import type { Conversation } from '../core/types.ts';
import type { OutgoingEmail } from '../mail/outbound/mail-sender.ts';
import type { OutboxRow } from '../store/outbox.ts';
import type { ConfiguredInbox } from './inboxes.ts';
import type { OutboxDeps } from './send-outbox.ts';
import { recordSent } from './sent-email-record.ts';

export async function settleInFlight(
  deps: Pick<OutboxDeps, 'store' | 'inboxes' | 'mail' | 'logger' | 'timekeeper'>,
  o: { now: () => number; build: (row: OutboxRow, inbox: ConfiguredInbox, c: Conversation) => Promise<OutgoingEmail> },
): Promise<void> {
  const { store, logger } = deps;
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
        const email = await o.build(row, inbox, c);
        recordSent(deps, row, c, email, o.now());
      } catch (err) {
        logger.warn({ outbox: row.id, err: describeError(err) }, 'could not rebuild a sent email for the record');
        store.outbox.markSent(row.id, o.now());
      }
    } else {
      store.outbox.requeue(row.id, o.now());
    }
  }
}

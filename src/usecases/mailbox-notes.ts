// What an inbox's IMAP watcher reports, and who hears it. The team: one line in the inbox's channel
// once its IMAP sessions have kept failing for a while (how long, how many, the last reason; mail
// waits in the mailbox meanwhile), and one when it works again. Doctor, later: what the server
// turned out to do (IDLE that pushes or not, renumbering) and whether sessions are failing now,
// kept in the store.
import type { ImapObservation } from '../mail/inbound/imap-watcher.ts';
import type { ImapHealth } from '../mail/inbound/reconnect.ts';
import type { MailboxLineVM } from '../slack/ui/blocks/mailbox-line.ts';
import { observedServer } from '../store/imap-observations.ts';
import type { Store } from '../store/index.ts';
import type { ConfiguredInbox } from './inboxes.ts';

export interface MailboxFeedback {
  mailbox(channelId: string, key: string, vm: MailboxLineVM): void;
}

export function createMailboxReports(o: { store: Pick<Store, 'imapObserved'>; feedback: MailboxFeedback; now?: () => number }) {
  const now = o.now ?? Date.now;
  let notes = 0;
  /** The watcher's report callbacks for one inbox. */
  return function reportsOf(c: ConfiguredInbox) {
    const { inbox, config } = c;
    const server = observedServer(config.imap);
    const who = { inboxName: config.name, address: config.address, host: config.imap.host };
    return {
      onObservation: (what: ImapObservation) => o.store.imapObserved.count(inbox.key, server, what),
      onStatus: (h: ImapHealth) =>
        o.store.imapObserved.setFailing(inbox.key, server, h.failingSince === null ? null : { failures: h.failures, since: h.failingSince, lastError: h.lastError }),
      onHealth: (event: 'failing' | 'recovered', h: ImapHealth) => {
        const key = `imap:${inbox.id}:${++notes}`;
        if (event === 'recovered') return o.feedback.mailbox(inbox.channelId, key, { kind: 'restored', ...who });
        const minutes = Math.max(1, Math.round((now() - (h.failingSince ?? now())) / 60_000));
        o.feedback.mailbox(inbox.channelId, key, { kind: 'failing', ...who, failures: h.failures, minutes, lastError: h.lastError });
      },
    };
  };
}

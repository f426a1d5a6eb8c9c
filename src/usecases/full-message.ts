// "Show full message": the whole text of one received email (quoted history and signature
// included), read again from the mailbox since Mailroom keeps no copy once it is in Slack.
import type { StoredMessage } from '../core/types.ts';
import type { InboundEmail } from '../mail/types.ts';
import type { FullMessageVM } from '../slack/views/full-message.ts';
import type { Store } from '../store/index.ts';
import { emailToForward } from './forward.ts';

export interface FullMessageDeps {
  store: Store;
  fetchRaw: (message: StoredMessage) => Promise<Buffer | null>;
  parse: (raw: Buffer) => Promise<InboundEmail>;
}

export const NOT_AVAILABLE = '_The original email could not be fetched from the mailbox, so its full text can’t be shown._';

/** The modal's view-model for the chosen email (or the latest received one); null without any. */
export async function fullMessageView(deps: FullMessageDeps, conversationId: number, messageRowId?: number | null): Promise<FullMessageVM | null> {
  const m = emailToForward(deps.store, conversationId, messageRowId);
  if (!m) return null;
  const raw = deps.store.messages.spool.get(m.id)?.raw ?? (await deps.fetchRaw(m));
  const email = raw ? await deps.parse(raw) : null;
  return {
    conversationNumber: conversationId,
    from: email?.from ?? m.from,
    to: email?.to ?? m.to,
    cc: email?.cc ?? m.cc,
    subject: email?.subject ?? m.subject,
    date: email?.date?.getTime() ?? m.receivedAt,
    bodyMrkdwn: email ? email.textMrkdwn : NOT_AVAILABLE,
  };
}

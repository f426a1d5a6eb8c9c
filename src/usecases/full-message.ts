// "Show full message": the whole text of one received email (quoted history and signature
// included), read again from the mailbox since Mailroom keeps no copy once it is in Slack.
import type { WithRaw } from '../mail/raw.ts';
import type { ParseEmail } from '../mail/types.ts';
import type { FullMessageVM } from '../slack/ui/views/full-message.view.ts';
import type { Store } from '../store/index.ts';
import { emailToForward } from './forward-conversation.ts';

export interface FullMessageDeps {
  store: Store;
  withRaw: WithRaw;
  parse: ParseEmail;
}

export const NOT_AVAILABLE = '_The original email could not be fetched from the mailbox, so its full text can’t be shown._';

/** The modal's view-model for the chosen email (or the latest received one); null without any. */
export async function fullMessageView(deps: FullMessageDeps, conversationId: number, messageRowId?: number | null): Promise<FullMessageVM | null> {
  const m = emailToForward(deps.store, conversationId, messageRowId);
  if (!m) return null;
  const email = await deps.withRaw(m, (raw) => deps.parse(raw));
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

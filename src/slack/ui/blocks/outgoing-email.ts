// An email written in a modal, as its thread shows it: "Sent by @ana from support@…, To, CC,
// BCC" and the text (already in Slack's stored-text form: see usecases/outgoing-email.ts).
import type { KnownBlock } from '@slack/types';
import { defuseBroadcasts } from '../../../core/slack-text.ts';
import type { Address, SharedFile } from '../../../core/types.ts';
import { emailMessage } from './email-message.ts';

export interface OutgoingEmailVM {
  from: Address;
  to: readonly Address[];
  cc: readonly Address[];
  bcc: readonly Address[];
  subject: string;
  conversationSubject: string;
  /** In Slack's stored-text form (slackStoredText). */
  text: string;
  files: readonly SharedFile[];
  userId: string;
  date: number;
}

export function outgoingEmailView(vm: OutgoingEmailVM): { text: string; blocks: KnownBlock[] } {
  const m = emailMessage({
    direction: 'out',
    kind: 'human',
    from: vm.from,
    to: vm.to,
    cc: vm.cc,
    bcc: vm.bcc,
    subject: vm.subject,
    conversationSubject: vm.conversationSubject,
    date: vm.date,
    // Already escaped; bare @here and friends are defused for Slack only.
    bodyMrkdwn: defuseBroadcasts(vm.text),
    attachments: vm.files.map((f) => ({ filename: f.name, size: f.size })),
    sentByUserId: vm.userId,
  });
  return { text: m.text, blocks: m.blocks };
}

// An email written in a modal, as its thread shows it: "Sent by @ana from support@…, To, CC,
// BCC" and the text. What the teammate typed is plain text; Slack stores message text with only
// & < > escaped, and the outbox reads payload text in that form (as it does thread replies), so
// the text is escaped once here and used for both.
import type { KnownBlock } from '@slack/types';
import { defuseBroadcasts } from '../core/slack-text.ts';
import type { Conversation } from '../core/types.ts';
import type { Address } from '../core/types.ts';
import { emailMessage } from '../slack/ui/blocks/email-message.ts';
import type { SharedFile } from '../core/types.ts';

/** Posts a message in a conversation's thread; resolves with its ts. */
export type ThreadPoster = (p: { conversation: Conversation; threadTs: string; message: { text: string; blocks: KnownBlock[] }; outboxId: number }) => Promise<string>;

/** Plain text typed in a modal → Slack's stored-text form (`a < b` → `a &lt; b`). */
export function slackStoredText(plain: string): string {
  return plain.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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

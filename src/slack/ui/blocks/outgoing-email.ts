// An email written in a modal, as its thread shows it: "Sent by @ana from support@…, To, CC,
// BCC" and the text (already in Slack's stored-text form: see usecases/outgoing-email.ts).
import type { KnownBlock } from '@slack/types';
import { defuseBroadcasts } from '../../../core/slack-text.ts';
import type { Address, SharedFile } from '../../../core/types.ts';
import { Actions, Blocks } from '../ids.ts';
import { emailMessage } from './email-message.ts';
import { md, plain, slackDate, Limits } from './text.ts';

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
  /** Scheduled ("Send at"): when, and the outbox row the Cancel button names. */
  schedule?: { at: number; outboxId: number } | null;
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
  return { text: m.text, blocks: vm.schedule ? [...m.blocks, ...scheduledBlocks(vm.schedule)] : m.blocks };
}

/** "⏳ Scheduled for …" and its Cancel button, under a scheduled email (removed once it went or was cancelled). */
export function scheduledBlocks(s: { at: number; outboxId: number }): KnownBlock[] {
  return [
    { type: 'context', block_id: Blocks.scheduled, elements: [md(`:hourglass_flowing_sand: Scheduled for ${slackDate(s.at, '{date_short_pretty} at {time}')}`)] },
    {
      type: 'actions',
      block_id: Blocks.scheduledActions,
      elements: [{ type: 'button', action_id: Actions.cancelScheduled, text: plain('Cancel', Limits.buttonText), value: String(s.outboxId), confirm: {
        title: plain('Cancel this email?', Limits.modalTitle),
        text: plain('It will not be sent.', 300),
        confirm: plain('Cancel it', Limits.buttonText),
        deny: plain('Keep it', Limits.buttonText),
      } }],
    },
  ];
}

/** What replaces those blocks once the email went, or was cancelled (the rest of the message stays). */
export function settledScheduleLine(how: { sent: true } | { cancelledBy: string | null }): KnownBlock {
  const text = 'sent' in how ? ':outbox_tray: Sent at its scheduled time.' : `:no_entry_sign: Cancelled${how.cancelledBy && /^[UW][A-Z0-9]{2,}$/.test(how.cancelledBy) ? ` by <@${how.cancelledBy}>` : ''}: not sent.`;
  return { type: 'context', block_id: Blocks.scheduled, elements: [md(text)] };
}

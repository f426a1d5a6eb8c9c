// The ports the outbox worker (send-outbox.ts) works through: an inbox's mail side (its sender and
// Sent folder, mail/outbound/inbox-mail.ts) and what it tells Slack (slack/outbound/feedback.ts).
import type { Conversation } from '../core/types.ts';
import type { MailSender } from '../mail/outbound/mail-sender.ts';
import type { NoteVM } from '../slack/ui/blocks/note-message.ts';

/** An inbox's mail side, as the worker sends through it (mail/outbound/inbox-mail.ts). */
export interface InboxMail {
  sender: MailSender;
  /** Append a copy to the Sent folder (null when the provider files sent mail itself); says how it went. */
  fileInSent: ((raw: Buffer) => Promise<{ ok: true } | { ok: false; error: string }>) | null;
  /** Is an email with this Message-ID already in the Sent folder? (after a crash mid-send) */
  foundInSent: ((messageId: string) => Promise<boolean>) | null;
}

/** How a teammate's email is doing: waiting (undo window, retry, sign-in), accepted by the server, or not. */
export type ReplyMark = 'pending' | 'sent' | 'failed';

/** What the worker tells Slack. Implemented by the Slack side; every call is best effort. */
export interface SendFeedback {
  /** Marks a teammate's message with how its email is doing (Slack shows a reaction). */
  react(channel: string, ts: string, mark: ReplyMark): Promise<void>;
  unreact(channel: string, ts: string, mark: ReplyMark): Promise<void>;
  note(conversation: Conversation, note: NoteVM): Promise<void>;
  refreshParent(conversationId: number): void;
}

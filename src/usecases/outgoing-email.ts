// An email written in a modal, posted in its thread by the Slack side. What the teammate typed is plain text; Slack stores message text with only
// & < > escaped, and the outbox reads payload text in that form (as it does thread replies), so
// the text is escaped once here and used for both.
import type { Conversation } from '../core/types.ts';
import type { OutgoingEmailVM } from '../slack/ui/blocks/outgoing-email.ts';

/** Posts an email written in a modal in its conversation's thread (the Slack side shows it); resolves with its ts. */
export type ThreadPoster = (p: { conversation: Conversation; threadTs: string; email: OutgoingEmailVM; outboxId: number }) => Promise<string>;

/** Plain text typed in a modal → Slack's stored-text form (`a < b` → `a &lt; b`). */
export function slackStoredText(plain: string): string {
  return plain.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

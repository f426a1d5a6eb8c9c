// An email's own message in its conversation's thread: rendered (a bounce as a note in plain
// words), posted under the sender's name, or found by its metadata after a restart. And the one
// way the email poster posts: when Slack refuses the content itself, the plain version instead.
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Conversation, StoredMessage } from '../../core/types.ts';
import type { InboundEmail } from '../../mail/types.ts';
import type { Store } from '../../store/index.ts';
import { bounceNoteVM } from '../../usecases/bounce-view.ts';
import { bounceNote } from '../ui/blocks/bounce-note.ts';
import { emailMessage, type EmailMessage } from '../ui/blocks/email-message.ts';
import { emailMetadata } from '../ui/blocks/metadata.ts';
import { findThreadPost } from './find-posts.ts';
import type { Lane } from './post-queue.ts';
import { laneCall, noUnfurl, slackErrorCode } from './web.ts';

/** Emails over this size are cut in Slack, with the full message attached (PRODUCT "Inbound" 6). */
export const OVERSIZE_BYTES = 100 * 1024;

/** Slack errors about the content itself: the same message would be refused forever. */
const REFUSED_CONTENT = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'invalid_attachments', 'too_many_attachments']);

/**
 * Post, and if Slack refuses the content itself (blocks it won't render, a message too long —
 * an email we rendered badly), post the plain fallback instead of retrying forever and holding
 * up the channel.
 */
export async function postOrPlain(deps: { web: WebClient; logger: Logger }, lane: Lane, args: ChatPostMessageArguments, plain: ChatPostMessageArguments): Promise<{ ts: string; plain: boolean }> {
  try {
    return { ts: (await laneCall(lane, () => deps.web.chat.postMessage(args))).ts!, plain: false };
  } catch (err) {
    const code = slackErrorCode(err);
    if (!code || !REFUSED_CONTENT.has(code)) throw err;
    deps.logger.warn({ channel: args.channel, code }, 'Slack refused a message; posting its plain version');
    return { ts: (await laneCall(lane, () => deps.web.chat.postMessage(plain))).ts!, plain: true };
  }
}

export function renderEmail(store: Store, c: Conversation, row: StoredMessage, email: InboundEmail | null): EmailMessage {
  // A bounce is told as a note in plain words (and may offer "Send again"), not shown as an email.
  if (row.kind === 'bounce') return { ...bounceNote(bounceNoteVM(store, row, email)), truncated: false };
  const body = email ? (email.replyMrkdwn.trim() ? email.replyMrkdwn : email.textMrkdwn) : '_(the original message could no longer be read)_';
  return emailMessage({
    direction: 'in',
    kind: row.kind,
    from: row.from,
    to: row.to,
    cc: row.cc,
    subject: row.subject,
    conversationSubject: c.subject,
    date: email?.date?.getTime() ?? row.receivedAt,
    bodyMrkdwn: body,
    quotedHidden: !!email && email.replyMrkdwn.trim() !== '' && email.reply.trim() !== email.text.trim(),
    oversize: (email?.size ?? 0) > OVERSIZE_BYTES,
    attachments: email?.attachments.map((a) => ({ filename: a.filename, size: a.size, inline: a.inline })) ?? [],
  });
}

/** The email's thread message; `plain` when Slack refused the rendering (the full message is then attached). */
export async function postThreadMessage(
  deps: { web: WebClient; logger: Logger; installId: string },
  lane: Lane,
  o: { c: Conversation; parentTs: string; row: StoredMessage; msg: EmailMessage; reconcile: boolean },
): Promise<{ ts: string; plain: boolean }> {
  const { c, parentTs, row, msg, reconcile } = o;
  const { web, installId } = deps;
  const found = reconcile
    ? await laneCall(lane, () => findThreadPost(web, c.channelId, parentTs, (m) => m.eventType === 'mailroom_email' && m.messageRowId === row.id && m.installId === installId), false)
    : null;
  if (found) return { ts: found, plain: false };
  const common = {
    channel: c.channelId,
    thread_ts: parentTs,
    metadata: emailMetadata({ conversationId: c.id, messageRowId: row.id, installId }),
    ...(msg.username ? { username: msg.username, icon_emoji: ':envelope_with_arrow:' } : {}),
    ...noUnfurl,
  };
  return postOrPlain(deps, lane, { ...common, text: msg.text, blocks: msg.blocks }, { ...common, text: `${msg.text}\n_(This email could not be shown here in full: it is attached as a file.)_` });
}

// A Slack message as events and conversations.history / replies carry it: the fields Mailroom
// reads (events add `channel`; edits and deletes carry the message before and after), and what
// it means for the reply use case: a person's message in a thread, or nothing.
import type { ThreadMessage } from '../../usecases/queue-reply.ts';
import { fileRefs } from './files.ts';

export interface SlackMessage {
  type?: string;
  subtype?: string;
  channel?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: unknown[];
  message?: SlackMessage;
  previous_message?: SlackMessage;
  deleted_ts?: string;
}

/** Subtypes of messages people write (a plain message, one with files, one also sent to the channel). */
const USER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/** A person's message in a thread of `channel`, or null (a parent, a bot, a system message). */
export function threadMessageOf(m: SlackMessage, channel: string): ThreadMessage | null {
  if (!m.thread_ts || m.thread_ts === m.ts || m.bot_id || !m.user || !m.ts || !USER_SUBTYPES.has(m.subtype)) return null;
  return { channel, threadTs: m.thread_ts, ts: m.ts, userId: m.user, text: m.text ?? '', files: fileRefs(m.files) };
}

/** Whether an event's message is one a person wrote (new), as opposed to an edit, a delete or a system line. */
export const isPersonMessage = (m: SlackMessage) => USER_SUBTYPES.has(m.subtype);

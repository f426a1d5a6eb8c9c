// How the rest of the app tells Slack what happened: reactions on a teammate's message, system
// notes in a conversation's thread, a line in an inbox channel. Notes and lines go through the
// channel's posting queue (paced, retried); reactions are best effort.
import type { WebClient } from '@slack/web-api';
import type { Conversation } from '../../core/types.ts';
import type { KnownBlock } from '@slack/types';
import { noteMetadata } from '../ui/blocks/metadata.ts';
import { md } from '../ui/blocks/text.ts';
import { MetadataEvents } from '../ui/ids.ts';
import { noteMessage, type NoteVM } from '../ui/blocks/note-message.ts';
import { undeliveredLine } from '../ui/blocks/bounce-note.ts';
import { signInLine, type SignInLineVM } from '../ui/blocks/sign-in-line.ts';
import { mailboxLine, type MailboxLineVM } from '../ui/blocks/mailbox-line.ts';
import { escapeMrkdwn } from '../../core/slack-text.ts';
import type { ReplyMark } from '../../usecases/outbox-ports.ts';
import type { UndeliveredBounce } from '../../usecases/undelivered.ts';
import type { PostQueue } from './post-queue.ts';
import { laneCall, noUnfurl } from './web.ts';


/** The reaction that shows each state of a teammate's email on their message. */
export const REPLY_REACTIONS: Record<ReplyMark, string> = { pending: 'hourglass_flowing_sand', sent: 'white_check_mark', failed: 'warning' };

export interface SlackFeedbackOptions {
  web: WebClient;
  queue: PostQueue;
}

export function createSlackFeedback({ web, queue }: SlackFeedbackOptions) {
  let n = 0;
  /** A line in a channel (already Slack-safe mrkdwn), through the channel's posting queue. */
  const channelLine = (channel: string, key: string, text: string): void => {
    queue.enqueue(channel, { key, run: (lane) => laneCall(lane, () => web.chat.postMessage({ channel, text, ...noUnfurl })).then(() => undefined) });
  };
  const react = (channel: string, ts: string, mark: ReplyMark): Promise<void> =>
    web.reactions.add({ channel, timestamp: ts, name: REPLY_REACTIONS[mark] }).then(() => undefined, () => undefined);
  const unreact = (channel: string, ts: string, mark: ReplyMark): Promise<void> =>
    web.reactions.remove({ channel, timestamp: ts, name: REPLY_REACTIONS[mark] }).then(() => undefined, () => undefined);
  const feedback = {
    react,
    unreact,
    /** ⏳ on a reply waiting out its undo window, or off when it is taken back. */
    pending: (channel: string, ts: string, on: boolean): Promise<void> => (on ? react(channel, ts, 'pending') : unreact(channel, ts, 'pending')),
    /** A private line to someone in a channel (or one of its threads). */
    async tell(to: { channel: string; userId: string; threadTs?: string | undefined }, text: string): Promise<void> {
      await web.chat.postEphemeral({ channel: to.channel, user: to.userId, text, ...(to.threadTs ? { thread_ts: to.threadTs } : {}) });
    },
    /** A system note in the conversation's thread (once the conversation is in Slack). */
    async note(c: Conversation, note: NoteVM): Promise<void> {
      if (!c.slackTs) return;
      const threadTs = c.slackTs;
      queue.enqueue(c.channelId, {
        key: `note:${c.id}:${++n}`,
        run: (lane) =>
          laneCall(lane, () => web.chat.postMessage({ channel: c.channelId, thread_ts: threadTs, ...noteMessage(note), metadata: noteMetadata({ conversationId: c.id }), ...noUnfurl })).then(
            () => undefined,
          ),
      });
    },
    /**
     * A context line (Slack-safe mrkdwn) added under one of our own messages in a thread, e.g. why
     * an email it shows bounced. Slack lets an app edit only what it posted: a teammate's own
     * message is left alone (its ⚠️ reaction says it). Best effort.
     */
    async annotateUndelivered(channel: string, threadTs: string, ts: string, bounce: UndeliveredBounce): Promise<void> {
      const line = undeliveredLine(bounce);
      try {
        const res = await web.conversations.replies({ channel, ts: threadTs, oldest: ts, latest: ts, inclusive: true, include_all_metadata: true, limit: 2 });
        const m = res.messages?.find((x) => x.ts === ts);
        const ours = (m?.metadata as { event_type?: string } | undefined)?.event_type === MetadataEvents.email;
        if (!m || !ours || !m.blocks || JSON.stringify(m.blocks).includes(JSON.stringify(line).slice(1, -1))) return;
        const blocks = [...(m.blocks as KnownBlock[]), { type: 'context', elements: [md(line)] } satisfies KnownBlock];
        await web.chat.update({ channel, ts, text: m.text ?? '', blocks });
      } catch {
        // Not ours, gone, or Slack unreachable: the reaction and the thread note still say it.
      }
    },
    /** An email that could not be read was skipped (receive-email.ts). */
    emailSkipped(channel: string, key: string, s: { mailbox: string; uid: number; error: string }): void {
      channelLine(channel, key, `:warning: An email could not be read and was skipped (${escapeMrkdwn(s.mailbox)}, UID ${s.uid}): ${escapeMrkdwn(s.error)}. It is still in the mailbox.`);
    },
    /** The inbox's mailbox sign-in stopped working, or works again (sign-in-notes.ts). */
    signIn(channel: string, key: string, vm: SignInLineVM): void {
      channelLine(channel, key, signInLine(vm));
    },
    /** The inbox's IMAP connection keeps failing, or works again (mailbox-notes.ts). */
    mailbox(channel: string, key: string, vm: MailboxLineVM): void {
      channelLine(channel, key, mailboxLine(vm));
    },
  };
  return feedback;
}
export type SlackFeedback = ReturnType<typeof createSlackFeedback>;

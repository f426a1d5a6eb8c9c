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
import type { PostQueue } from './post-queue.ts';
import { laneCall } from './web.ts';

const noUnfurl = { unfurl_links: false, unfurl_media: false } as const;

export function createSlackFeedback(web: WebClient, queue: PostQueue, refreshParent: (conversationId: number) => void) {
  let n = 0;
  return {
    react: (channel: string, ts: string, name: string): Promise<void> =>
      web.reactions.add({ channel, timestamp: ts, name }).then(() => undefined, () => undefined),
    unreact: (channel: string, ts: string, name: string): Promise<void> =>
      web.reactions.remove({ channel, timestamp: ts, name }).then(() => undefined, () => undefined),
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
    async annotate(channel: string, threadTs: string, ts: string, line: string): Promise<void> {
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
    /** A line in a channel (already Slack-safe mrkdwn), e.g. an email that had to be skipped. */
    channelLine(channel: string, key: string, text: string): void {
      queue.enqueue(channel, { key, run: (lane) => laneCall(lane, () => web.chat.postMessage({ channel, text, ...noUnfurl })).then(() => undefined) });
    },
    refreshParent,
  };
}
export type SlackFeedback = ReturnType<typeof createSlackFeedback>;

// Reading conversations' threads back from Slack (conversations.replies) for the reply catch-up
// after a restart: people's messages since a time, and one message as it is now.
import type { WebClient } from '@slack/web-api';
import type { ThreadMessageNow, ThreadReader } from '../../usecases/catch-up-replies.ts';
import type { ThreadMessage } from '../../usecases/queue-reply.ts';
import { fileRefs } from './files.ts';
import { threadMessageOf, type SlackMessage } from './message.ts';

/** Slack's ts for a time in ms. */
const slackTs = (ms: number) => (ms / 1000).toFixed(6);

export function createThreadReader({ web }: { web: WebClient }): ThreadReader {
  return {
    async *replies(channel: string, threadTs: string, sinceMs: number, signal?: AbortSignal): AsyncIterable<ThreadMessage> {
      let cursor: string | undefined;
      do {
        const res = await web.conversations.replies({ channel, ts: threadTs, oldest: slackTs(sinceMs), limit: 200, ...(cursor ? { cursor } : {}) });
        for (const raw of (res.messages ?? []) as SlackMessage[]) {
          if (!raw.ts || raw.ts === threadTs || Number(raw.ts) * 1000 < sinceMs) continue;
          const m = threadMessageOf({ ...raw, thread_ts: raw.thread_ts ?? threadTs }, channel);
          if (m) yield m;
        }
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor && !signal?.aborted);
    },
    async message(channel: string, threadTs: string, ts: string): Promise<ThreadMessageNow | null> {
      const res = await web.conversations.replies({ channel, ts: threadTs, oldest: ts, inclusive: true, limit: 5 });
      const m = ((res.messages ?? []) as SlackMessage[]).find((x) => x.ts === ts);
      if (!m) return null;
      return { ts, text: m.text ?? '', files: m.files ? fileRefs(m.files) : null, byBot: !!m.bot_id };
    },
  };
}

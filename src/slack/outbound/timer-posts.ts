// What timers say in Slack (usecases/timer-firing.ts's port): thread notes and DMs tagged with
// the event they show, through the posting queue, resolving once Slack has them. A retry, or a
// timer finished after a restart, first looks for its post by that tag, so none is said twice.
// A scheduled email's thread message loses its Cancel button once it went or was cancelled.
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Conversation } from '../../core/types.ts';
import type { Store } from '../../store/index.ts';
import type { TimerSlack } from '../../usecases/timer-firing.ts';
import { dueDm } from '../ui/blocks/due-dm.ts';
import { noteMetadata } from '../ui/blocks/metadata.ts';
import { noteMessage } from '../ui/blocks/note-message.ts';
import { settledScheduleLine } from '../ui/blocks/outgoing-email.ts';
import { Blocks, MetadataEvents } from '../ui/ids.ts';
import { findChannelPost, findThreadPost } from './find-posts.ts';
import type { Lane, PostQueue } from './post-queue.ts';
import { laneCall, noUnfurl } from './web.ts';

/** How far back a DM is looked for after a restart. */
const DM_LOOKBACK_MS = 7 * 86_400_000;

export interface TimerPostsOptions {
  web: WebClient;
  queue: PostQueue;
  store: Store;
  refreshParent: (conversationId: number) => void;
}

export function createTimerPosts({ web, queue, store, refreshParent }: TimerPostsOptions): TimerSlack {
  /** Runs `job` in the channel's lane; the first attempt trusts `reconcile`, every retry looks first. */
  const inLane = (lane: string, key: string, reconcile: boolean, job: (lane: Lane, look: boolean) => Promise<void>) =>
    new Promise<void>((resolve) => {
      let attempt = 0;
      queue.enqueue(lane, { key, run: async (l) => resolve(await job(l, reconcile || attempt++ > 0)) }, 'live');
    });

  const tagged = (eventId: number) => (m: { eventType: string; eventId?: number }) => m.eventType === MetadataEvents.note && m.eventId === eventId;

  return {
    note(c: Conversation, note, o) {
      if (!c.slackTs) return Promise.resolve();
      const threadTs = c.slackTs;
      return inLane(c.channelId, `timer-note:${o.eventId}`, o.reconcile, async (lane, look) => {
        if (look && (await laneCall(lane, () => findThreadPost(web, c.channelId, threadTs, tagged(o.eventId)), false))) return;
        await laneCall(lane, () => web.chat.postMessage({ channel: c.channelId, thread_ts: threadTs, ...noteMessage(note), metadata: noteMetadata({ conversationId: c.id, eventId: o.eventId }), ...noUnfurl }));
      });
    },
    dm(userId, vm, o) {
      return inLane(`dm:${userId}`, `timer-dm:${o.eventId}`, o.reconcile, async (lane, look) => {
        const opened = await laneCall(lane, () => web.conversations.open({ users: userId }), false);
        const channel = opened.channel?.id;
        if (!channel) return;
        if (look && (await laneCall(lane, () => findChannelPost(web, channel, Date.now() - DM_LOOKBACK_MS, tagged(o.eventId)), false))) return;
        await laneCall(lane, () => web.chat.postMessage({ channel, ...dueDm(vm), metadata: noteMetadata({ conversationId: o.conversationId, eventId: o.eventId }), ...noUnfurl }));
      });
    },
    refreshParent,
    scheduledSettled(outboxId, how) {
      const row = store.outbox.byId(outboxId);
      const c = row?.conversationId ? store.conversations.byId(row.conversationId) : undefined;
      if (!row?.slackChannel || !row.slackTs || !c?.slackTs) return Promise.resolve();
      const { slackChannel: channel, slackTs: ts } = row;
      const threadTs = c.slackTs;
      return inLane(channel, `scheduled:${outboxId}`, false, async (lane) => {
        const res = await laneCall(lane, () => web.conversations.replies({ channel, ts: threadTs, oldest: ts, latest: ts, inclusive: true, limit: 2 }), false);
        const m = res.messages?.find((x) => x.ts === ts);
        if (!m?.blocks) return;
        const kept = (m.blocks as KnownBlock[]).filter((b) => b.block_id !== Blocks.scheduled && b.block_id !== Blocks.scheduledActions);
        await laneCall(lane, () => web.chat.update({ channel, ts, text: m.text ?? '', blocks: [...kept, settledScheduleLine(how)] }), false);
      });
    },
  };
}

// Messages in an inbox channel's threads, translated for the reply use case: a new message, an
// edit, a delete (which also cancels a scheduled email whose message it was). Slack redelivers events: every event id is handled once.
import { describeError } from '../../../../errors.ts';
import { whileBusy } from '../../../../store/busy.ts';
import { receiveThreadDelete, receiveThreadEdit, receiveThreadReply } from '../../../../usecases/queue-reply.ts';
import { cancelScheduledEmail } from '../../../../usecases/scheduled-send.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { isPersonMessage, threadMessageOf, type SlackMessage } from '../../../outbound/message.ts';
import type { ListenerDeps } from '../register-listeners.ts';

export function registerThreadMessages(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/thread-messages' });

  app.event('message', async ({ event, body }) => {
    const e = event as unknown as SlackMessage;
    const eventId = (body as { event_id?: string }).event_id;
    const channel = e.channel;
    if (!channel || !deps.inboxes.channels.has(channel)) return;
    try {
      // The event is already acknowledged: a locked database must delay it, not lose it.
      if (eventId && !(await whileBusy(() => deps.store.outbox.firstSight(eventId)))) return;
      // Each step below is idempotent (the outbox is keyed by the Slack message), so a retry is safe.
      await whileBusy(async () => {
        if (isPersonMessage(e)) {
          const m = threadMessageOf(e, channel);
          if (m) await receiveThreadReply(deps.replies, m);
        } else if (e.subtype === 'message_changed') {
          const now = e.message && threadMessageOf(e.message, channel);
          // Unfurls and reply counts change the message too: only a new text is an edit.
          if (now && now.text !== (e.previous_message?.text ?? '')) await receiveThreadEdit(deps.replies, now);
        } else if (e.subtype === 'message_deleted') {
          const before = e.previous_message;
          const ts = e.deleted_ts ?? before?.ts;
          if (ts && before?.user && !before.bot_id) await receiveThreadDelete(deps.replies, { channel, ts, userId: before.user, threadTs: before.thread_ts });
          // A scheduled email's own message (ours) deleted: the email is cancelled.
          const scheduled = ts ? deps.store.outbox.bySlackMessage(channel, ts) : undefined;
          if (scheduled?.status === 'scheduled') await cancelScheduledEmail({ store: deps.store, isMember: (i, u) => deps.inboxes.isMember(i, u), settled: deps.scheduledSettled }, { outboxId: scheduled.id, userId: null });
        }
      });
    } catch (err) {
      log.error({ err: describeError(err), channel }, 'thread message not handled');
    }
  });
}

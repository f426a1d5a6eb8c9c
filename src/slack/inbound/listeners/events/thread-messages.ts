// Messages in an inbox channel's threads: a teammate's reply becomes an email (queued in the
// outbox), an edit or delete in the undo window changes or cancels it, and anyone who can't
// send is told privately why. Slack redelivers events: every event id is handled once.
import type { WebClient } from '@slack/web-api';
import { describeError } from '../../../../errors.ts';
import { whileBusy } from '../../../../store/retry.ts';
import { deleteReply, editReply, queueReply, type ThreadMessage } from '../../../../usecases/queue-reply.ts';
import { Reactions } from '../../../../usecases/send-outbox.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { fileRefs } from '../../../outbound/files.ts';
import type { ListenerDeps } from '../index.ts';
import type { SlackMessage } from '../../message.ts';

const USER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

async function tell(client: WebClient, channel: string, user: string, threadTs: string | undefined, text: string): Promise<void> {
  await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
}

export function registerThreadMessages(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ listener: 'thread-messages' });
  const onNew = createThreadReplyHandler(deps);

  app.event('message', async ({ event, body, client }) => {
    const e = event as unknown as SlackMessage;
    const eventId = (body as { event_id?: string }).event_id;
    if (!e.channel || !deps.channels.has(e.channel)) return;
    try {
      // The event is already acknowledged: a locked database must delay it, not lose it.
      if (eventId && !(await whileBusy(() => deps.store.outbox.firstSight(eventId)))) return;
      // Each step below is idempotent (the outbox is keyed by the Slack message), so a retry is safe.
      await whileBusy(async () => {
        if (USER_SUBTYPES.has(e.subtype)) await onNew(e, client);
        else if (e.subtype === 'message_changed') await onEdit(e, client);
        else if (e.subtype === 'message_deleted') await onDelete(e, client);
      });
    } catch (err) {
      log.error({ err: describeError(err), channel: e.channel }, 'thread message not handled');
    }
  });

  async function onEdit(e: SlackMessage, client: WebClient): Promise<void> {
    const now = e.message;
    const before = e.previous_message;
    if (!now?.ts || !now.user || now.bot_id || !now.thread_ts || now.thread_ts === now.ts) return;
    if ((now.text ?? '') === (before?.text ?? '')) return; // unfurls, reply counts: not an edit
    const outcome = editReply(deps.store, e.channel!, now.ts, now.text ?? '', fileRefs(now.files));
    if (outcome === 'already-sent')
      await tell(client, e.channel!, now.user, now.thread_ts, 'That reply has already been emailed: your edit changes Slack only. Write a new reply to send a correction.');
    else if (outcome === 'cancelled') await client.reactions.remove({ channel: e.channel!, timestamp: now.ts, name: Reactions.pending }).catch(() => undefined);
    if (outcome !== 'not-a-reply') deps.kickOutbox();
  }

  async function onDelete(e: SlackMessage, client: WebClient): Promise<void> {
    const before = e.previous_message;
    const ts = e.deleted_ts ?? before?.ts;
    if (!ts || !before?.user || before.bot_id) return;
    const outcome = deleteReply(deps.store, e.channel!, ts);
    if (outcome === 'already-sent')
      await tell(client, e.channel!, before.user, before.thread_ts, 'That reply had already been emailed when you deleted it: the customer has it.');
    if (outcome !== 'not-a-reply') deps.kickOutbox();
  }
}

/**
 * A new message in a thread: a member's reply is queued (⏳ when there is an undo window), anyone
 * else is told privately that it stays in Slack. Idempotent: the outbox is keyed by the message.
 * `quiet` (catching up after a restart) tells nobody: they were told, or it is too late to matter.
 */
export function createThreadReplyHandler(deps: Pick<ListenerDeps, 'store' | 'replies' | 'kickOutbox'>) {
  return async function onNew(e: SlackMessage, client: WebClient, o: { quiet?: boolean } = {}): Promise<void> {
    if (!e.thread_ts || e.thread_ts === e.ts || e.bot_id || !e.user || !e.ts || !USER_SUBTYPES.has(e.subtype)) return;
    const m: ThreadMessage = { channel: e.channel!, threadTs: e.thread_ts, ts: e.ts, userId: e.user, text: e.text ?? '', files: fileRefs(e.files) };
    const decision = await queueReply(deps.replies, m);
    if (decision.action === 'refused' && !o.quiet) {
      const inbox = deps.store.inboxes.byId(decision.conversation.inboxId);
      await tell(client, m.channel, m.userId, m.threadTs, `Only members of the *${inbox?.name ?? 'inbox'}* inbox can reply by email, so your message stays in Slack as a note. Ask a member, or an admin to add you to the inbox.`);
    } else if (decision.action === 'queued' && decision.created) {
      if (deps.replies.sendDelayMs > 0) await client.reactions.add({ channel: m.channel, timestamp: m.ts, name: Reactions.pending }).catch(() => undefined);
      deps.kickOutbox();
    }
  };
}


// The Reply button on a conversation's parent and the "Reply by email" message shortcut on any
// message of its thread open the reply modal; while it is open, the parent says "… is replying".
import type { BlockAction, ButtonAction, MessageShortcut } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Conversation } from '../../../../core/types.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions, parseConversationNumber, Shortcuts, Views } from '../../../ui/ids.ts';
import { openWhenReady, replyView } from '../email-modals.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { inboxById, isInboxMember, notMemberText } from '../inbox-access.ts';

export const NOT_A_CONVERSATION = 'This message is not part of an email conversation, so there is nobody to reply to.';

export function registerReplyOpeners(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/reply-open' });

  async function tell(client: WebClient, channel: string, user: string, threadTs: string | null | undefined, text: string): Promise<void> {
    await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }).catch(() => undefined);
  }

  async function open(client: WebClient, c: Conversation, userId: string, triggerId: string): Promise<void> {
    const opened = await openWhenReady(client, {
      triggerId,
      callbackId: Views.reply,
      title: `Reply to #${c.id}`,
      log,
      refuse: (text) => tell(client, c.channelId, userId, c.slackTs, text),
      build: async () => {
        const moved = c.movedToId ? deps.store.conversations.byId(c.movedToId) : undefined;
        if (moved) return { refusal: `This conversation moved to <#${moved.channelId}> (#${moved.id}): reply there.` };
        const inbox = inboxById(deps, c.inboxId);
        if (!inbox) return { refusal: 'The inbox of this conversation is no longer configured.' };
        if (!(await isInboxMember(deps, inbox.inbox.id, userId))) return { refusal: notMemberText(inbox.inbox.name, 'reply by email') };
        return { view: replyView(deps, c, inbox, { userId }) };
      },
    });
    // Only the reply form, really open, marks the teammate as replying.
    if (opened.viewId && !opened.refused) deps.collision?.markReplying(c.id, userId);
  }

  app.action<BlockAction<ButtonAction>>(Actions.reply, async ({ ack, body, action, client }) => {
    await ack();
    const number = parseConversationNumber(action.value);
    const c = number ? deps.store.conversations.byId(number) : undefined;
    const channel = body.channel?.id;
    if (!c) {
      if (channel) await tell(client, channel, body.user.id, null, NOT_A_CONVERSATION);
      return;
    }
    await open(client, c, body.user.id, body.trigger_id);
  });

  app.shortcut<MessageShortcut>({ callback_id: Shortcuts.reply, type: 'message_action' }, async ({ ack, shortcut, client }) => {
    await ack();
    const m = shortcut.message as { ts?: string; thread_ts?: string };
    const parentTs = m.thread_ts ?? m.ts;
    const c = parentTs ? deps.store.conversations.byParent(shortcut.channel.id, parentTs) : undefined;
    if (!c) {
      await tell(client, shortcut.channel.id, shortcut.user.id, m.thread_ts, NOT_A_CONVERSATION);
      return;
    }
    await open(client, c, shortcut.user.id, shortcut.trigger_id);
  });
}

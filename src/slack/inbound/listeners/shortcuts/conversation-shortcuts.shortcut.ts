// Message shortcuts on any message of a conversation (the parent or its thread): the same actions
// as the parent's buttons. Forward and Show full message use the email the shortcut was used on.
// "Close" on a closed conversation reopens it (the manifests call it "Close or reopen").
import type { MessageShortcut } from '@slack/bolt';
import { AppError, describeError } from '../../../../errors.ts';
import { reopenConversation } from '../../../../usecases/close.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Shortcuts } from '../../../ui/ids.ts';
import { refusalText, tellPrivately, type ConversationKit } from '../conversation-kit.ts';
import type { ConversationModals, OpenRequest } from '../conversation-modals.ts';

export const NOT_A_CONVERSATION = 'Use this on an email conversation: its parent message or a message in its thread.';

/** The shortcut ids handled here (Reply is the reply modal's). */
export const CONVERSATION_SHORTCUTS = [
  Shortcuts.assign,
  Shortcuts.close,
  Shortcuts.reopen,
  Shortcuts.createTicket,
  Shortcuts.move,
  Shortcuts.forward,
  Shortcuts.showFull,
  Shortcuts.snooze,
  Shortcuts.tags,
] as const;

export function registerConversationShortcuts(app: BoltApp, kit: ConversationKit, modals: ConversationModals): void {
  const log = kit.log.child({ part: 'listeners/conversation-shortcuts' });

  for (const callbackId of CONVERSATION_SHORTCUTS) {
    app.shortcut<MessageShortcut>({ callback_id: callbackId, type: 'message_action' }, async ({ ack, shortcut, client }) => {
      await ack();
      const where = { channel: shortcut.channel.id, user: shortcut.user.id, threadTs: (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts };
      const found = kit.ofMessage(shortcut.channel.id, shortcut.message);
      if (!found) {
        await tellPrivately(client, where, NOT_A_CONVERSATION);
        return;
      }
      const r: OpenRequest = { client, triggerId: shortcut.trigger_id, userId: shortcut.user.id, conversation: found.conversation, messageRowId: found.email?.id ?? null };
      const closed = found.conversation.status === 'closed';
      try {
        if (callbackId === Shortcuts.assign) await modals.assign(r);
        else if (callbackId === Shortcuts.close && !closed) await modals.close(r);
        else if (callbackId === Shortcuts.close || callbackId === Shortcuts.reopen) {
          const outcome = await reopenConversation(kit.actionDeps(client), { conversationId: found.conversation.id, actorUserId: shortcut.user.id });
          if (!outcome.changed) await tellPrivately(client, where, `Conversation #${found.conversation.id} is not closed.`);
        } else if (callbackId === Shortcuts.createTicket) await modals.ticket(r);
        else if (callbackId === Shortcuts.move) await modals.move(r);
        else if (callbackId === Shortcuts.forward) await modals.forward(r);
        else if (callbackId === Shortcuts.showFull) await modals.full(r);
        else if (callbackId === Shortcuts.snooze) await modals.snooze(r);
        else if (callbackId === Shortcuts.tags) await modals.tags(r);
      } catch (err) {
        if (err instanceof AppError) log.info({ shortcut: callbackId, code: err.code }, 'shortcut refused');
        else log.error({ shortcut: callbackId, err: describeError(err) }, 'shortcut failed');
        await tellPrivately(client, where, refusalText(err));
      }
    });
  }
}

// `/assign [#42]` and `/close [#42]` (names configurable). Slash commands carry no thread, so
// without a number the modal has a conversation picker, preset to the newest open conversation
// of the channel the command was typed in.
import type { Conversation } from '../../../../core/types.ts';
import { describeError } from '../../../../errors.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { parseConversationNumber } from '../../../ui/ids.ts';
import { assignModal } from '../../../ui/views/assign.view.ts';
import { closeModal } from '../../../ui/views/close.view.ts';
import type { ConversationKit } from '../conversation-kit.ts';
import type { ConversationModals } from '../conversation-modals.ts';

/** `#42`, `42` or ` #42 ` → 42; anything else → null. */
export function numberInCommand(text: string): number | null {
  const m = /^\s*#?(\d{1,15})\s*$/.exec(text);
  return m ? parseConversationNumber(m[1]) : null;
}

export function registerAssignCloseCommands(app: BoltApp, kit: ConversationKit, modals: ConversationModals, names: { assign: string; close: string }): void {
  const log = kit.log.child({ part: 'listeners/assign-close-commands' });

  /** The conversation named in the command, when it can still be acted on. */
  const named = (text: string): Conversation | null => {
    const c = kit.store.conversations.byId(numberInCommand(text) ?? 0);
    return c && !c.movedToId && c.status !== 'closed' ? c : null;
  };
  /** The newest open conversation of this channel, for the picker's initial choice. */
  const newestIn = (channelId: string) => {
    const c = kit.store.conversations.searchActive('', { channelId, limit: 1 })[0];
    return c && c.channelId === channelId ? kit.option(c) : null;
  };

  app.command(names.assign, async ({ ack, command, client }) => {
    await ack();
    const c = named(command.text);
    const r = { client, triggerId: command.trigger_id, userId: command.user_id };
    if (c) {
      await modals.assign({ ...r, conversation: c });
      return;
    }
    const view = assignModal({ pickerInitial: newestIn(command.channel_id), channelId: command.channel_id });
    await client.views.open({ trigger_id: command.trigger_id, view }).catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not open the assign modal'));
  });

  app.command(names.close, async ({ ack, command, client }) => {
    await ack();
    const c = named(command.text);
    const r = { client, triggerId: command.trigger_id, userId: command.user_id };
    if (c) {
      await modals.close({ ...r, conversation: c });
      return;
    }
    const view = closeModal({ pickerInitial: newestIn(command.channel_id), channelId: command.channel_id });
    await client.views.open({ trigger_id: command.trigger_id, view }).catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not open the close modal'));
  });
}

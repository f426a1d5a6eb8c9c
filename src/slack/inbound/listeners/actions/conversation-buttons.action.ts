// The parent message's controls: the Assign users select (assigns at once), Close (opens the
// close modal), Reopen (at once), and the overflow menu (Snooze or wait, Tags, Customer, Create
// ticket, Move; Forward and Show full message on older parents); and Show full message on an
// email of the thread. Refusals are said privately in the channel; a refused assignment also
// redraws the parent, so the select stops showing a choice that did not happen.
import type { BlockAction, ButtonAction, OverflowAction, UsersSelectAction } from '@slack/bolt';
import { assignConversation } from '../../../../usecases/assign.ts';
import { reopenConversation } from '../../../../usecases/close.ts';
import { unsnoozeConversation } from '../../../../usecases/snooze.ts';
import { AppError, describeError } from '../../../../errors.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions, Blocks, OverflowChoices, parseConversationNumber, parseOverflowValue } from '../../../ui/ids.ts';
import { refusalText, tellPrivately, type ConversationKit } from '../conversation-kit.ts';
import type { ConversationModals } from '../conversation-modals.ts';

/** The conversation number in the parent's actions block id (`mr_parent_actions.<n>.<assignee>`). */
export function numberFromActionsBlock(blockId: string | undefined): number | null {
  const m = new RegExp(`^${Blocks.parentActions.replace('.', '\\.')}\\.(\\d+)\\.`).exec(blockId ?? '');
  return m ? parseConversationNumber(m[1]) : null;
}

export function registerConversationButtons(app: BoltApp, kit: ConversationKit, modals: ConversationModals): void {
  const log = kit.log.child({ part: 'listeners/conversation-buttons' });
  const where = (body: BlockAction) => ({ channel: body.channel?.id ?? null, user: body.user.id });

  app.action<BlockAction<UsersSelectAction>>(Actions.assignSelect, async ({ ack, body, action, client }) => {
    await ack();
    const id = numberFromActionsBlock(action.block_id) ?? (body.channel && body.message ? kit.store.conversations.byParent(body.channel.id, body.message.ts)?.id : null);
    if (!id || !action.selected_user) return;
    try {
      const outcome = await assignConversation(kit.actionDeps(client), { conversationId: id, assigneeUserId: action.selected_user, actorUserId: body.user.id });
      await outcome.tell();
    } catch (err) {
      if (err instanceof AppError) log.info({ conversation: id, code: err.code }, 'assignment refused');
      else log.error({ conversation: id, err: describeError(err) }, 'assignment failed');
      kit.actionDeps(client).refreshParent(id);
      await tellPrivately(client, where(body), refusalText(err));
    }
  });

  app.action<BlockAction<ButtonAction>>(Actions.close, async ({ ack, body, action, client }) => {
    await ack();
    const c = kit.store.conversations.byId(parseConversationNumber(action.value) ?? 0);
    if (c) await modals.close({ client, triggerId: body.trigger_id, userId: body.user.id, conversation: c });
  });

  app.action<BlockAction<ButtonAction>>(Actions.reopen, async ({ ack, body, action, client }) => {
    await ack();
    const id = parseConversationNumber(action.value);
    if (!id) return;
    try {
      const r = await reopenConversation(kit.actionDeps(client), { conversationId: id, actorUserId: body.user.id });
      if (!r.changed) await tellPrivately(client, where(body), `Conversation #${id} is not closed.`);
    } catch (err) {
      log.info({ conversation: id, err: describeError(err) }, 'reopen refused');
      await tellPrivately(client, where(body), refusalText(err));
    }
  });

  app.action<BlockAction<ButtonAction>>(Actions.showFullEmail, async ({ ack, body, client }) => {
    await ack();
    const found = body.channel && body.message ? kit.ofMessage(body.channel.id, body.message) : null;
    if (found) await modals.full({ client, triggerId: body.trigger_id, userId: body.user.id, conversation: found.conversation, messageRowId: found.email?.id ?? null });
  });

  app.action<BlockAction<OverflowAction>>(Actions.overflow, async ({ ack, body, action, client }) => {
    await ack();
    const choice = parseOverflowValue(action.selected_option?.value ?? '');
    const c = choice && kit.store.conversations.byId(choice.conversationNumber);
    if (!choice || !c) return;
    const r = { client, triggerId: body.trigger_id, userId: body.user.id, conversation: c };
    if (choice.choice === OverflowChoices.tags) await modals.tags(r);
    else if (choice.choice === OverflowChoices.customer) await modals.customer(r);
    else if (choice.choice === OverflowChoices.createTicket) await modals.ticket(r);
    else if (choice.choice === OverflowChoices.move) await modals.move(r);
    else if (choice.choice === OverflowChoices.forward) await modals.forward(r);
    else if (choice.choice === OverflowChoices.showFull) await modals.full(r);
    else if (choice.choice === OverflowChoices.snooze) await modals.snooze(r);
    else if (choice.choice === OverflowChoices.unsnooze) {
      try {
        const outcome = await unsnoozeConversation(kit.actionDeps(client), { conversationId: c.id, actorUserId: body.user.id });
        if (!outcome.changed) await tellPrivately(client, where(body), `Conversation #${c.id} is not snoozed.`);
      } catch (err) {
        log.info({ conversation: c.id, err: describeError(err) }, 'unsnooze refused');
        await tellPrivately(client, where(body), refusalText(err));
      }
    }
  });
}

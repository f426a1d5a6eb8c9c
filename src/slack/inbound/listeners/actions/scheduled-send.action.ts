// Cancel under a scheduled email ("⏳ Scheduled for …"): a member of the inbox cancels it, and the
// message says so; once it has gone, the person is told privately.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { describeError } from '../../../../errors.ts';
import { cancelScheduledEmail } from '../../../../usecases/scheduled-send.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions, parseConversationNumber } from '../../../ui/ids.ts';
import { refusalText, tellPrivately, type ConversationKit } from '../conversation-kit.ts';

export function registerScheduledSendActions(app: BoltApp, kit: ConversationKit): void {
  const log = kit.log.child({ part: 'listeners/scheduled-send' });

  app.action<BlockAction<ButtonAction>>(Actions.cancelScheduled, async ({ ack, body, action, client }) => {
    await ack();
    const outboxId = parseConversationNumber(action.value);
    if (!outboxId) return;
    const where = { channel: body.channel?.id ?? null, user: body.user.id, threadTs: (body.message?.thread_ts as string | undefined) ?? null };
    try {
      const outcome = await cancelScheduledEmail(kit.cancelDeps(), { outboxId, userId: body.user.id });
      if (outcome === 'already-sent') await tellPrivately(client, where, 'That email has already gone out: the customer has it.');
      else if (outcome === 'not-scheduled') await tellPrivately(client, where, 'That email is not waiting to be sent any more.');
    } catch (err) {
      log.info({ outbox: outboxId, err: describeError(err) }, 'cancel refused');
      await tellPrivately(client, where, refusalText(err));
    }
  });
}

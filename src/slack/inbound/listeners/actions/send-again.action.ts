// "Send again" on a bounce note: an inbox member puts the bounced email back in the outbox,
// once. The note then says who sent it again instead of offering the button; a second click (or
// a second teammate) is told privately that it already went.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { describeError } from '../../../../errors.ts';
import { sendAgain, sendAgainRefusalText, sendAgainTarget } from '../../../../usecases/send-again.ts';
import { withSentAgain } from '../../../ui/blocks/bounce-note.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions } from '../../../ui/ids.ts';
import { tellPrivately } from '../conversation-kit.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { inboxById, isInboxMember, notMemberText } from '../inbox-access.ts';

export function registerSendAgain(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/send-again' });

  app.action<BlockAction<ButtonAction>>(Actions.sendAgain, async ({ ack, body, action, client }) => {
    await ack();
    const bounceRowId = Number(action.value);
    const where = { channel: body.channel?.id ?? null, user: body.user.id, threadTs: body.message?.thread_ts ?? null };
    const target = Number.isSafeInteger(bounceRowId) ? sendAgainTarget(deps.store, bounceRowId) : null;
    const inboxId = target?.ok ? target.conversation.inboxId : target?.outbox?.inboxId;
    const inbox = inboxId !== undefined ? inboxById(deps, inboxId) : undefined;
    if (inbox && !(await isInboxMember(deps, inbox.inbox.id, body.user.id))) {
      await tellPrivately(client, where, notMemberText(inbox.inbox.name, 'send its emails again'));
      return;
    }
    try {
      const outcome = sendAgain(deps.store, { bounceRowId, userId: body.user.id, now: Date.now() });
      if (!outcome.ok) {
        log.info({ bounce: bounceRowId, reason: outcome.reason }, 'send again refused');
        await tellPrivately(client, where, sendAgainRefusalText(outcome.reason));
        return;
      }
      deps.kickOutbox();
      log.info({ bounce: bounceRowId, outbox: outcome.outboxId, conversation: outcome.conversation.id }, 'email sent again');
      if (body.channel && body.message) {
        const blocks = withSentAgain((body.message.blocks ?? []) as KnownBlock[], body.user.id);
        await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: String(body.message.text ?? 'Sent again'), blocks }).catch((err: unknown) => {
          log.warn({ err: describeError(err) }, 'could not update the bounce note');
        });
      }
    } catch (err) {
      log.error({ bounce: bounceRowId, err: describeError(err) }, 'send again failed');
      await tellPrivately(client, where, 'Mailroom could not put the email back in the outbox; try again in a moment.');
    }
  });
}

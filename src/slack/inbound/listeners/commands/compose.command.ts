// `/compose` (name configurable) and the "Compose email" global shortcut open the compose modal.
// From offers the addresses of the inboxes the user is a member of; typed in an inbox's channel,
// that inbox is preselected, and a non-member is told privately that they can't send from it.
import type { WebClient } from '@slack/web-api';
import type { BoltApp } from '../../bolt-app.ts';
import { Shortcuts, Views } from '../../../ui/ids.ts';
import { composeView, openWhenReady } from '../email-modals.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { inboxOfChannel, isInboxMember, memberInboxes, notMemberText } from '../inbox-access.ts';

const TITLE = 'New email';

export function registerComposeCommand(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/compose' });

  async function open(client: WebClient, o: { triggerId: string; userId: string; channelId: string | null; refuse: (text: string) => Promise<void> }) {
    await openWhenReady(client, {
      triggerId: o.triggerId,
      callbackId: Views.compose,
      title: TITLE,
      log,
      refuse: o.refuse,
      build: async () => {
        const here = inboxOfChannel(deps, o.channelId);
        if (here && !(await isInboxMember(deps, here.inbox.id, o.userId))) return { refusal: notMemberText(here.inbox.name, 'send email from it') };
        const senders = await memberInboxes(deps, o.userId);
        // No inbox at all: the modal itself explains (composeModal's notice).
        return { view: composeView(deps, senders, { defaultFrom: here ? { inboxId: here.inbox.id, index: 0 } : null, channelId: o.channelId, userId: o.userId }) };
      },
    });
  }

  app.command(deps.config.slack.commands.compose, async ({ ack, command, client, respond }) => {
    await ack();
    await open(client, {
      triggerId: command.trigger_id,
      userId: command.user_id,
      channelId: command.channel_id,
      refuse: (text) => respond({ response_type: 'ephemeral', text }).then(() => undefined),
    });
  });

  app.shortcut({ callback_id: Shortcuts.compose, type: 'shortcut' }, async ({ ack, shortcut, client }) => {
    await ack();
    await open(client, {
      triggerId: shortcut.trigger_id,
      userId: shortcut.user.id,
      channelId: null,
      // A global shortcut has no channel: the refusal can only come from inboxOfChannel, never here.
      refuse: async () => undefined,
    });
  });
}

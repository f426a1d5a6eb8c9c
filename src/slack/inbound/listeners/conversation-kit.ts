// What the conversation-action listeners (assign, close, reopen, ticket, move, forward, full
// message) share: the use cases' dependencies built from ListenerDeps and the request's client,
// finding the conversation a button or shortcut was used on, and telling people privately.
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Conversation, StoredMessage } from '../../../core/types.ts';
import { AppError, describeError } from '../../../errors.ts';
import type { ActionDeps } from '../../../usecases/conversation-actions.ts';
import type { MoveDeps } from '../../../usecases/move.ts';
import type { ReminderDeps } from '../../../usecases/reminders.ts';
import type { CancelDeps } from '../../../usecases/scheduled-send.ts';
import { isValidTimeZone } from '../../../core/business-hours.ts';
import type { TagDeps } from '../../../usecases/tags.ts';
import { sendAssignmentDm, sendDm } from '../../outbound/direct-messages.ts';
import { modal, notice } from '../../ui/views/common.ts';
import type { ConversationOptionVM } from '../../ui/views/conversation-picker.view.ts';
import type { ListenerDeps } from './register-listeners.ts';

export const SOMETHING_WRONG = 'Something went wrong on Mailroom’s side; please try again.';

/** The words for a refusal: an AppError's own message for people, else a generic one. */
export function refusalText(err: unknown): string {
  return err instanceof AppError && err.userMessage ? err.userMessage : SOMETHING_WRONG;
}

export function createConversationKit(deps: ListenerDeps) {
  const { store } = deps;
  const logger = deps.logger.child({ part: 'listeners/conversations' });
  const runtime = (inboxId: number) => deps.inboxes.byId(inboxId);
  const kit = {
    store,
    log: logger,
    runtime,
    isMember: (inboxId: number, userId: string) => deps.inboxes.isMember(inboxId, userId),

    actionDeps(client: WebClient): ActionDeps & { kickOutbox: () => void; timekeeper: ListenerDeps['timekeeper'] } {
      return {
        timekeeper: deps.timekeeper,
        store,
        logger,
        isMember: kit.isMember,
        isPerson: (userId) => deps.directory.isPerson(userId),
        refreshParent: deps.refreshParent,
        postNote: deps.postNote,
        dm: (userId, vm) => sendAssignmentDm(client, userId, vm),
        teamUrl: deps.teamUrl,
        kickOutbox: deps.kickOutbox,
      };
    },

    /** The inbox's fixed list of tags, or null when any tag goes. */
    vocabulary: (inboxId: number) => runtime(inboxId)?.config.tags ?? null,

    tagDeps(client: WebClient): TagDeps {
      return { ...kit.actionDeps(client), vocabulary: kit.vocabulary };
    },

    reminderDeps(): ReminderDeps {
      return { store, isMember: kit.isMember, postNote: deps.postNote, timersChanged: () => deps.timekeeper.timersChanged() };
    },

    cancelDeps(): CancelDeps {
      return { store, isMember: kit.isMember, settled: (id, how) => deps.scheduledSettled(id, how) };
    },

    /** Where times a teammate types or picks are read: the inbox's time zone, else the teammate's, else UTC. */
    async zoneFor(inboxId: number, userId: string): Promise<{ name: string; source: 'inbox' | 'you' | 'default' }> {
      const inbox = deps.timekeeper.zone(inboxId);
      if (inbox) return { name: inbox, source: 'inbox' };
      const mine = await deps.directory.timeZone(userId).catch(() => null);
      return mine && isValidTimeZone(mine) ? { name: mine, source: 'you' } : { name: 'UTC', source: 'default' };
    },

    moveDeps(client: WebClient): MoveDeps {
      return {
        ...kit.actionDeps(client),
        postParent: deps.postParent,
      };
    },

    /** The conversation a message belongs to (its parent, or any message in its thread), and the email it shows. */
    ofMessage(channelId: string, message: { ts?: string; thread_ts?: string }): { conversation: Conversation; email: StoredMessage | null } | null {
      const parentTs = message.thread_ts ?? message.ts;
      const conversation = parentTs ? store.conversations.byParent(channelId, parentTs) : undefined;
      if (!conversation) return null;
      const email = message.ts ? (store.messages.ofConversation(conversation.id).find((m) => m.slackTs === message.ts) ?? null) : null;
      return { conversation, email };
    },

    option(c: Conversation): ConversationOptionVM {
      const contact = c.contactId ? store.contacts.byId(c.contactId) : undefined;
      return { number: c.id, subject: c.subject, contact: contact?.name || contact?.email || '' };
    },

    /** Every inbox address of this install, and their domains. */
    ourAddresses: deps.inboxes.ourAddresses,
    ourDomains: deps.inboxes.ourDomains,
    teamUrl: deps.teamUrl,
  };
  return kit;
}
export type ConversationKit = ReturnType<typeof createConversationKit>;

/** An ephemeral message where the person is (the channel, in the thread when given). */
export async function tellPrivately(client: WebClient, where: { channel?: string | null; user: string; threadTs?: string | null }, text: string): Promise<void> {
  try {
    if (where.channel) {
      await client.chat.postEphemeral({ channel: where.channel, user: where.user, text, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) });
      return;
    }
  } catch {
    // Not in that channel (a DM, a channel without the bot): say it in a DM instead.
  }
  await sendDm(client, where.user, { text }).catch(() => undefined);
}

/** A modal that only explains (no submit). */
export function noticeModal(callbackId: string, title: string, text: string): ModalView {
  return modal({ callbackId, title, close: 'Close', blocks: [notice(text) as KnownBlock], metadata: {} });
}

/**
 * Opens `view` at once (the trigger lives 3 s), then runs `check`; when it says no, the modal turns
 * into the explanation. Returns the view id, or null when nothing opened.
 */
export async function openThenCheck(
  client: WebClient,
  o: { triggerId: string; view: ModalView; check: () => Promise<string | null>; log: ListenerDeps['logger'] },
): Promise<string | null> {
  const [opened, refusal] = await Promise.all([
    client.views.open({ trigger_id: o.triggerId, view: o.view }).catch((err: unknown) => {
      o.log.warn({ err: describeError(err), view: o.view.callback_id }, 'could not open a modal');
      return null;
    }),
    o.check().catch((err: unknown) => refusalText(err)),
  ]);
  const viewId = opened?.view?.id ?? null;
  if (viewId && refusal) {
    await client.views
      .update({ view_id: viewId, view: noticeModal(o.view.callback_id ?? 'mr_notice', o.view.title.text, refusal) })
      .catch((err: unknown) => o.log.warn({ err: describeError(err) }, 'could not update a modal'));
  }
  return viewId;
}

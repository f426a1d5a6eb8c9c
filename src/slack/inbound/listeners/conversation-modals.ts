// Opening the modal of each conversation action for a known conversation (parent buttons, the
// overflow menu, message shortcuts). The modal opens first, from what the store already knows;
// whether the person may act is checked meanwhile, and a refusal replaces the form.
import type { ListenerDeps } from './register-listeners.ts';
import type { WebClient } from '@slack/web-api';
import type { Conversation } from '../../../core/types.ts';
import { activeConversation, requireMember } from '../../../usecases/conversation-actions.ts';
import { emailToForward } from '../../../usecases/forward-conversation.ts';
import { fullMessageView } from '../../../usecases/full-message.ts';
import { describeError } from '../../../errors.ts';
import type { InboundEmail } from '../../../mail/types.ts';
import { Views } from '../../ui/ids.ts';
import { assignModal } from '../../ui/views/assign.view.ts';
import { closeModal } from '../../ui/views/close.view.ts';
import { modal, notice } from '../../ui/views/common.ts';
import { forwardModal } from '../../ui/views/forward.view.ts';
import { fullMessageModal } from '../../ui/views/full-message.view.ts';
import { moveModal } from '../../ui/views/move.view.ts';
import { ticketModal } from '../../ui/views/ticket.view.ts';
import { snoozeModal } from '../../ui/views/snooze.view.ts';
import { tagsModal } from '../../ui/views/tags.view.ts';
import { customerModal } from '../../ui/views/customer.view.ts';
import { customerView } from '../../../usecases/customer.ts';
import { noticeModal, openThenCheck, refusalText, type ConversationKit } from './conversation-kit.ts';

export interface OpenRequest {
  client: WebClient;
  triggerId: string;
  userId: string;
  conversation: Conversation;
  /** The email a shortcut was used on (forward, full message). */
  messageRowId?: number | null;
}

export function createConversationModals({ kit, read }: { kit: ConversationKit; read: Pick<ListenerDeps, 'parse' | 'withRaw'> }) {
  const { store, log } = kit;
  /** Null when `userId` may act on the conversation, else why not. */
  const refusal = async (c: Conversation, userId: string, what: string): Promise<string | null> => {
    try {
      await requireMember(kit, activeConversation(store, c.id), userId, what);
      return null;
    } catch (err) {
      return refusalText(err);
    }
  };

  return {
    assign: (r: OpenRequest) =>
      openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: assignModal({ conversation: kit.option(r.conversation), assigneeUserId: r.conversation.assigneeUserId }),
        check: () => refusal(r.conversation, r.userId, 'assign'),
        log,
      }),

    close: (r: OpenRequest) => {
      const ticket = store.tickets.openFor(r.conversation.id);
      return openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: closeModal({ conversation: kit.option(r.conversation), ticket: ticket ? { id: ticket.id } : null }),
        check: async () => (r.conversation.status === 'closed' ? `Conversation #${r.conversation.id} is already closed.` : refusal(r.conversation, r.userId, 'close')),
        log,
      });
    },

    ticket: (r: OpenRequest) => {
      const open = store.tickets.openFor(r.conversation.id);
      return openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: ticketModal({ conversation: kit.option(r.conversation) }),
        check: async () => (open ? `Conversation #${r.conversation.id} already has an open ticket, #${open.id}.` : refusal(r.conversation, r.userId, 'create tickets for')),
        log,
      });
    },

    tags: (r: OpenRequest) =>
      openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: tagsModal({ conversation: kit.option(r.conversation), tags: store.tags.of(r.conversation.id), allowed: kit.vocabulary(r.conversation.inboxId) }),
        check: () => refusal(r.conversation, r.userId, 'tag'),
        log,
      }),

    /** The inbox list keeps only inboxes the person is a member of (checked after opening). */
    async move(r: OpenRequest): Promise<void> {
      const others = store.inboxes.all().filter((i) => i.id !== r.conversation.inboxId && kit.runtime(i.id));
      const conversation = kit.option(r.conversation);
      let allowed = others;
      const viewId = await openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: moveModal({ conversation, inboxes: others }),
        check: async () => {
          const no = await refusal(r.conversation, r.userId, 'move');
          if (no) return no;
          const checks = await Promise.all(others.map((i) => kit.isMember(i.id, r.userId)));
          allowed = others.filter((_, n) => checks[n]);
          return null;
        },
        log,
      });
      if (viewId && allowed.length !== others.length)
        await r.client.views.update({ view_id: viewId, view: moveModal({ conversation, inboxes: allowed }) }).catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not update the move modal'));
    },

    forward: (r: OpenRequest) => {
      const m = emailToForward(store, r.conversation.id, r.messageRowId);
      return openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: forwardModal({
          conversation: kit.option(r.conversation),
          email: m ? { rowId: m.id, from: m.from, date: m.receivedAt, subject: m.subject } : null,
        }),
        check: async () => (m ? refusal(r.conversation, r.userId, 'forward') : 'This conversation has no received email to forward yet.'),
        log,
      });
    },

    /** The customer at a glance: a "one moment" modal at once, then what the person may see of them. */
    async customer(r: OpenRequest): Promise<void> {
      const opened = await r.client.views
        .open({ trigger_id: r.triggerId, view: modal({ callbackId: Views.customer, title: 'Customer', close: 'Close', blocks: [notice(':hourglass_flowing_sand: One moment…')], metadata: {} }) })
        .catch((err: unknown) => {
          log.warn({ err: describeError(err) }, 'could not open the customer modal');
          return null;
        });
      const viewId = opened?.view?.id;
      if (!viewId) return;
      let view;
      const no = await refusal(r.conversation, r.userId, 'see the customers of');
      if (no) view = noticeModal(Views.customer, 'Customer', no);
      else {
        const inboxes = store.inboxes.all().filter((i) => kit.runtime(i.id));
        const member = await Promise.all(inboxes.map((i) => kit.isMember(i.id, r.userId)));
        const vm = customerView({ store, teamUrl: kit.teamUrl, ourDomains: kit.ourDomains }, r.conversation.id, inboxes.filter((_, n) => member[n]).map((i) => i.id));
        view = vm ? customerModal(vm) : noticeModal(Views.customer, 'Customer', 'This conversation no longer exists.');
      }
      await r.client.views.update({ view_id: viewId, view }).catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not show the customer'));
    },

    /** The zone comes from the configuration, or the teammate's profile (cached, usually known). */
    async snooze(r: OpenRequest): Promise<void> {
      const zone = await Promise.race([kit.zoneFor(r.conversation.inboxId, r.userId), new Promise<{ name: string; source: 'default' }>((res) => setTimeout(() => res({ name: 'UTC', source: 'default' }), 1000).unref())]);
      await openThenCheck(r.client, {
        triggerId: r.triggerId,
        view: snoozeModal({ conversation: { number: r.conversation.id, subject: r.conversation.subject }, zone, snoozedUntil: r.conversation.status === 'snoozed' ? r.conversation.snoozedUntil : null }),
        check: async () => (r.conversation.status === 'closed' ? `Conversation #${r.conversation.id} is closed: reopen it before you snooze it.` : refusal(r.conversation, r.userId, 'snooze')),
        log,
      });
    },

    /** Opens a "fetching…" modal at once, then shows the email read back from the mailbox. */
    async full(r: OpenRequest): Promise<void> {
      const title = `Email in #${r.conversation.id}`;
      const loading = modal({
        callbackId: Views.fullMessage,
        title,
        close: 'Close',
        blocks: [notice(':hourglass_flowing_sand: Fetching the whole email from the mailbox…')],
        metadata: { conversationNumber: r.conversation.id },
      });
      const opened = await r.client.views.open({ trigger_id: r.triggerId, view: loading }).catch((err: unknown) => {
        log.warn({ err: describeError(err) }, 'could not open the full message modal');
        return null;
      });
      const viewId = opened?.view?.id;
      if (!viewId) return;
      let view;
      try {
        const vm = await fullMessageView({ store, ...read }, r.conversation.id, r.messageRowId);
        view = vm ? fullMessageModal(vm) : noticeModal(Views.fullMessage, title, 'This conversation has no received email yet.');
      } catch (err) {
        log.warn({ err: describeError(err) }, 'could not read the full message');
        view = noticeModal(Views.fullMessage, title, refusalText(err));
      }
      await r.client.views.update({ view_id: viewId, view }).catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not show the full message'));
    },
  };
}
export type ConversationModals = ReturnType<typeof createConversationModals>;

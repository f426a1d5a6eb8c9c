// `/mailroom snooze #42 2h|tomorrow|monday|2026-12-24 09:00`, `wait #42`, `unsnooze #42` and
// `remind #42 3d`: the same use cases as the ⋯ menu and the snooze modal, for people who type.
// Times are read in the inbox's time zone, else the teammate's. `snooze #42` alone opens the modal.
import type { WebClient } from '@slack/web-api';
import { parseWhen, WHEN_EXAMPLES } from '../../../../core/when.ts';
import { setReminder } from '../../../../usecases/reminders.ts';
import { snoozeConversation, unsnoozeConversation, waitOnCustomer } from '../../../../usecases/snooze.ts';
import { slackDate } from '../../../ui/blocks/text.ts';
import { refusalText, type ConversationKit } from '../conversation-kit.ts';
import type { ConversationModals } from '../conversation-modals.ts';

/** `snooze #42 2h` → { name: 'snooze', number: 42, when: '2h' }; `when` is '' for wait and unsnooze. */
export type TimeSubcommand = { [K in 'snooze' | 'remind' | 'wait' | 'unsnooze']: { name: K; number: number | null; when: string } }['snooze' | 'remind' | 'wait' | 'unsnooze'];

const when = (ms: number) => slackDate(ms, '{date_short_pretty} at {time}');

/** Runs the command; returns what to tell the person (privately), or null when a modal opened. */
export async function timeCommand(kit: ConversationKit, modals: Pick<ConversationModals, 'snooze'>, client: WebClient, o: { sub: TimeSubcommand; userId: string; triggerId: string; command: string }): Promise<string | null> {
  const { sub, userId } = o;
  const example = { snooze: 'snooze #42 2h', remind: 'remind #42 3d', wait: 'wait #42', unsnooze: 'unsnooze #42' }[sub.name];
  const c = sub.number ? kit.store.conversations.byId(sub.number) : undefined;
  if (!sub.number) return `Which conversation? For example \`${o.command} ${example}\`.`;
  if (!c) return `Conversation #${sub.number} doesn't exist.`;
  try {
    if (sub.name === 'wait') {
      const r = await waitOnCustomer(kit.actionDeps(client), { conversationId: c.id, actorUserId: userId });
      return r.changed ? `#${c.id} is waiting on the customer: it is open again when they write.` : `#${c.id} is already waiting on the customer.`;
    }
    if (sub.name === 'unsnooze') {
      const r = await unsnoozeConversation(kit.actionDeps(client), { conversationId: c.id, actorUserId: userId });
      return r.changed ? `#${c.id} is back from snooze.` : `#${c.id} is not snoozed.`;
    }
    if (sub.name === 'snooze' && !sub.when.trim()) {
      await modals.snooze({ client, triggerId: o.triggerId, userId, conversation: c });
      return null;
    }
    const zone = await kit.zoneFor(c.inboxId, userId);
    const at = parseWhen(sub.when, { now: Date.now(), zone: zone.name });
    if (!at.ok) return `${at.error.replace(/^is /, 'That is ')}. Try ${WHEN_EXAMPLES} (in ${zone.name}).`;
    if (sub.name === 'snooze') {
      await snoozeConversation(kit.actionDeps(client), { conversationId: c.id, actorUserId: userId, until: at.at });
      return `#${c.id} is snoozed until ${when(at.at)}, or until the customer writes.`;
    }
    await setReminder(kit.reminderDeps(), { conversationId: c.id, userId, dueAt: at.at });
    return `I'll remind you in #${c.id}'s thread ${when(at.at)} if the customer has not written by then.`;
  } catch (err) {
    return refusalText(err);
  }
}

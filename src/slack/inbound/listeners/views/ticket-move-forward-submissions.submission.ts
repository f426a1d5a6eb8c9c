// Submitting the ticket, move and forward modals. Checks come first (field errors in the modal);
// the move's posts in the other channel happen after Slack has its answer.
import { isTicketPriority } from '../../../../core/conversation-status.ts';
import { parseAddressList } from '../../../../core/addresses.ts';
import { queueForward } from '../../../../usecases/forward-conversation.ts';
import { moveConversation } from '../../../../usecases/move.ts';
import { createTicket } from '../../../../usecases/tickets.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { selectedValue, textValue, type ViewValues } from '../../view-state.ts';
import { readForwardMetadata } from '../../../ui/views/forward.view.ts';
import { readMoveMetadata } from '../../../ui/views/move.view.ts';
import { readTicketMetadata } from '../../../ui/views/ticket.view.ts';
import type { ConversationKit } from '../conversation-kit.ts';
import { errorsFor } from './submission-errors.ts';

const NOTE_MAX = 2000;
const MAX_FORWARD_RECIPIENTS = 20;

export function registerTicketMoveForwardSubmissions(app: BoltApp, kit: ConversationKit): void {
  const log = kit.log.child({ part: 'listeners/ticket-move-forward-submissions' });
  const gone = (block: string) => ({ response_action: 'errors' as const, errors: { [block]: 'This conversation no longer exists.' } });

  app.view(Views.ticket, async ({ ack, body, view, client }) => {
    const meta = readTicketMetadata(view.private_metadata);
    if (!meta) return void (await ack(gone(Fields.priority.block)));
    const priority = selectedValue(view.state.values as ViewValues, Fields.priority);
    if (!isTicketPriority(priority)) return void (await ack({ response_action: 'errors', errors: { [Fields.priority.block]: 'Choose a priority.' } }));
    try {
      await createTicket(kit.actionDeps(client), { conversationId: meta.conversationNumber, actorUserId: body.user.id, priority });
    } catch (err) {
      return void (await ack({ response_action: 'errors', errors: errorsFor(err, { pickerBlock: null, fallback: Fields.priority.block, log }) }));
    }
    await ack();
  });

  app.view(Views.move, async ({ ack, body, view, client }) => {
    const meta = readMoveMetadata(view.private_metadata);
    if (!meta) return void (await ack(gone(Fields.inbox.block)));
    const values = view.state.values as ViewValues;
    const toInboxId = Number(selectedValue(values, Fields.inbox));
    if (!Number.isSafeInteger(toInboxId) || toInboxId <= 0) return void (await ack({ response_action: 'errors', errors: { [Fields.inbox.block]: 'Choose an inbox.' } }));
    const note = textValue(values, Fields.note);
    if (note.length > NOTE_MAX) return void (await ack({ response_action: 'errors', errors: { [Fields.note.block]: `Keep the note under ${NOTE_MAX} characters.` } }));
    let announce: () => Promise<void>;
    try {
      ({ announce } = await moveConversation(kit.moveDeps(client), { conversationId: meta.conversationNumber, actorUserId: body.user.id, toInboxId, note }));
    } catch (err) {
      return void (await ack({ response_action: 'errors', errors: errorsFor(err, { pickerBlock: null, fallback: Fields.inbox.block, log }) }));
    }
    await ack();
    await announce();
  });

  app.view(Views.forward, async ({ ack, body, view, client }) => {
    const meta = readForwardMetadata(view.private_metadata);
    if (!meta) return void (await ack(gone(Fields.forwardTo.block)));
    const values = view.state.values as ViewValues;
    const to = parseAddressList(textValue(values, Fields.forwardTo));
    const problem = !to.ok
      ? `Not an email address: ${to.invalid.join(', ').slice(0, 200)}`
      : to.addresses.length === 0
        ? 'Enter at least one address.'
        : to.addresses.length > MAX_FORWARD_RECIPIENTS
          ? `Forward to at most ${MAX_FORWARD_RECIPIENTS} addresses at once.`
          : null;
    if (problem) return void (await ack({ response_action: 'errors', errors: { [Fields.forwardTo.block]: problem } }));
    const note = textValue(values, Fields.note);
    if (note.length > NOTE_MAX) return void (await ack({ response_action: 'errors', errors: { [Fields.note.block]: `Keep the note under ${NOTE_MAX} characters.` } }));
    try {
      await queueForward(kit.actionDeps(client), {
        conversationId: meta.conversationNumber,
        actorUserId: body.user.id,
        to: to.addresses,
        note,
        messageRowId: meta.messageRowId ?? null,
        ourAddresses: kit.ourAddresses,
      });
    } catch (err) {
      return void (await ack({ response_action: 'errors', errors: errorsFor(err, { pickerBlock: null, fallback: Fields.forwardTo.block, log }) }));
    }
    await ack();
  });
}

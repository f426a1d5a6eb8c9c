// Submitting the assign and close modals. Everything is checked before answering Slack, so a
// problem shows as a field error in the modal; slow work (the DM) runs after the answer.
import { isResolution } from '../../../../core/conversation-status.ts';
import { assignConversation } from '../../../../usecases/assign.ts';
import { closeConversation } from '../../../../usecases/close.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { selectedValue, selectedValues, textValue, type ViewValues } from '../../view-state.ts';
import { readAssignMetadata } from '../../../ui/views/assign.view.ts';
import { CLOSE_TICKET_VALUE, NOTE_MAX, readCloseMetadata } from '../../../ui/views/close.view.ts';
import type { ConversationKit } from '../conversation-kit.ts';
import { errorsFor, targetOf } from './submission-errors.ts';

export function registerAssignCloseSubmissions(app: BoltApp, kit: ConversationKit): void {
  const log = kit.log.child({ part: 'listeners/assign-close-submissions' });

  app.view(Views.assign, async ({ ack, body, view, client }) => {
    const values = view.state.values as ViewValues;
    const target = targetOf(readAssignMetadata(view.private_metadata)?.conversationNumber, values);
    if (!target.id) return void (await ack({ response_action: 'errors', errors: { [Fields.conversation.block]: 'Choose a conversation.' } }));
    const assignee = selectedValue(values, Fields.assignee);
    if (!assignee) return void (await ack({ response_action: 'errors', errors: { [Fields.assignee.block]: 'Choose a teammate.' } }));
    let tell: () => Promise<void>;
    try {
      ({ tell } = await assignConversation(kit.actionDeps(client), { conversationId: target.id, assigneeUserId: assignee, actorUserId: body.user.id }));
    } catch (err) {
      const errors = errorsFor(err, { pickerBlock: target.pickerBlock, fallback: Fields.assignee.block, byCode: { 'assign.bad_assignee': Fields.assignee.block }, log });
      return void (await ack({ response_action: 'errors', errors }));
    }
    await ack();
    await tell();
  });

  app.view(Views.close, async ({ ack, body, view, client }) => {
    const values = view.state.values as ViewValues;
    const meta = readCloseMetadata(view.private_metadata);
    const target = targetOf(meta?.conversationNumber, values);
    if (!target.id) return void (await ack({ response_action: 'errors', errors: { [Fields.conversation.block]: 'Choose a conversation.' } }));
    const resolution = selectedValue(values, Fields.resolution);
    if (!isResolution(resolution)) return void (await ack({ response_action: 'errors', errors: { [Fields.resolution.block]: 'Choose a resolution.' } }));
    const note = textValue(values, Fields.note);
    if (note.length > NOTE_MAX) return void (await ack({ response_action: 'errors', errors: { [Fields.note.block]: `Keep the note under ${NOTE_MAX} characters.` } }));
    // The checkbox is there (checked by default) only when there is a ticket to close.
    const closeTicket = selectedValues(values, Fields.closeTicket).includes(CLOSE_TICKET_VALUE);
    try {
      const outcome = await closeConversation(kit.actionDeps(client), { conversationId: target.id, actorUserId: body.user.id, resolution, note, closeTicket });
      if (!outcome.changed)
        return void (await ack({ response_action: 'errors', errors: { [target.pickerBlock ?? Fields.resolution.block]: `Conversation #${target.id} is already closed.` } }));
    } catch (err) {
      return void (await ack({ response_action: 'errors', errors: errorsFor(err, { pickerBlock: target.pickerBlock, fallback: Fields.resolution.block, log }) }));
    }
    await ack();
  });
}

// Submitting the snooze modal: a preset read in the inbox's (else the teammate's) time zone, a
// date and time from the picker, or "until the customer writes" (waiting on the customer).
import { presetTime } from '../../../../core/when.ts';
import { snoozeConversation, waitOnCustomer } from '../../../../usecases/snooze.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { isSnoozeChoice, readSnoozeMetadata } from '../../../ui/views/snooze.view.ts';
import { dateTimeValue, selectedValue, type ViewValues } from '../../view-state.ts';
import type { ConversationKit } from '../conversation-kit.ts';
import { errorsFor } from './submission-errors.ts';

export function registerSnoozeSubmission(app: BoltApp, kit: ConversationKit): void {
  const log = kit.log.child({ part: 'listeners/snooze-submit' });

  app.view(Views.snooze, async ({ ack, body, view, client }) => {
    const values = view.state.values as ViewValues;
    const id = readSnoozeMetadata(view.private_metadata)?.conversationNumber;
    const c = id ? kit.store.conversations.byId(id) : undefined;
    const choice = selectedValue(values, Fields.snoozeWhen);
    if (!c) return void (await ack({ response_action: 'errors', errors: { [Fields.snoozeWhen.block]: 'This conversation no longer exists.' } }));
    if (!isSnoozeChoice(choice)) return void (await ack({ response_action: 'errors', errors: { [Fields.snoozeWhen.block]: 'Choose until when.' } }));
    const picked = dateTimeValue(values, Fields.snoozeAt);
    if (choice === 'at' && picked === null) return void (await ack({ response_action: 'errors', errors: { [Fields.snoozeAt.block]: 'Pick a date and time.' } }));
    const deps = kit.actionDeps(client);
    try {
      if (choice === 'wait') await waitOnCustomer(deps, { conversationId: c.id, actorUserId: body.user.id });
      else {
        const until = choice === 'at' ? picked! : presetTime(choice, { now: Date.now(), zone: (await kit.zoneFor(c.inboxId, body.user.id)).name });
        await snoozeConversation(deps, { conversationId: c.id, actorUserId: body.user.id, until });
      }
    } catch (err) {
      const errors = errorsFor(err, { pickerBlock: null, fallback: Fields.snoozeWhen.block, byCode: { 'time.bad_time': Fields.snoozeAt.block }, log });
      return void (await ack({ response_action: 'errors', errors }));
    }
    await ack();
  });
}

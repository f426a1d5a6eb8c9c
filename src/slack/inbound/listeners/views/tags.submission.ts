// Saving the tag picker (the whole set: what was taken out is removed), and serving its options:
// the inbox's tags matching what was typed, and the typed word as a new tag when any tag goes.
import { changeTags } from '../../../../usecases/tags.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { readTagsMetadata, tagPickerOptions } from '../../../ui/views/tags.view.ts';
import { selectedValues, type ViewValues } from '../../view-state.ts';
import type { ConversationKit } from '../conversation-kit.ts';
import { errorsFor } from './submission-errors.ts';

export function registerTagsSubmission(app: BoltApp, kit: ConversationKit): void {
  const log = kit.log.child({ part: 'listeners/tags-submission' });

  app.view(Views.tags, async ({ ack, body, view, client }) => {
    const meta = readTagsMetadata(view.private_metadata);
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [Fields.tags.block]: 'This conversation no longer exists.' } }));
    const set = selectedValues(view.state.values as ViewValues, Fields.tags);
    try {
      await changeTags(kit.tagDeps(client), { conversationId: meta.conversationNumber, actorUserId: body.user.id, set });
    } catch (err) {
      return void (await ack({ response_action: 'errors', errors: errorsFor(err, { pickerBlock: null, fallback: Fields.tags.block, log }) }));
    }
    await ack();
  });

  app.options<'block_suggestion'>({ action_id: Fields.tags.action }, async ({ ack, body }) => {
    const view = (body as { view?: { private_metadata?: string } }).view;
    const c = kit.store.conversations.byId(readTagsMetadata(view?.private_metadata)?.conversationNumber ?? 0);
    // Only members see an inbox's tags.
    if (!c || !(await kit.isMember(c.inboxId, body.user.id))) return void (await ack({ options: [] }));
    const query = String((body as { value?: unknown }).value ?? '');
    await ack(tagPickerOptions({ query, known: kit.store.tags.usedIn(c.inboxId), allowed: kit.vocabulary(c.inboxId) }));
  });
}

// Options of the conversation picker (`/assign`, `/close`): active conversations of the inboxes
// the person is a member of, matching what they typed (number, subject or sender), the command's
// channel first, then newest first.
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { readAssignMetadata } from '../../../ui/views/assign.view.ts';
import { readCloseMetadata } from '../../../ui/views/close.view.ts';
import { conversationOptions } from '../../../ui/views/conversation-picker.view.ts';
import type { ConversationKit } from '../conversation-kit.ts';

const MAX_OPTIONS = 50;

export function registerConversationPicker(app: BoltApp, kit: ConversationKit): void {
  app.options<'block_suggestion'>({ action_id: Fields.conversation.action }, async ({ ack, body }) => {
    const view = (body as { view?: { callback_id?: string; private_metadata?: string } }).view;
    const meta = view?.callback_id === Views.close ? readCloseMetadata(view.private_metadata) : readAssignMetadata(view?.private_metadata);
    const userId = body.user.id;
    const inboxes = kit.store.inboxes.all().filter((i) => kit.runtime(i.id));
    const member = await Promise.all(inboxes.map((i) => kit.isMember(i.id, userId)));
    const inboxIds = inboxes.filter((_, n) => member[n]).map((i) => i.id);
    const found = inboxIds.length
      ? kit.store.conversations.searchActive((body as { value?: string }).value ?? '', { inboxIds, ...(meta?.channelId ? { channelId: meta.channelId } : {}), limit: MAX_OPTIONS })
      : [];
    await ack(conversationOptions(found.map(kit.option)));
  });
}

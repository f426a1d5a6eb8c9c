// A teammate's open and pending conversations (`/mailroom mine`, App Home), newest first, each
// with a link to its thread when the workspace URL is known.
import type { Store } from '../store/index.ts';
import type { MineItemVM } from '../slack/ui/views/mine.view.ts';
import { permalink } from './parent-view.ts';

export interface MyConversationsDeps {
  store: Store;
  teamUrl?: () => string | null;
}

export function myConversations(deps: MyConversationsDeps, userId: string, limit = 200): MineItemVM[] {
  const { store } = deps;
  const teamUrl = deps.teamUrl?.() ?? null;
  const inboxNames = new Map(store.inboxes.all().map((i) => [i.id, i.name]));
  return store.conversations.activeFor(userId, limit).map((c) => {
    const contact = c.contactId ? store.contacts.byId(c.contactId) : undefined;
    return {
      number: c.id,
      subject: c.subject,
      contact: contact ? contact.name.trim() || contact.email : '(unknown)',
      inboxName: inboxNames.get(c.inboxId) ?? 'Inbox',
      status: c.status,
      permalink: permalink(teamUrl, c.channelId, c.slackTs),
    };
  });
}

// `/mailroom search …` and its "More results" button: the search use case with what it needs
// from Slack (which inboxes the person is in, who `@name` is), answered privately.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { describeError } from '../../../../errors.ts';
import { searchConversations, type SearchDeps } from '../../../../usecases/search.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions } from '../../../ui/ids.ts';
import { readMoreValue, searchMessage } from '../../../ui/views/search.view.ts';
import { memberInboxes, statsSla } from '../inbox-access.ts';
import { overdueNow } from '../../../../usecases/overdue.ts';
import type { ListenerDeps } from '../register-listeners.ts';

export function searchDeps(deps: ListenerDeps): SearchDeps {
  return {
    store: deps.store,
    teamUrl: deps.teamUrl,
    memberInboxIds: async (userId) => (await memberInboxes(deps, userId)).map((i) => i.inbox.id),
    overdueIds: () => (statsSla(deps).enabled ? overdueNow(deps.store, (id, at) => deps.timekeeper.view(id, at), Date.now()).map((o) => o.conversation.id) : null),
    findUser: async (name, inboxIds) => {
      const members = new Set((await Promise.all(inboxIds.map((id) => deps.inboxes.members(id)))).flat());
      return deps.directory.findByName(name, [...members]);
    },
  };
}

/** The answer to `/mailroom search TEXT` (or the page after `belowId`). */
export async function searchAnswer(deps: ListenerDeps, o: { userId: string; text: string; belowId?: number }) {
  const r = await searchConversations(searchDeps(deps), o);
  if (!r.ok) return { text: r.reason };
  return searchMessage({ query: r.query, items: r.items, more: r.more, notes: r.notes, continued: !!o.belowId });
}

export function registerSearchMore(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/search-more' });
  app.action<BlockAction<ButtonAction>>(Actions.searchMore, async ({ ack, body, action, respond }) => {
    await ack();
    const more = readMoreValue(action.value);
    if (!more) return;
    try {
      await respond({ response_type: 'ephemeral', replace_original: false, ...(await searchAnswer(deps, { userId: body.user.id, text: more.q, belowId: more.below })) });
    } catch (err) {
      log.error({ err: describeError(err) }, 'search failed');
    }
  });
}

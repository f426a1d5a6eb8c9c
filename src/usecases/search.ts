// `/mailroom search …`: the conversations of the inboxes the person is a member of (never
// others) whose subject, senders, email text or notes hold every word, narrowed by the filters;
// newest first, a page at a time; `is:overdue` is the conversations past their response target.
import { describeSearch, ftsMatch, isEmptySearch, parseSearch, type SearchQuery } from '../core/search-query.ts';
import type { ConversationStatus } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import { permalink } from './parent-view.ts';

export const PAGE = 20;

export interface SearchDeps {
  store: Store;
  /** Inboxes the person is a member of. */
  memberInboxIds: (userId: string) => Promise<number[]>;
  /** The member of these inboxes called `name` (`assignee:@ana`), or null. */
  findUser: (name: string, inboxIds: readonly number[]) => Promise<string | null>;
  teamUrl: () => string | null;
  /** The conversations past their response target now, or null when no inbox has targets. */
  overdueIds?: () => number[] | null;
}

export interface SearchItem {
  number: number;
  subject: string;
  contact: { name: string; address: string };
  inboxName: string;
  status: ConversationStatus;
  assigneeUserId: string | null;
  tags: string[];
  permalink: string | null;
}

export type SearchOutcome =
  | { ok: false; reason: string }
  | { ok: true; query: string; items: SearchItem[]; more: { text: string; belowId: number } | null; notes: string[] };

const STATUSES: Record<string, ConversationStatus[]> = { open: ['open'], pending: ['pending'], waiting: ['pending'], closed: ['closed'], snoozed: ['snoozed'] };

export async function searchConversations(deps: SearchDeps, o: { userId: string; text: string; belowId?: number | null }): Promise<SearchOutcome> {
  const q = parseSearch(o.text);
  if (q.problems.length) return { ok: false, reason: `I can't read that: ${q.problems.join('; ')}.` };
  if (isEmptySearch(q)) return { ok: false, reason: 'Say what to look for: words, and filters such as `from:`, `tag:`, `status:`, `assignee:me`, `before:2026-03-01`.' };
  const overdue = q.overdue ? (deps.overdueIds?.() ?? null) : undefined;
  if (overdue === null) return { ok: false, reason: 'No inbox has response targets (`sla:`), so no conversation is overdue.' };
  const inboxIds = await deps.memberInboxIds(o.userId);
  if (!inboxIds.length) return { ok: false, reason: 'You are not a member of any inbox, so there is nothing for you to search.' };
  const assignee = await assigneeOf(deps, q, o.userId, inboxIds);
  if (assignee === false) return { ok: false, reason: `I don't know who \`@${'name' in (q.assignee ?? {}) ? (q.assignee as { name: string }).name.replace(/[`<>&]/g, '') : ''}\` is among your inboxes' members.` };
  const notes = q.status === 'waiting' ? ['`status:waiting`: waiting on the customer, which Mailroom shows as *Pending*.'] : [];
  const found = deps.store.search.find({
    match: ftsMatch(q),
    inboxIds,
    statuses: q.status ? STATUSES[q.status] : null,
    ...(assignee !== undefined ? { assignee } : {}),
    tags: q.tags,
    before: q.before,
    after: q.after,
    belowId: o.belowId ?? null,
    ids: overdue ?? null,
    limit: PAGE + 1,
  });
  const page = found.slice(0, PAGE);
  const tags = deps.store.tags.ofMany(page.map((c) => c.id));
  const inboxNames = new Map(deps.store.inboxes.all().map((i) => [i.id, i.name]));
  const teamUrl = deps.teamUrl();
  const items = page.map((c): SearchItem => {
    const contact = c.contactId ? deps.store.contacts.byId(c.contactId) : undefined;
    return {
      number: c.id,
      subject: c.subject,
      contact: { name: contact?.name ?? '', address: contact?.email ?? '' },
      inboxName: inboxNames.get(c.inboxId) ?? 'Inbox',
      status: c.status,
      assigneeUserId: c.assigneeUserId,
      tags: tags.get(c.id) ?? [],
      permalink: permalink(teamUrl, c.channelId, c.slackTs),
    };
  });
  const more = found.length > PAGE ? { text: o.text, belowId: page[page.length - 1]!.id } : null;
  return { ok: true, query: describeSearch(q), items, more, notes };
}

/** undefined: anyone; null: unassigned; a user id; false: a name nobody has. */
async function assigneeOf(deps: SearchDeps, q: SearchQuery, userId: string, inboxIds: readonly number[]): Promise<string | null | undefined | false> {
  const a = q.assignee;
  if (!a) return undefined;
  if ('me' in a) return userId;
  if ('none' in a) return null;
  if ('userId' in a) return a.userId;
  return (await deps.findUser(a.name, inboxIds)) ?? false;
}

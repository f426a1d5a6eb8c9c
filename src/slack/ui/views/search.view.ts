// `/mailroom search` results (an ephemeral message): one line per conversation, newest first —
// number and subject (linked to the thread), sender, status, assignee, tags, inbox — and a
// "More results" button carrying the query and where the page ended. Subjects and senders come
// from email: escaped like all email text.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { ConversationStatus } from '../../../core/conversation-status.ts';
import type { Address } from '../../../core/types.ts';
import { toFallback } from '../blocks/fallback.ts';
import { isUserId, link, userMention } from '../blocks/mentions.ts';
import { Limits, addressMrkdwn, esc, md, oneLine, plain } from '../blocks/text.ts';
import { Actions } from '../ids.ts';

export interface SearchResultVM {
  number: number;
  subject: string;
  contact: Address;
  inboxName: string;
  status: ConversationStatus;
  assigneeUserId: string | null;
  tags: readonly string[];
  permalink: string | null;
}

export interface SearchVM {
  query: string;
  items: readonly SearchResultVM[];
  more: { text: string; belowId: number } | null;
  notes?: readonly string[];
  /** This page follows another ("more"). */
  continued?: boolean;
}

const STATUS: Record<ConversationStatus, string> = { open: ':large_green_circle: Open', pending: ':hourglass_flowing_sand: Pending', snoozed: ':zzz: Snoozed', closed: ':white_check_mark: Closed' };
const MAX_QUERY_IN_BUTTON = 1500;

export const moreValueSchema = z.object({ q: z.string().max(MAX_QUERY_IN_BUTTON), below: z.number().int().positive() });

export function readMoreValue(raw: string | undefined): z.output<typeof moreValueSchema> | null {
  try {
    const parsed = moreValueSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function searchResultLine(r: SearchResultVM): string {
  const title = link(r.permalink, `#${r.number} ${esc(oneLine(r.subject) || '(no subject)', 150)}`);
  const parts = [`*${title}*`, addressMrkdwn(r.contact), STATUS[r.status], r.assigneeUserId && isUserId(r.assigneeUserId) ? userMention(r.assigneeUserId) : 'Unassigned'];
  if (r.tags.length) parts.push(r.tags.slice(0, 8).map((t) => `\`${esc(t, 40)}\``).join(' '));
  parts.push(esc(oneLine(r.inboxName), 60));
  return parts.join(' · ');
}

export function searchMessage(vm: SearchVM): { text: string; blocks: KnownBlock[] } {
  const q = `\`${esc(oneLine(vm.query), 300).replace(/`/g, "'")}\``;
  const head = vm.items.length
    ? `*Search* ${q}: ${vm.items.length}${vm.more ? '+' : ''} ${vm.items.length === 1 && !vm.more ? 'conversation' : 'conversations'}${vm.continued ? ' more' : ''}, newest first`
    : `*Search* ${q}: ${vm.continued ? 'no more conversations' : 'no conversation matches'}.`;
  const blocks: KnownBlock[] = [{ type: 'section', text: md(head) }];
  for (const n of vm.notes ?? []) blocks.push({ type: 'context', elements: [md(n)] });
  for (const r of vm.items) blocks.push({ type: 'section', text: md(searchResultLine(r), Limits.sectionText) });
  if (vm.more) {
    const value = JSON.stringify({ q: vm.more.text.slice(0, MAX_QUERY_IN_BUTTON), below: vm.more.belowId });
    const more: ActionsBlock = { type: 'actions', elements: [{ type: 'button', action_id: Actions.searchMore, text: plain('More results', Limits.buttonText), value }] };
    blocks.push(more);
  }
  blocks.push({ type: 'context', elements: [md('Only you can see this. Words are looked for in subjects, senders, email text and notes; filters: `from:` `tag:` `status:` `assignee:me|@name|none` `before:` `after:`.')] });
  return { text: toFallback(head.replace(/\*/g, '')), blocks };
}

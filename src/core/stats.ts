// Figures for `/mailroom stats` and the App Home, computed from the event log. Pure: the caller
// passes the window's rows (only conversations received inside the window are timed, so nothing
// before it is needed) and the current backlog.
//
// Definitions:
// - received: conversations a customer started (conversation.created, origin 'email') in the window.
// - replied: distinct conversations with at least one reply.sent in the window; repliesSent: all of them.
// - closed: distinct conversations with a conversation.closed in the window.
// - first response: for each conversation received in the window, from its creation to the first
//   reply.sent at or after it and no later than the window's end, following moves (a reply in the
//   conversation it was moved to counts). Median: the mean of the two middle values for an even
//   count; p90: nearest rank (the ⌈0.9·n⌉-th smallest).
// - per teammate: reply.sent and conversation.closed by actor in the window.
// - bounces: email.bounced in the window that are not delay warnings, by data.reason.
// - response targets: see sla-stats.ts.
import type { ConversationStatus } from './conversation-status.ts';
import { eventData, type EventRow } from './event-types.ts';
import { median, percentile } from './quantiles.ts';
import { computeSla, type ClockStat, type OverdueItem, type SlaFigures } from './sla-stats.ts';

export { median, percentile } from './quantiles.ts';
export { computeSla, type Attainment, type ClockStat, type OverdueItem, type SlaFigures } from './sla-stats.ts';

export interface StatsWindow {
  from: number;
  to: number;
}

export interface BacklogItem {
  status: ConversationStatus;
  assigneeUserId: string | null;
  createdAt: number;
}

export interface TeammateFigures {
  userId: string;
  replies: number;
  closes: number;
}

export interface StatsReport {
  window: StatsWindow;
  received: number;
  replied: number;
  repliesSent: number;
  closed: number;
  firstResponse: { count: number; medianMs: number | null; p90Ms: number | null; withoutReply: number };
  /** Most active first (replies + closes), then by user id. */
  perTeammate: TeammateFigures[];
  backlog: { open: number; pending: number; snoozed: number; unassigned: number; oldestCreatedAt: number | null };
  /** Per tag: conversations started in the window, and how many of all so tagged are not closed (from the store, not the log). */
  tags?: Array<{ tag: string; started: number; active: number }>;
  /** Our emails that bounced in the window (delay warnings aside), by reason, most first. */
  bounces: { total: number; byReason: Array<{ reason: string; count: number }> };
  /** Response targets, when an inbox has them. */
  sla: SlaFigures | null;
}

export function computeStats(input: {
  events: readonly EventRow[];
  window: StatsWindow;
  backlog?: readonly BacklogItem[];
  sla?: { clocks: readonly ClockStat[]; overdue: readonly OverdueItem[]; inboxNames?: Readonly<Record<number, string>> } | null;
}): StatsReport {
  const { window } = input;
  const inWindow = (at: number) => at >= window.from && at <= window.to;
  const events = [...input.events].sort((a, b) => a.at - b.at);

  const created = new Map<number, number>();
  const repliesByConversation = new Map<number, number[]>();
  const movedTo = new Map<number, number>();
  const repliedIds = new Set<number>();
  const closedIds = new Set<number>();
  const people = new Map<string, TeammateFigures>();
  const person = (id: string) => people.get(id) ?? people.set(id, { userId: id, replies: 0, closes: 0 }).get(id)!;
  let repliesSent = 0;
  const bounceReasons = new Map<string, number>();

  for (const e of events) {
    const id = e.conversationId;
    const data = eventData(e);
    if (e.type === 'conversation.created' && id !== null && inWindow(e.at)) {
      const origin = data.origin ?? 'email';
      if (origin === 'email' && !created.has(id)) created.set(id, e.at);
    } else if (e.type === 'reply.sent' && id !== null) {
      const list = repliesByConversation.get(id) ?? [];
      list.push(e.at);
      repliesByConversation.set(id, list);
      if (inWindow(e.at)) {
        repliesSent += 1;
        repliedIds.add(id);
        if (e.actorUserId) person(e.actorUserId).replies += 1;
      }
    } else if (e.type === 'conversation.closed' && id !== null && inWindow(e.at)) {
      closedIds.add(id);
      if (e.actorUserId) person(e.actorUserId).closes += 1;
    } else if (e.type === 'email.bounced' && inWindow(e.at) && data.delayed !== true) {
      const reason = typeof data.reason === 'string' ? data.reason : 'undefined';
      bounceReasons.set(reason, (bounceReasons.get(reason) ?? 0) + 1);
    } else if (e.type === 'conversation.moved' && id !== null) {
      const to = data.toConversationId;
      if (typeof to === 'number') movedTo.set(id, to);
    }
  }

  const durations: number[] = [];
  let withoutReply = 0;
  for (const [id, startedAt] of created) {
    const first = firstReplyAt(id, startedAt, window.to, repliesByConversation, movedTo);
    if (first === null) withoutReply += 1;
    else durations.push(first - startedAt);
  }
  durations.sort((a, b) => a - b);

  return {
    window,
    received: created.size,
    replied: repliedIds.size,
    repliesSent,
    closed: closedIds.size,
    firstResponse: { count: durations.length, medianMs: median(durations), p90Ms: percentile(durations, 0.9), withoutReply },
    perTeammate: [...people.values()].sort(
      (a, b) => b.replies + b.closes - (a.replies + a.closes) || a.userId.localeCompare(b.userId),
    ),
    backlog: backlogFigures(input.backlog ?? []),
    bounces: {
      total: [...bounceReasons.values()].reduce((a, b) => a + b, 0),
      byReason: [...bounceReasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    },
    sla: input.sla ? computeSla(input.sla.clocks, input.sla.overdue, input.sla.inboxNames) : null,
  };
}

function firstReplyAt(
  id: number,
  after: number,
  until: number,
  replies: Map<number, number[]>,
  movedTo: Map<number, number>,
): number | null {
  let best: number | null = null;
  const seen = new Set<number>();
  for (let cur: number | undefined = id; cur !== undefined && !seen.has(cur); cur = movedTo.get(cur)) {
    seen.add(cur);
    for (const at of replies.get(cur) ?? []) {
      if (at >= after && at <= until && (best === null || at < best)) best = at;
    }
  }
  return best;
}

function backlogFigures(items: readonly BacklogItem[]): StatsReport['backlog'] {
  const active = items.filter((c) => c.status !== 'closed');
  return {
    open: active.filter((c) => c.status === 'open').length,
    pending: active.filter((c) => c.status === 'pending').length,
    snoozed: active.filter((c) => c.status === 'snoozed').length,
    unassigned: active.filter((c) => !c.assigneeUserId).length,
    oldestCreatedAt: active.length > 0 ? Math.min(...active.map((c) => c.createdAt)) : null,
  };
}

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
export const DEFAULT_WINDOW = '7d';
const MAX_WINDOW_MS = 366 * UNIT_MS.d;

/** `24h`, `7d`, `30d`, `2w` → milliseconds and a label; null for anything else. */
export function parseWindow(text: string | null | undefined): { ms: number; label: string } | null {
  const m = /^\s*(\d{1,4})\s*([hdw])\s*$/i.exec(text ?? '');
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase() as keyof typeof UNIT_MS;
  const ms = n * UNIT_MS[unit];
  if (n < 1 || ms > MAX_WINDOW_MS) return null;
  const word = { h: 'hour', d: 'day', w: 'week' }[unit];
  return { ms, label: `last ${n} ${word}${n === 1 ? '' : 's'}` };
}

/** `42s`, `17m`, `3h 5m`, `2d 4h`: durations for people. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

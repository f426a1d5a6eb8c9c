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
// - response targets (when an inbox has them): the SLA clocks that ended in the window. A clock
//   answered in time is within target; one answered late, or closed after its deadline, is not;
//   one closed in time without an answer (spam, no reply needed) is not counted. Time over target
//   is business time, median and p90 of the clocks over target. By inbox, and by teammate (who
//   answered, else the assignee). Overdue: open clocks past their deadline now, most overdue first.
import type { ConversationStatus } from './conversation-status.ts';
import { eventData, type EventRow } from './event-types.ts';

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

/** An SLA clock that ended in the window (store: sla_clocks). */
export interface ClockStat {
  conversationId: number;
  inboxId: number;
  outcome: 'met' | 'breached' | 'dropped';
  overMs: number;
  answeredBy: string | null;
  assigneeUserId: string | null;
}

export interface OverdueItem {
  conversationId: number;
  inboxId: number;
  overMs: number;
  assigneeUserId: string | null;
  subject?: string;
}

export interface Attainment {
  /** Clocks met or missed. */
  counted: number;
  within: number;
  /** within / counted, or null when nothing was counted. */
  share: number | null;
}

export interface SlaFigures extends Attainment {
  overMedianMs: number | null;
  overP90Ms: number | null;
  perInbox: Array<Attainment & { inboxId: number; name: string }>;
  perTeammate: Array<Attainment & { userId: string }>;
  overdue: OverdueItem[];
}

export function computeSla(clocks: readonly ClockStat[], overdue: readonly OverdueItem[], inboxNames: Readonly<Record<number, string>> = {}): SlaFigures {
  const counted = clocks.filter((c) => c.outcome !== 'dropped');
  const tally = (list: readonly ClockStat[]): Attainment => {
    const within = list.filter((c) => c.outcome === 'met').length;
    return { counted: list.length, within, share: list.length ? within / list.length : null };
  };
  const group = <K>(key: (c: ClockStat) => K | null) => {
    const m = new Map<K, ClockStat[]>();
    for (const c of counted) {
      const k = key(c);
      if (k !== null) m.set(k, [...(m.get(k) ?? []), c]);
    }
    return m;
  };
  const over = counted.filter((c) => c.outcome === 'breached').map((c) => c.overMs).sort((a, b) => a - b);
  return {
    ...tally(counted),
    overMedianMs: median(over),
    overP90Ms: percentile(over, 0.9),
    perInbox: [...group((c) => c.inboxId)].map(([inboxId, l]) => ({ inboxId, name: inboxNames[inboxId] ?? `Inbox ${inboxId}`, ...tally(l) })).sort((a, b) => a.name.localeCompare(b.name)),
    perTeammate: [...group((c) => c.answeredBy ?? c.assigneeUserId)].map(([userId, l]) => ({ userId, ...tally(l) })).sort((a, b) => b.counted - a.counted || a.userId.localeCompare(b.userId)),
    overdue: [...overdue].sort((a, b) => b.overMs - a.overMs || a.conversationId - b.conversationId),
  };
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

/** Sorted input. */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile of sorted input; `p` in (0, 1]. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
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

// The figures of `/mailroom stats` and the App Home: the event log of the window plus the open
// backlog as it is now, through the pure computeStats.
import type { ClockView } from '../core/sla.ts';
import { computeStats, DEFAULT_WINDOW, parseWindow, type OverdueItem, type StatsReport } from '../core/stats.ts';
import type { Store } from '../store/index.ts';
import { overdueNow } from './overdue.ts';

export interface StatsRequest {
  /** `7d`, `30d`, `24h`…; the default window when empty. */
  window?: string | null;
  now?: number;
  /** Response targets: whether any inbox has them, and how far past its deadline a conversation's clock is (time-keeping.ts). */
  sla?: { enabled: boolean; view: (conversationId: number, now: number) => ClockView | null } | null;
}

export type StatsOutcome =
  | { ok: true; report: StatsReport; window: string; label: string }
  | { ok: false; reason: 'bad-window' };

/** Enough for any real backlog; the figures only need status, assignee and age. */
const BACKLOG_LIMIT = 100_000;

export function statsReport(store: Store, req: StatsRequest = {}): StatsOutcome {
  const text = req.window?.trim() || DEFAULT_WINDOW;
  const parsed = parseWindow(text);
  if (!parsed) return { ok: false, reason: 'bad-window' };
  const to = req.now ?? Date.now();
  const window = { from: to - parsed.ms, to };
  // events.between excludes its end: +1 keeps an event recorded this very millisecond.
  const events = store.events.between(window.from, window.to + 1);
  const backlog = store.conversations.searchActive('', { limit: BACKLOG_LIMIT });
  const report = { ...computeStats({ events, window, backlog, sla: slaInput(store, req, window) }), tags: store.tags.counts(window.from, window.to + 1) };
  return { ok: true, report, window: text.toLowerCase().replace(/\s+/g, ''), label: parsed.label };
}

function slaInput(store: Store, req: StatsRequest, window: { from: number; to: number }) {
  if (!req.sla?.enabled) return null;
  const view = req.sla.view;
  const clocks = store.slaClocks.endedBetween(window.from, window.to + 1).map((c) => ({ ...c, outcome: c.outcome ?? 'dropped', overMs: c.overMs ?? 0 }));
  const overdue: OverdueItem[] = overdueNow(store, view, window.to).map(({ conversation: c, overMs }) => ({ conversationId: c.id, inboxId: c.inboxId, overMs, assigneeUserId: c.assigneeUserId, subject: c.subject }));
  return { clocks, overdue, inboxNames: Object.fromEntries(store.inboxes.all().map((i) => [i.id, i.name])) };
}

// The figures of `/mailroom stats` and the App Home: the event log of the window plus the open
// backlog as it is now, through the pure computeStats.
import { computeStats, DEFAULT_WINDOW, parseWindow, type StatsReport } from '../core/stats.ts';
import type { Store } from '../store/index.ts';

export interface StatsRequest {
  /** `7d`, `30d`, `24h`…; the default window when empty. */
  window?: string | null;
  now?: number;
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
  const report = computeStats({ events, window, backlog });
  return { ok: true, report, window: text.toLowerCase().replace(/\s+/g, ''), label: parsed.label };
}

// Response-target figures for `/mailroom stats` and the App Home (see stats.ts). Pure.
//
// When an inbox has targets: the SLA clocks that ended in the window. A clock
//   answered in time is within target; one answered late, or closed after its deadline, is not;
//   one closed in time without an answer (spam, no reply needed) is not counted. Time over target
//   is business time, median and p90 of the clocks over target. By inbox, and by teammate (who
//   answered, else the assignee). Overdue: open clocks past their deadline now, most overdue first.
import { median, percentile } from './quantiles.ts';

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

// Conversations past their response target now: the open clocks whose deadline went by, for the
// stats ("overdue now") and for search (`is:overdue`).
import type { ClockView } from '../core/sla.ts';
import type { Conversation } from '../core/types.ts';
import type { Store } from '../store/index.ts';

/** How far past its deadline a conversation's clock is (time-keeping.ts `view`). */
export type ClockOf = (conversationId: number, now: number) => ClockView | null;

export function overdueNow(store: Store, view: ClockOf, at: number): { conversation: Conversation; overMs: number }[] {
  const out: { conversation: Conversation; overMs: number }[] = [];
  for (const open of store.slaClocks.open()) {
    const v = view(open.conversationId, at);
    const c = store.conversations.byId(open.conversationId);
    if (v?.state === 'overdue' && c && c.status !== 'closed' && !c.movedToId) out.push({ conversation: c, overMs: v.overMs });
  }
  return out;
}

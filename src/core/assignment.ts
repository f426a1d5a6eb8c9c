// Automatic assignment of a new conversation among an inbox's members. Pure: the caller passes
// the candidates (people, no bots), the last person assigned, and open counts for least-open.
//
//   round-robin — the next candidate after the last one assigned, in a stable (sorted) order;
//                 when the last one has left the inbox, the next one after where they were.
//   least-open  — the candidate with the fewest open or pending conversations in the inbox;
//                 ties go to the round-robin order, so equal loads still take turns.

export type AssignRule = 'none' | 'round-robin' | 'least-open';

export interface AssigneeChoice {
  rule: AssignRule;
  candidates: readonly string[];
  lastAssigned: string | null;
  /** Active conversations per candidate (least-open). Missing candidates count 0. */
  openCounts?: ReadonlyMap<string, number>;
}

/** Candidates in turn order, starting right after the last one assigned. */
export function turnOrder(candidates: readonly string[], lastAssigned: string | null): string[] {
  const sorted = [...new Set(candidates)].sort();
  if (!lastAssigned) return sorted;
  const after = sorted.findIndex((u) => u > lastAssigned);
  const start = after === -1 ? 0 : after;
  return [...sorted.slice(start), ...sorted.slice(0, start)];
}

export function chooseAssignee(c: AssigneeChoice): string | null {
  if (c.rule === 'none') return null;
  const order = turnOrder(c.candidates, c.lastAssigned);
  if (order.length === 0) return null;
  if (c.rule === 'round-robin') return order[0]!;
  let best = order[0]!;
  for (const u of order) if ((c.openCounts?.get(u) ?? 0) < (c.openCounts?.get(best) ?? 0)) best = u;
  return best;
}

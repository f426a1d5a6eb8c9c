// Response-target clocks: the open one of a conversation, and the ended ones the stats read.
import { and, asc, desc, eq, gte, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Clock, ClockKind, ClockOutcome } from '../core/sla.ts';
import type { Db } from './db.ts';
import { slaClocks } from './schema.ts';

export interface SlaClockRow extends Clock {
  id: number;
  conversationId: number;
  inboxId: number;
  endedAt: number | null;
  outcome: ClockOutcome | null;
  overMs: number | null;
  answeredBy: string | null;
  assigneeUserId: string | null;
}

const toRow = (r: typeof slaClocks.$inferSelect): SlaClockRow => ({ ...r, kind: r.kind as ClockKind, outcome: r.outcome as ClockOutcome | null });

export function createSlaClockRepo(db: Db) {
  return {
    /** The conversation's clock that has not ended, if any. */
    current(conversationId: number): SlaClockRow | undefined {
      const r = db.select().from(slaClocks).where(and(eq(slaClocks.conversationId, conversationId), isNull(slaClocks.endedAt))).get();
      return r && toRow(r);
    },
    byId(id: number): SlaClockRow | undefined {
      const r = db.select().from(slaClocks).where(eq(slaClocks.id, id)).get();
      return r && toRow(r);
    },
    start(conversationId: number, inboxId: number, c: Clock): SlaClockRow {
      return toRow(db.insert(slaClocks).values({ ...c, conversationId, inboxId }).returning().get());
    },
    update(id: number, c: Pick<Clock, 'usedMs' | 'runningSince' | 'dueAt'>): void {
      db.update(slaClocks).set({ usedMs: c.usedMs, runningSince: c.runningSince, dueAt: c.dueAt }).where(eq(slaClocks.id, id)).run();
    },
    /** Another target for this clock (a routing rule's `sla`); time-keeping then computes its deadline again. */
    retarget(id: number, targetMs: number): void {
      db.update(slaClocks).set({ targetMs }).where(and(eq(slaClocks.id, id), isNull(slaClocks.endedAt))).run();
    },
    /** The deadline passed: false when it was already marked. */
    breach(id: number, at: number): boolean {
      return db.update(slaClocks).set({ breachedAt: at }).where(and(eq(slaClocks.id, id), isNull(slaClocks.breachedAt), isNull(slaClocks.endedAt))).run().changes > 0;
    },
    end(id: number, e: { at: number; outcome: ClockOutcome; overMs: number; usedMs: number; answeredBy: string | null; assigneeUserId: string | null }): void {
      db.update(slaClocks)
        .set({ endedAt: e.at, outcome: e.outcome, overMs: e.overMs, usedMs: e.usedMs, runningSince: null, answeredBy: e.answeredBy, assigneeUserId: e.assigneeUserId })
        .where(and(eq(slaClocks.id, id), isNull(slaClocks.endedAt)))
        .run();
    },
    /** When the conversation's latest ended clock ended. */
    lastEndedAt(conversationId: number): number | null {
      const r = db
        .select({ at: slaClocks.endedAt })
        .from(slaClocks)
        .where(and(eq(slaClocks.conversationId, conversationId), isNotNull(slaClocks.endedAt)))
        .orderBy(desc(slaClocks.endedAt))
        .limit(1)
        .get();
      return r?.at ?? null;
    },
    /** Clocks not ended (running or paused), oldest deadline first. */
    open(): SlaClockRow[] {
      return db.select().from(slaClocks).where(isNull(slaClocks.endedAt)).orderBy(asc(slaClocks.dueAt), asc(slaClocks.id)).all().map(toRow);
    },
    /** Clocks that ended in [from, to). */
    endedBetween(from: number, to: number): SlaClockRow[] {
      return db.select().from(slaClocks).where(and(gte(slaClocks.endedAt, from), lt(slaClocks.endedAt, to))).all().map(toRow);
    },
  };
}
export type SlaClockRepo = ReturnType<typeof createSlaClockRepo>;

// The timer rows the scheduler picks (schema.ts `timers`). A timer is claimed (waiting →
// firing) in the transaction that stores what it changes, and marked done once what it says is
// in Slack, so a crash in between finds it `firing` and finishes it without doing it twice.
import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { TimerKind } from '../core/timers.ts';
import type { Db } from './db.ts';
import { timers } from './schema.ts';

export type TimerStatus = 'waiting' | 'firing' | 'done' | 'cancelled';

export interface TimerRow {
  id: number;
  kind: TimerKind;
  conversationId: number | null;
  refId: number | null;
  dueAt: number;
  status: TimerStatus;
  eventId: number | null;
  createdBy: string | null;
  createdAt: number;
  firedAt: number | null;
}

export interface TimerKey {
  kind: TimerKind;
  conversationId: number;
  /** The clock, the outbox row, or 0 for a conversation's single snooze / auto-close. */
  refId: number;
}

const toRow = (r: typeof timers.$inferSelect): TimerRow => ({ ...r, kind: r.kind as TimerKind, status: r.status as TimerStatus });
const keyOf = (k: TimerKey) => and(eq(timers.kind, k.kind), eq(timers.conversationId, k.conversationId), eq(timers.refId, k.refId));

/** `fence` (store/index.ts): a process that lost the writer lease claims no timer, so it says and sends nothing. */
export function createTimerRepo(db: Db, { fence }: { fence: () => void } = { fence: () => undefined }) {
  const dueQ = db
    .select()
    .from(timers)
    .where(and(eq(timers.status, 'waiting'), lte(timers.dueAt, sql.placeholder('now'))))
    .orderBy(asc(timers.dueAt), asc(timers.id))
    .limit(sql.placeholder('limit'))
    .prepare();
  return {
    /**
     * The keyed timer is due at `dueAt` (null: not at all). A waiting or cancelled one moves; a
     * done one stays done unless `again` and the time differs (a new snooze, the next redraw), so
     * setting the same thing twice never fires it twice.
     */
    set(k: TimerKey, dueAt: number | null, o: { again?: boolean; createdBy?: string | null } = {}): void {
      if (dueAt === null) {
        db.update(timers).set({ status: 'cancelled' }).where(and(keyOf(k), eq(timers.status, 'waiting'))).run();
        return;
      }
      const revive = o.again
        ? sql`${timers.status} in ('waiting', 'cancelled') or (${timers.status} = 'done' and ${timers.dueAt} <> excluded.due_at)`
        : sql`${timers.status} in ('waiting', 'cancelled')`;
      db.insert(timers)
        .values({ ...k, dueAt, createdBy: o.createdBy ?? null })
        .onConflictDoUpdate({
          target: [timers.kind, timers.conversationId, timers.refId],
          set: { dueAt, status: 'waiting', eventId: null, firedAt: null, createdBy: o.createdBy ?? null },
          setWhere: revive,
        })
        .run();
    },
    /** A timer of its own (a reminder): several may wait on one conversation. */
    add(t: { kind: TimerKind; conversationId: number; refId?: number | null; dueAt: number; createdBy?: string | null; createdAt?: number }): TimerRow {
      return toRow(db.insert(timers).values({ ...t, refId: t.refId ?? null, createdBy: t.createdBy ?? null, ...(t.createdAt ? { createdAt: t.createdAt } : {}) }).returning().get());
    },
    byId(id: number): TimerRow | undefined {
      const r = db.select().from(timers).where(eq(timers.id, id)).get();
      return r && toRow(r);
    },
    get(k: TimerKey): TimerRow | undefined {
      const r = db.select().from(timers).where(keyOf(k)).get();
      return r && toRow(r);
    },
    /** Waiting timers of a conversation, of these kinds (all when none given). */
    waitingFor(conversationId: number, kinds?: TimerKind[]): TimerRow[] {
      return db
        .select()
        .from(timers)
        .where(and(eq(timers.conversationId, conversationId), eq(timers.status, 'waiting'), kinds ? inArray(timers.kind, kinds) : undefined))
        .orderBy(asc(timers.dueAt))
        .all()
        .map(toRow);
    },
    /** Cancel waiting timers of a conversation, of these kinds; returns how many. */
    cancelFor(conversationId: number, kinds: TimerKind[]): number {
      return db.update(timers).set({ status: 'cancelled' }).where(and(eq(timers.conversationId, conversationId), eq(timers.status, 'waiting'), inArray(timers.kind, kinds))).run().changes;
    },
    /** Cancel one waiting timer; false when it already fired or was cancelled. */
    cancel(id: number): boolean {
      return db.update(timers).set({ status: 'cancelled' }).where(and(eq(timers.id, id), eq(timers.status, 'waiting'))).run().changes > 0;
    },
    /** Waiting timers due at `now`, oldest first. */
    due(now: number, limit: number): TimerRow[] {
      return dueQ.all({ now, limit }).map(toRow);
    },
    nextDueAt(): number | null {
      const r = db.select({ at: min(timers.dueAt) }).from(timers).where(eq(timers.status, 'waiting')).get();
      return r?.at ?? null;
    },
    /** Take a due timer to fire it (inside the firing's transaction): false when something else changed it first. */
    claim(id: number, at: number): boolean {
      fence();
      return db.update(timers).set({ status: 'firing', firedAt: at }).where(and(eq(timers.id, id), eq(timers.status, 'waiting'))).run().changes > 0;
    },
    /** The event the firing's note shows (found by it after a crash). */
    setEvent(id: number, eventId: number): void {
      db.update(timers).set({ eventId }).where(eq(timers.id, id)).run();
    },
    done(id: number): void {
      db.update(timers).set({ status: 'done' }).where(and(eq(timers.id, id), inArray(timers.status, ['waiting', 'firing']))).run();
    },
    /** Timers claimed but not finished when the process stopped. */
    firing(): TimerRow[] {
      return db.select().from(timers).where(eq(timers.status, 'firing')).orderBy(asc(timers.id)).all().map(toRow);
    },
    /** The send timer of an outbox row. */
    ofOutbox(outboxId: number): TimerRow | undefined {
      const r = db.select().from(timers).where(and(eq(timers.kind, 'send'), eq(timers.refId, outboxId))).get();
      return r && toRow(r);
    },
    /** Waiting counts by kind (/healthz, tests). */
    waitingCounts(): Partial<Record<TimerKind, number>> {
      const rows = db.select({ kind: timers.kind, n: sql<number>`count(*)` }).from(timers).where(eq(timers.status, 'waiting')).groupBy(timers.kind).all();
      return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    },
  };
}
export type TimerRepo = ReturnType<typeof createTimerRepo>;

import { and, eq, gte, lt } from 'drizzle-orm';
import type { EventType } from '../core/event-types.ts';
import type { Db } from './db.ts';
import { events } from './schema.ts';

export interface EventRecord {
  type: EventType;
  inboxId?: number | null;
  conversationId?: number | null;
  actorUserId?: string | null;
  data?: Record<string, unknown>;
  at?: number;
}

export interface EventRow {
  id: number;
  at: number;
  type: string;
  inboxId: number | null;
  conversationId: number | null;
  actorUserId: string | null;
  data: Record<string, unknown>;
}

export function createEventRepo(db: Db) {
  return {
    /** Appends an event; returns its id (a note that shows it carries it, to be found after a crash). */
    record(e: EventRecord): number {
      return db.insert(events)
        .values({
          type: e.type,
          inboxId: e.inboxId ?? null,
          conversationId: e.conversationId ?? null,
          actorUserId: e.actorUserId ?? null,
          data: JSON.stringify(e.data ?? {}),
          at: e.at ?? Date.now(),
        })
        .returning({ id: events.id })
        .get().id;
    },
    byId(id: number): EventRow | undefined {
      const r = db.select().from(events).where(eq(events.id, id)).get();
      return r && { ...r, data: JSON.parse(r.data) as Record<string, unknown> };
    },
    between(from: number, to: number): EventRow[] {
      return db
        .select()
        .from(events)
        .where(and(gte(events.at, from), lt(events.at, to)))
        .orderBy(events.at, events.id)
        .all()
        .map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
    },
  };
}
export type EventRepo = ReturnType<typeof createEventRepo>;

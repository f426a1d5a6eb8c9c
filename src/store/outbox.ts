import { and, asc, eq, gt, inArray, isNull, lte, min, or, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { outbox, recipientLog, slackEvents } from './schema.ts';

/** `waiting`: the inbox's sign-in is unavailable (OAuth2); nothing is wrong with the email, no attempt is counted. */
export type OutboxStatus = 'scheduled' | 'pending' | 'sending' | 'retry' | 'waiting' | 'sent' | 'failed' | 'cancelled' | 'held';
export type OutboxKind = 'reply' | 'compose' | 'forward';

export interface OutboxRow {
  id: number;
  conversationId: number | null;
  inboxId: number;
  kind: OutboxKind;
  slackChannel: string | null;
  slackTs: string | null;
  slackUserId: string;
  status: OutboxStatus;
  payload: unknown;
  messageId: string;
  sendAt: number;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  sentAt: number | null;
  /** Put back in the outbox after it bounced ("Send again", at most once). */
  resentAt: number | null;
  resentBy: string | null;
  createdAt: number;
}

export interface NewOutbox {
  conversationId: number | null;
  inboxId: number;
  kind: OutboxKind;
  slackChannel?: string | null;
  slackTs?: string | null;
  slackUserId: string;
  payload: unknown;
  messageId: string;
  sendAt: number;
  /** `scheduled`: it waits for its time (the scheduler's `send` timer), not for the worker. */
  status?: 'scheduled';
}

function toRow(r: typeof outbox.$inferSelect): OutboxRow {
  return { ...r, kind: r.kind as OutboxKind, status: r.status as OutboxStatus, payload: JSON.parse(r.payload) as unknown };
}

export function createOutboxRepo(db: Db, { fence }: { fence: () => void } = { fence: () => undefined }) {
  /** A sending write: only while this process holds the writer lease, checked in the same transaction. */
  const fenced = <T>(fn: () => T): T => db.$client.transaction(() => {
    fence();
    return fn();
  })();
  const due = or(
    and(eq(outbox.status, 'pending'), lte(outbox.sendAt, sql.placeholder('now'))),
    and(inArray(outbox.status, ['retry', 'waiting']), lte(outbox.nextAttemptAt, sql.placeholder('now'))),
  );
  const dueQuery = db.select().from(outbox).where(due).orderBy(asc(outbox.id)).limit(50).prepare();
  return {
    /** Stores a new email to send; a second call for the same Slack message returns the first row. */
    add(n: NewOutbox): { row: OutboxRow; created: boolean } {
      if (n.slackChannel && n.slackTs) {
        const existing = this.bySlackMessage(n.slackChannel, n.slackTs);
        if (existing) return { row: existing, created: false };
      }
      const r = db
        .insert(outbox)
        .values({ ...n, slackChannel: n.slackChannel ?? null, slackTs: n.slackTs ?? null, payload: JSON.stringify(n.payload) })
        .returning()
        .get();
      return { row: toRow(r), created: true };
    },
    byId(id: number): OutboxRow | undefined {
      const r = db.select().from(outbox).where(eq(outbox.id, id)).get();
      return r && toRow(r);
    },
    byMessageId(messageId: string): OutboxRow | undefined {
      const r = db.select().from(outbox).where(eq(outbox.messageId, messageId)).get();
      return r && toRow(r);
    },
    /**
     * A sent email that bounced goes out again, once, under its own Message-ID ("Send again").
     * False when it was never sent, is already on its way again, or was sent again before.
     */
    resend(id: number, at: number, userId: string): boolean {
      return (
        db
          .update(outbox)
          .set({ status: 'retry', sendAt: at, nextAttemptAt: at, resentAt: at, resentBy: userId, lastError: null })
          .where(and(eq(outbox.id, id), eq(outbox.status, 'sent'), isNull(outbox.resentAt)))
          .run().changes > 0
      );
    },
    bySlackMessage(channel: string, ts: string): OutboxRow | undefined {
      const r = db.select().from(outbox).where(and(eq(outbox.slackChannel, channel), eq(outbox.slackTs, ts))).get();
      return r && toRow(r);
    },
    /** Change what a pending email says (an edit in the undo window). False when it already left. */
    updatePending(id: number, payload: unknown): boolean {
      return (
        db.update(outbox).set({ payload: JSON.stringify(payload) }).where(and(eq(outbox.id, id), eq(outbox.status, 'pending'))).run()
          .changes > 0
      );
    },
    /** A held email is now shown in Slack: tie it to that message and let it go at `at`. False when it already left. */
    release(id: number, shown: { channel: string; ts: string }, at: number): boolean {
      return (
        db
          .update(outbox)
          .set({ slackChannel: shown.channel, slackTs: shown.ts, sendAt: at })
          .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')))
          .run().changes > 0
      );
    },
    /** A scheduled email is shown in Slack: tie it to that message. False when it is no longer scheduled. */
    tieScheduled(id: number, shown: { channel: string; ts: string }): boolean {
      return (
        db.update(outbox).set({ slackChannel: shown.channel, slackTs: shown.ts }).where(and(eq(outbox.id, id), eq(outbox.status, 'scheduled'))).run().changes > 0
      );
    },
    /** Its time came: into the outbox, due at `at` (its Date header). False when it was cancelled or already released. */
    releaseScheduled(id: number, at: number): boolean {
      return fenced(() => db.update(outbox).set({ status: 'pending', sendAt: at }).where(and(eq(outbox.id, id), eq(outbox.status, 'scheduled'))).run().changes > 0);
    },
    /** Cancel a scheduled email (Cancel, or its Slack message deleted). False when it already went. */
    cancelScheduled(id: number): boolean {
      return db.update(outbox).set({ status: 'cancelled' }).where(and(eq(outbox.id, id), eq(outbox.status, 'scheduled'))).run().changes > 0;
    },
    /** Scheduled emails, soonest first (of one conversation when given). */
    scheduled(conversationId?: number): OutboxRow[] {
      const where = conversationId === undefined ? eq(outbox.status, 'scheduled') : and(eq(outbox.status, 'scheduled'), eq(outbox.conversationId, conversationId));
      return db.select().from(outbox).where(where).orderBy(asc(outbox.sendAt)).all().map(toRow);
    },
    /** Cancel a pending email (deleted in the undo window). False when it already left. */
    cancelPending(id: number): boolean {
      return db.update(outbox).set({ status: 'cancelled' }).where(and(eq(outbox.id, id), eq(outbox.status, 'pending'))).run().changes > 0;
    },
    due(now: number): OutboxRow[] {
      return dueQuery.all({ now }).map(toRow);
    },
    /** When the next pending or retrying email falls due, or null. */
    nextDueAt(): number | null {
      const r = db
        .select({
          a: min(sql<number>`case when ${outbox.status} = 'pending' then ${outbox.sendAt} else ${outbox.nextAttemptAt} end`),
        })
        .from(outbox)
        .where(inArray(outbox.status, ['pending', 'retry', 'waiting']))
        .get();
      return r?.a === null || r?.a === undefined ? null : Number(r.a);
    },
    /** Emails not yet gone, by status (for /metrics and /healthz); of one inbox when given. */
    depth(inboxId?: number): Record<'pending' | 'sending' | 'retry' | 'waiting', number> {
      const out = { pending: 0, sending: 0, retry: 0, waiting: 0 };
      const open = inArray(outbox.status, ['pending', 'sending', 'retry', 'waiting']);
      const rows = db
        .select({ status: outbox.status, n: sql<number>`count(*)` })
        .from(outbox)
        .where(inboxId === undefined ? open : and(open, eq(outbox.inboxId, inboxId)))
        .groupBy(outbox.status)
        .all();
      for (const r of rows) out[r.status as keyof typeof out] = r.n;
      return out;
    },
    /** Claim a due email for sending (one attempt). False if something else changed it first. */
    claim(id: number): boolean {
      return fenced(() =>
        db
          .update(outbox)
          .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1` })
          .where(and(eq(outbox.id, id), inArray(outbox.status, ['pending', 'retry', 'waiting'])))
          .run().changes > 0,
      );
    },
    /** Emails that were being sent when the process stopped. */
    inFlight(): OutboxRow[] {
      return db.select().from(outbox).where(eq(outbox.status, 'sending')).all().map(toRow);
    },
    markSent(id: number, at: number): void {
      fenced(() => db.update(outbox).set({ status: 'sent', sentAt: at, lastError: null }).where(eq(outbox.id, id)).run());
    },
    markRetry(id: number, at: number, error: string): void {
      fenced(() => db.update(outbox).set({ status: 'retry', nextAttemptAt: at, lastError: error }).where(eq(outbox.id, id)).run());
    },
    /** Back to waiting for the inbox's sign-in: the attempt just claimed does not count. */
    markWaiting(id: number, at: number, error: string): void {
      fenced(() => db.update(outbox).set({ status: 'waiting', nextAttemptAt: at, lastError: error, attempts: sql`max(${outbox.attempts} - 1, 0)` }).where(eq(outbox.id, id)).run());
    },
    /** The inbox's sign-in works again: its waiting emails are due now. Returns how many. */
    wakeWaiting(inboxId: number, at: number): number {
      return db.update(outbox).set({ nextAttemptAt: at }).where(and(eq(outbox.inboxId, inboxId), eq(outbox.status, 'waiting'))).run().changes;
    },
    markFailed(id: number, error: string, status: 'failed' | 'held' = 'failed'): void {
      fenced(() => db.update(outbox).set({ status, lastError: error }).where(eq(outbox.id, id)).run());
    },
    /** Put a failed or held email back in line (a person asked to retry, or an in-flight one resumes). */
    requeue(id: number, at: number): void {
      fenced(() => db.update(outbox).set({ status: 'retry', nextAttemptAt: at }).where(eq(outbox.id, id)).run());
    },
    /** Per-recipient log for the hourly limit. */
    recipients: {
      log(addresses: string[], at: number): void {
        if (addresses.length) db.insert(recipientLog).values(addresses.map((a) => ({ address: a.toLowerCase(), at }))).run();
      },
      countsSince(addresses: string[], since: number): Record<string, number> {
        const lower = addresses.map((a) => a.toLowerCase());
        const out: Record<string, number> = Object.fromEntries(lower.map((a) => [a, 0]));
        if (!lower.length) return out;
        const rows = db
          .select({ a: recipientLog.address, n: sql<number>`count(*)` })
          .from(recipientLog)
          .where(and(inArray(recipientLog.address, lower), gt(recipientLog.at, since)))
          .groupBy(recipientLog.address)
          .all();
        for (const r of rows) out[r.a] = r.n;
        return out;
      },
    },
    /** Slack event ids: true the first time an id is seen. */
    firstSight(eventId: string): boolean {
      return db.insert(slackEvents).values({ eventId }).onConflictDoNothing().run().changes > 0;
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;

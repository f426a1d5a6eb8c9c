import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { imapSync } from './schema.ts';

export interface SyncState {
  uidValidity: string;
  lastUid: number;
  startedAt: number;
  /** A date-filtered pass is unfinished (see schema). */
  rescanPending: boolean;
}

export function createImapSyncRepo(db: Db, { fence }: { fence: () => void } = { fence: () => undefined }) {
  const p = sql.placeholder;
  const getQ = db
    .select({ uidValidity: imapSync.uidValidity, lastUid: imapSync.lastUid, startedAt: imapSync.startedAt, rescanPending: imapSync.rescanPending })
    .from(imapSync)
    .where(and(eq(imapSync.inboxId, p('inboxId')), eq(imapSync.mailbox, p('mailbox'))))
    .prepare();
  // Runs with every email stored: prepared once.
  const advanceQ = db
    .update(imapSync)
    .set({ lastUid: sql`max(${imapSync.lastUid}, ${p('uid')})`, updatedAt: sql`${p('now')}` })
    .where(
      and(eq(imapSync.inboxId, p('inboxId')), eq(imapSync.mailbox, p('mailbox')), eq(imapSync.uidValidity, p('uidValidity')), eq(imapSync.rescanPending, false)),
    )
    .prepare();
  return {
    get(inboxId: number, mailbox: string): SyncState | undefined {
      return getQ.get({ inboxId, mailbox });
    },
    /** Set the whole state (first start, or a UIDVALIDITY change). */
    reset(inboxId: number, mailbox: string, state: SyncState): void {
      fence();
      db.insert(imapSync)
        .values({ inboxId, mailbox, ...state })
        .onConflictDoUpdate({
          target: [imapSync.inboxId, imapSync.mailbox],
          set: { ...state, updatedAt: Date.now() },
        })
        .run();
    },
    /**
     * Move the high-water mark forward (never back). Runs inside the ingest transaction; does
     * nothing during an unfinished date-filtered pass (which records its end itself).
     */
    advance(inboxId: number, mailbox: string, uidValidity: string, uid: number): void {
      fence();
      advanceQ.run({ inboxId, mailbox, uidValidity, uid, now: Date.now() });
    },
  };
}
export type ImapSyncRepo = ReturnType<typeof createImapSyncRepo>;

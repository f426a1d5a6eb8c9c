// The writer lease: one row saying which process may write, until when, and its epoch (a new
// holder, a new epoch). `holds` is what the fenced writes ask, inside their own transaction.
import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { leases } from './schema.ts';

export interface LeaseToken {
  holder: string;
  epoch: number;
}

export interface LeaseRow extends LeaseToken {
  heartbeatAt: number;
  expiresAt: number;
}

const NAME = 'writer';

export function createLeaseRepo(db: Db) {
  const currentQ = db.select().from(leases).where(eq(leases.name, NAME)).prepare();
  const current = (): LeaseRow | undefined => {
    const r = currentQ.get();
    return r && { holder: r.holder, epoch: r.epoch, heartbeatAt: r.heartbeatAt, expiresAt: r.expiresAt };
  };
  return {
    current,
    /**
     * Takes the lease when it is free, expired, already ours, or its holder is known to be gone
     * (`gone`: a process of this machine that no longer runs); null when another process holds it.
     */
    acquire(holder: string, now: number, ttlMs: number, gone: (holder: string) => boolean = () => false): LeaseToken | null {
      return db.$client.transaction(() => {
        const row = current();
        if (row && row.holder !== holder && row.expiresAt > now && !gone(row.holder)) return null;
        const epoch = row && row.holder === holder ? row.epoch : (row?.epoch ?? 0) + 1;
        const values = { holder, epoch, heartbeatAt: now, expiresAt: now + ttlMs };
        db.insert(leases).values({ name: NAME, ...values }).onConflictDoUpdate({ target: leases.name, set: values }).run();
        return { holder, epoch };
      }).immediate();
    },
    /** Keeps the lease a while longer; false when it is no longer ours. */
    renew(t: LeaseToken, now: number, ttlMs: number): boolean {
      return db.$client.transaction(() => {
        if (!holds(t, now)) return false;
        db.update(leases).set({ heartbeatAt: now, expiresAt: now + ttlMs }).where(eq(leases.name, NAME)).run();
        return true;
      }).immediate();
    },
    /** Gives the lease up at once (a clean stop): the standby need not wait for it to expire. */
    release(t: LeaseToken): void {
      const row = current();
      if (row?.holder === t.holder && row.epoch === t.epoch) db.update(leases).set({ expiresAt: 0 }).where(eq(leases.name, NAME)).run();
    },
    holds,
  };
  function holds(t: LeaseToken, now: number): boolean {
    const row = current();
    return !!row && row.holder === t.holder && row.epoch === t.epoch && row.expiresAt > now;
  }
}
export type LeaseRepo = ReturnType<typeof createLeaseRepo>;

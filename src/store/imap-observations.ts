// What the running app has seen of an inbox's IMAP server, kept for doctor, which can't see it in
// one short session: whether new mail was announced while idling or found by the NOOP check (lazy
// IDLE), whether the server renumbers the mailbox, and whether sessions keep failing. One row of
// the settings table per inbox; a different server (host, port, user, mailbox) starts afresh.
import type { Db } from './db.ts';
import { createSettingsRepo } from './settings.ts';

export interface ImapObservations {
  server: string;
  /** New mail while idling: announced by the server, or found by Mailroom's NOOP check. */
  idle: { pushed: number; foundByCheck: number };
  /** A new UIDVALIDITY seen on an empty mailbox / on one with mail. */
  renumbered: { empty: number; withMail: number };
  /** Sessions failing now: in a row, since when, why the last one ended. Null: healthy. */
  failing: { failures: number; since: number; lastError: string | null } | null;
  updatedAt: number;
}

export type ImapObservation = 'idle-pushed' | 'idle-found-by-check' | 'renumbered-empty' | 'renumbered';

const fresh = (server: string): ImapObservations => ({ server, idle: { pushed: 0, foundByCheck: 0 }, renumbered: { empty: 0, withMail: 0 }, failing: null, updatedAt: 0 });

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

function parse(text: string | undefined, server: string): ImapObservations {
  if (!text) return fresh(server);
  try {
    const v = JSON.parse(text) as Partial<ImapObservations>;
    if (v.server !== server) return fresh(server);
    const f = v.failing;
    return {
      server,
      idle: { pushed: count(v.idle?.pushed), foundByCheck: count(v.idle?.foundByCheck) },
      renumbered: { empty: count(v.renumbered?.empty), withMail: count(v.renumbered?.withMail) },
      failing: f && typeof f.since === 'number' ? { failures: count(f.failures), since: f.since, lastError: typeof f.lastError === 'string' ? f.lastError : null } : null,
      updatedAt: count(v.updatedAt),
    };
  } catch {
    return fresh(server);
  }
}

export function createImapObservationRepo(db: Db) {
  const settings = createSettingsRepo(db);
  const key = (inboxKey: string) => `imap_observed:${inboxKey}`;
  const update = (inboxKey: string, server: string, change: (o: ImapObservations) => void) => {
    const o = parse(settings.get(key(inboxKey)), server);
    change(o);
    o.updatedAt = Date.now();
    settings.set(key(inboxKey), JSON.stringify(o));
  };
  return {
    /** What was seen on this server (zeros when nothing yet, or only on another server). */
    get(inboxKey: string, server: string): ImapObservations {
      return parse(settings.get(key(inboxKey)), server);
    },
    count(inboxKey: string, server: string, what: ImapObservation): void {
      update(inboxKey, server, (o) => {
        if (what === 'idle-pushed') o.idle.pushed++;
        else if (what === 'idle-found-by-check') o.idle.foundByCheck++;
        else if (what === 'renumbered-empty') o.renumbered.empty++;
        else o.renumbered.withMail++;
      });
    },
    setFailing(inboxKey: string, server: string, failing: ImapObservations['failing']): void {
      update(inboxKey, server, (o) => {
        o.failing = failing && { ...failing, lastError: failing.lastError?.slice(0, 300) ?? null };
      });
    },
  };
}
export type ImapObservationRepo = ReturnType<typeof createImapObservationRepo>;

/** Which server a set of observations is about. */
export const observedServer = (imap: { host: string; port: number; user: string; mailbox: string }) => `${imap.host}:${imap.port}/${imap.user}/${imap.mailbox}`;

// The numbers an IMAP server gives about a mailbox (UIDVALIDITY, UIDNEXT, EXISTS, UIDs), checked
// before anything is stored, and what the watcher's sync state becomes when it opens the mailbox:
// the first start's high-water mark, a renumbered mailbox's rescan, or nothing to do. Pure: the
// reads themselves are in mailbox-reads.ts. Not every server gives every number: RFC 3501 lets a
// server leave UIDNEXT out of SELECT/EXAMINE (Courier does), so the mark comes from what there is.

/** UIDs, UIDNEXT and UIDVALIDITY are nz-numbers (RFC 3501 §9): 1 to 2^32 − 1. */
const MAX_UINT32 = 4_294_967_295;

/** A UID or UIDNEXT as read from a server, or null when it is missing or not one. */
export function uidOf(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_UINT32 ? n : null;
}

/** A UIDVALIDITY as the decimal text it is stored as, or null when it is missing or not one. */
export function uidValidityOf(value: unknown): string | null {
  const n = uidOf(value);
  return n === null ? null : String(n);
}

/** A message count (EXISTS, STATUS MESSAGES), or null. */
export function countOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT32 ? value : null;
}

/** Where the first start's high-water mark came from, for the log and for doctor. */
export type MarkSource = 'uidnext' | 'status' | 'search' | 'fetch' | 'empty' | 'dates';

export interface SyncState {
  uidValidity: string;
  lastUid: number;
  /** Mail with an earlier INTERNALDATE predates Mailroom (first start minus any backfill). */
  startedAt: number;
  /** A date-filtered pass (backfill, rescan) is unfinished: it starts again with the filter. */
  rescanPending: boolean;
}

/** The mailbox as this session opened it, every number checked (null: the server did not say). */
export interface OpenedMailbox {
  uidValidity: string;
  exists: number | null;
  uidNext: number | null;
}

/** The highest UID in the mailbox, when the server gave no UIDNEXT in SELECT/EXAMINE. */
export interface HighestUid {
  /** 0 when the mailbox is empty; null when no answer could tell. */
  uid: number | null;
  source: MarkSource;
}

export type SyncEvent = 'first-start' | 'backfill' | 'renumbered' | 'renumbered-empty' | 'resumed' | 'unchanged';

const DAY = 24 * 60 * 60 * 1000;

/** The last UID an empty mailbox can be said to have seen: anything that arrives later is above it. */
export const emptyMark = (opened: OpenedMailbox) => (opened.uidNext === null ? 0 : opened.uidNext - 1);

/**
 * Whether deciding the sync state needs the highest UID read from the server (a first start on a
 * mailbox with mail in it, without UIDNEXT): the caller reads it only then.
 */
export function needsHighestUid(previous: SyncState | undefined, opened: OpenedMailbox, backfillDays: number): boolean {
  return !previous && backfillDays <= 0 && opened.uidNext === null && opened.exists !== 0;
}

/**
 * The sync state once the mailbox is open.
 * - First start: only mail from now on, above the high-water mark (or every mail of the backfill
 *   window, by date). Without any mark at all, a date-filtered pass from now does the same job.
 * - A new UIDVALIDITY on a mailbox with mail in it: rescan everything since the first start by
 *   date (Message-ID de-duplication skips what was posted). On an empty one there is nothing to
 *   rescan: the new UIDVALIDITY is taken as it is (some servers give one at every login while a
 *   mailbox is empty).
 */
export function reconcileSync(
  previous: SyncState | undefined,
  opened: OpenedMailbox,
  o: { now: number; backfillDays: number; highest?: HighestUid | null },
): { state: SyncState; event: SyncEvent; source?: MarkSource } {
  const { uidValidity } = opened;
  if (!previous) {
    if (o.backfillDays > 0) return { state: { uidValidity, lastUid: 0, startedAt: o.now - o.backfillDays * DAY, rescanPending: true }, event: 'backfill' };
    if (opened.uidNext !== null) return { state: { uidValidity, lastUid: opened.uidNext - 1, startedAt: o.now, rescanPending: false }, event: 'first-start', source: 'uidnext' };
    if (opened.exists === 0) return { state: { uidValidity, lastUid: 0, startedAt: o.now, rescanPending: false }, event: 'first-start', source: 'empty' };
    const h = o.highest;
    if (h && h.uid !== null) return { state: { uidValidity, lastUid: h.uid, startedAt: o.now, rescanPending: false }, event: 'first-start', source: h.source };
    return { state: { uidValidity, lastUid: 0, startedAt: o.now, rescanPending: true }, event: 'first-start', source: 'dates' };
  }
  if (previous.uidValidity !== uidValidity) {
    if (opened.exists === 0) return { state: { uidValidity, lastUid: emptyMark(opened), startedAt: previous.startedAt, rescanPending: false }, event: 'renumbered-empty' };
    return { state: { uidValidity, lastUid: 0, startedAt: previous.startedAt, rescanPending: true }, event: 'renumbered' };
  }
  return { state: previous, event: previous.rescanPending ? 'resumed' : 'unchanged' };
}

/** Throws a clear error instead of storing a state no server answer should have produced. */
export function assertStorable(state: SyncState): SyncState {
  if (!uidValidityOf(state.uidValidity)) throw new Error(`refusing to store UIDVALIDITY "${String(state.uidValidity)}": not a number from 1 to ${MAX_UINT32}`);
  if (!Number.isInteger(state.lastUid) || state.lastUid < 0 || state.lastUid > MAX_UINT32) throw new Error(`refusing to store last UID "${String(state.lastUid)}": not a number from 0 to ${MAX_UINT32}`);
  if (!Number.isFinite(state.startedAt)) throw new Error('refusing to store a start time that is not a time');
  return state;
}

// "… is replying" on a conversation's parent message: who has the reply modal open, and who has a
// reply waiting in its undo window. Kept in memory (it means nothing after a restart) with an
// expiry on every mark, so a modal closed without Slack telling us, or a lost event, can't leave a
// name on the parent for ever. Whenever a conversation's set of names changes, `onChange` asks
// for the parent to be redrawn.

/** A reply modal left open this long stops counting (Slack may never say it was closed). */
export const MODAL_TTL_MS = 15 * 60_000;

export interface PendingReplyMark {
  conversationId: number;
  userId: string;
  /** End of the undo window. */
  sendAt: number;
}

export interface CollisionOptions {
  /** The conversation's set of names changed: redraw its parent (also: `onChange` on the tracker). */
  onChange?: (conversationId: number) => void;
  /** Replies in their undo window right now (from the outbox). */
  pendingReplies?: (now: number) => PendingReplyMark[];
  now?: () => number;
  modalTtlMs?: number;
  /** Tests drive time by hand (`sweep`) instead of timers. */
  timers?: boolean;
}

type Marks = Map<number, Map<string, number>>;

/** Users whose mark has not expired at `now`, in the order they started. */
export function activeUsers(marks: ReadonlyMap<string, number> | undefined, now: number): string[] {
  return [...(marks ?? new Map<string, number>()).entries()].filter(([, until]) => until > now).map(([u]) => u);
}

export function createCollisionTracker(o: CollisionOptions) {
  const changeListeners: ((conversationId: number) => void)[] = o.onChange ? [o.onChange] : [];
  const now = o.now ?? Date.now;
  const ttl = o.modalTtlMs ?? MODAL_TTL_MS;
  const modal: Marks = new Map();
  let pending: Marks = new Map();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const namesOf = (id: number, at: number) => [...new Set([...activeUsers(modal.get(id), at), ...activeUsers(pending.get(id), at)])];

  /** What each parent last showed: a change is measured against it, so an expiry counts too. */
  const shown = new Map<number, string>();

  /** Runs `change`, then redraws every conversation whose names differ from what it shows. */
  function changing(ids: Iterable<number>, change: () => void): void {
    change();
    const at = now();
    for (const id of new Set([...ids, ...shown.keys()])) {
      const names = namesOf(id, at).join(',');
      if (names === (shown.get(id) ?? '')) continue;
      if (names) shown.set(id, names);
      else shown.delete(id);
      for (const l of changeListeners) l(id);
    }
    schedule();
  }

  function schedule(): void {
    if (o.timers === false || stopped) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const at = now();
    let next = Infinity;
    for (const marks of [modal, pending]) for (const users of marks.values()) for (const until of users.values()) if (until > at) next = Math.min(next, until);
    if (next === Infinity) return;
    timer = setTimeout(sweep, Math.min(next - at + 5, 2 ** 31 - 1));
    timer.unref?.();
  }

  /** Drop expired marks and re-read the undo window; redraw what changed. */
  function sweep(): void {
    const at = now();
    const ids = [...modal.keys(), ...pending.keys()];
    const fresh = readPending(at);
    changing([...ids, ...fresh.keys()], () => {
      for (const [id, users] of modal) {
        for (const [u, until] of users) if (until <= at) users.delete(u);
        if (users.size === 0) modal.delete(id);
      }
      pending = fresh;
    });
  }

  function readPending(at: number): Marks {
    const out: Marks = new Map();
    for (const p of o.pendingReplies?.(at) ?? []) {
      const users = out.get(p.conversationId) ?? new Map<string, number>();
      users.set(p.userId, Math.max(users.get(p.userId) ?? 0, p.sendAt));
      out.set(p.conversationId, users);
    }
    return out;
  }

  return {
    /** Hears every conversation whose "… is replying" names change. */
    onChange(listener: (conversationId: number) => void): void {
      changeListeners.push(listener);
    },
    /** The Reply modal opened (or is still open): `userId` is writing in `conversationId`. */
    markReplying(conversationId: number, userId: string, forMs: number = ttl): void {
      changing([conversationId], () => {
        const users = modal.get(conversationId) ?? new Map<string, number>();
        users.set(userId, now() + forMs);
        modal.set(conversationId, users);
      });
    },
    /** The Reply modal was submitted, cancelled or closed. */
    clearReplying(conversationId: number, userId: string): void {
      changing([conversationId], () => {
        modal.get(conversationId)?.delete(userId);
        if (modal.get(conversationId)?.size === 0) modal.delete(conversationId);
      });
    },
    /** Something was queued, edited or cancelled in the outbox: re-read the undo window. */
    syncPending: sweep,
    sweep,
    /** Who is replying in a conversation now (for the parent message). */
    replying(conversationId: number): string[] {
      return namesOf(conversationId, now());
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
export type CollisionTracker = ReturnType<typeof createCollisionTracker>;

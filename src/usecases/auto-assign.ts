// Automatic assignment of new conversations, per inbox (`assign: round-robin | least-open`).
// Ingestion picks inside its transaction, which can't wait on Slack, so the inbox's members
// (people only: the bot and other apps sit in channels too) are kept here and refreshed before
// each email is stored; the pick, the turn cursor and the conversation are one transaction. The
// DM and the thread note follow once the parent message is in Slack.
import type { Logger } from 'pino';
import { chooseAssignee, type AssignRule } from '../core/assignment.ts';
import { describeError } from '../errors.ts';
import { tellAssignee } from './assign.ts';
import type { ActionDeps } from './conversation-actions.ts';
import type { RoutingNote } from './routing.ts';

export interface AutoAssignDeps extends Pick<ActionDeps, 'store' | 'dm' | 'teamUrl' | 'isPerson' | 'postNote'> {
  /** Assignment rule by inbox id (inboxes without one are left out or 'none'). */
  rules: Map<number, AssignRule>;
  /** The inbox's members (channel, list or user group). */
  members: (inboxId: number) => Promise<string[]>;
  /** Runs `job` after everything already queued for that channel at that priority (the new parent first). */
  afterPosts: (channelId: string, key: string, job: () => Promise<void>, priority: 'live' | 'backlog') => void;
  logger: Logger;
  /** Members are re-read this often (the directory caches too). */
  refreshMs?: number;
  /** How long storing an email may wait for the first member list. */
  firstLoadWaitMs?: number;
  now?: () => number;
}

export function createAutoAssigner(deps: AutoAssignDeps) {
  const now = deps.now ?? Date.now;
  const refreshMs = deps.refreshMs ?? 60_000;
  const cache = new Map<number, { people: string[]; at: number }>();
  const loading = new Map<number, Promise<void>>();

  function load(inboxId: number): Promise<void> {
    const running = loading.get(inboxId);
    if (running) return running;
    const p = (async () => {
      try {
        const ids = await deps.members(inboxId);
        const people: string[] = [];
        for (const id of ids) if (await deps.isPerson(id)) people.push(id);
        cache.set(inboxId, { people, at: now() });
      } catch (err) {
        deps.logger.warn({ inbox: inboxId, err: describeError(err) }, 'could not read the inbox members for automatic assignment');
      } finally {
        loading.delete(inboxId);
      }
    })();
    loading.set(inboxId, p);
    return p;
  }

  return {
    /** Before storing an email: make sure members are known (waits briefly only the first time); `rotates`: a routing rule may rotate there. */
    async prepare(inboxId: number, rotates = false): Promise<void> {
      const rule = deps.rules.get(inboxId) ?? 'none';
      if (rule === 'none' && !rotates) return;
      const hit = cache.get(inboxId);
      if (hit && now() - hit.at < refreshMs) return;
      const p = load(inboxId);
      if (hit) return; // stale: refresh in the background, use what we have
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, deps.firstLoadWaitMs ?? 3000)))]);
      clearTimeout(timer);
    },
    /** Ingestion's hook (inside its transaction): the assignee of a new conversation, or null; `override`: a routing rule's rotation. */
    pick(inboxId: number, override?: 'round-robin' | 'least-open'): string | null {
      const rule = override ?? deps.rules.get(inboxId) ?? 'none';
      const people = cache.get(inboxId)?.people ?? [];
      const chosen = chooseAssignee({
        rule,
        candidates: people,
        lastAssigned: deps.store.inboxes.lastAssigned(inboxId),
        openCounts: rule === 'least-open' ? deps.store.conversations.openCountsByAssignee(inboxId, people) : undefined,
      });
      if (chosen) deps.store.inboxes.setLastAssigned(inboxId, chosen);
      return chosen;
    },
    /**
     * After a new conversation was stored: log the assignment, then (once posted) the notes — which
     * routing rules acted, who got it — and the DM.
     */
    announce(conversationId: number, priority: 'live' | 'backlog' = 'live', routing: RoutingNote | null = null): void {
      const c = deps.store.conversations.byId(conversationId);
      if (!c || (!c.assigneeUserId && !routing)) return;
      const byRule = routing && routing.assigneeUserId ? routing.rules[0] : undefined;
      if (c.assigneeUserId)
        deps.store.events.record({
          type: 'conversation.assigned',
          inboxId: c.inboxId,
          conversationId: c.id,
          data: { assigneeUserId: c.assigneeUserId, automatic: true, ...(byRule ? { rule: byRule } : {}) },
        });
      deps.afterPosts(c.channelId, `auto-assign:${c.id}`, async () => {
        const posted = deps.store.conversations.byId(c.id);
        if (!posted) return;
        // Notes need the parent; the DM goes anyway (it links to the thread when there is one).
        if (routing && posted.slackTs) {
          deps.postNote(posted, { kind: 'routed', ...routing });
          for (const n of routing.notes) deps.postNote(posted, { kind: 'rule-note', rule: n.rule, text: n.text });
        }
        if (!posted.assigneeUserId) return;
        if (posted.slackTs) deps.postNote(posted, { kind: 'assigned', assigneeUserId: posted.assigneeUserId, automatic: true, ...(byRule ? { rule: byRule } : {}) });
        await tellAssignee(deps, posted, null);
      }, priority);
    },
  };
}
export type AutoAssigner = ReturnType<typeof createAutoAssigner>;

// Routing rules acting on a new conversation. Ingestion asks `routeEmail` for the plan before it
// creates the conversation (a rule may start it in another inbox, or assign it), then
// `applyRouting` inside the same transaction (tags, ticket priority, closing, waiting) and, once
// the clock exists, `finishRouting` (the response target, the event), so a crash never leaves half
// a rule applied. The thread note saying which rule did what is posted after the
// parent (auto-assign.ts's announce).
import { transition } from '../core/conversation-status.ts';
import { parseDuration } from '../core/durations.ts';
import { evaluateRules, type EmailFacts, type RegexTest, type RoutingPlan } from '../core/rules.ts';
import type { Conversation } from '../core/types.ts';
import type { InboundEmail } from '../mail/types.ts';
import type { Store } from '../store/index.ts';
import type { ConfiguredInbox } from './inboxes.ts';
import { recordTagChange } from './tags.ts';
import type { Timekeeper } from './time-keeping.ts';

export interface Routed {
  plan: RoutingPlan;
  /** Where the conversation starts: the receiving inbox, or the one a rule moved it to. */
  target: ConfiguredInbox;
  from: ConfiguredInbox;
}

/** What the thread is told once the parent is posted. */
export interface RoutingNote {
  rules: string[];
  assigneeUserId: string | null;
  tags: string[];
  ticket: { id: number; priority: string } | null;
  closed: string | null;
  /** A rule set it waiting on the customer (pending). */
  waiting: boolean;
  /** A rule's first-response target (as written, and in ms), set by ingestion once the clock exists. */
  sla: string | null;
  slaTargetMs: number | null;
  movedFrom: string | null;
  /** Actions this version can't carry out yet. */
  notApplied: string[];
  /** Tags left out: not in the fixed list of the inbox the conversation landed in. */
  skippedTags: string[];
  notes: { rule: string; text: string }[];
}

export function factsOf(email: InboundEmail, contactAddress: string): EmailFacts {
  return {
    from: contactAddress,
    to: [...email.to, ...email.cc].map((a) => a.address.toLowerCase()),
    subject: email.subject,
    body: email.text,
    kind: email.kind,
    hasAttachment: email.attachments.some((a) => !a.inline),
  };
}

/** The plan of the inbox's rules for this email, and the inbox it lands in; null when no rule matches. */
export function routeEmail(o: { inbox: ConfiguredInbox; all: readonly ConfiguredInbox[]; facts: EmailFacts; test?: RegexTest }): Routed | null {
  const plan = evaluateRules(o.inbox.config.rules, o.facts, o.test);
  if (!plan) return null;
  const to = plan.move?.value.toLowerCase();
  const target = (to && o.all.find((i) => i.inbox.name.toLowerCase() === to || i.inbox.key === to)) || o.inbox;
  return { plan, target, from: o.inbox };
}

/** Inside ingestion's transaction, right after the conversation was created from a routed email. */
export function applyRouting(store: Store, c: Conversation, routed: Routed): RoutingNote {
  const { plan } = routed;
  const by = `rule:${plan.rules[0]}`;
  const tags = plan.tags.map((t) => t.value);
  // A rule's tags must fit the inbox the conversation lands in (the config checked its own inbox's list).
  const allowed = routed.target.config.tags;
  const fitting = allowed ? tags.filter((t) => allowed.includes(t)) : tags;
  if (fitting.length) recordTagChange(store, c, { add: fitting, remove: [], by, rule: plan.tags[0]!.rule });
  let ticket: RoutingNote['ticket'] = null;
  if (plan.priority) {
    const r = store.tickets.create({ conversationId: c.id, priority: plan.priority.value, createdBy: `rule:${plan.priority.rule}` });
    if (r.created) {
      ticket = { id: r.ticket.id, priority: r.ticket.priority };
      store.events.record({ type: 'ticket.created', inboxId: c.inboxId, conversationId: c.id, data: { ticketId: r.ticket.id, priority: r.ticket.priority, rule: plan.priority.rule } });
    }
  }
  if (plan.close) {
    store.conversations.setStatus(c.id, 'closed', plan.close.value);
    store.events.record({ type: 'conversation.closed', inboxId: c.inboxId, conversationId: c.id, data: { resolution: plan.close.value, ticketClosed: false, withNote: false, rule: plan.close.rule } });
  }
  // Waiting on the customer: pending without a reply; time-keeping (after this, in the same
  // transaction) then starts no response clock. A closing rule wins.
  let waiting = false;
  if (plan.waiting?.value && !plan.close) {
    const change = transition(c.status, 'wait');
    if (change.changed) {
      store.conversations.setStatus(c.id, change.status);
      store.events.record({ type: 'conversation.waiting', inboxId: c.inboxId, conversationId: c.id, data: { rule: plan.waiting.rule } });
      waiting = true;
    }
  }
  const notApplied: string[] = [];
  const skippedTags = tags.filter((t) => !fitting.includes(t));
  return {
    rules: plan.rules,
    assigneeUserId: store.conversations.byId(c.id)?.assigneeUserId ?? null,
    tags: fitting,
    ticket,
    closed: plan.close?.value ?? null,
    waiting,
    sla: plan.sla?.value ?? null,
    slaTargetMs: plan.sla ? parseDuration(plan.sla.value) : null,
    movedFrom: routed.target === routed.from ? null : routed.from.inbox.name,
    notApplied,
    skippedTags,
    notes: plan.notes.map((n) => ({ rule: n.rule, text: n.value })),
  };
}

/**
 * Once time-keeping made the new conversation's clock (same transaction): a rule's response
 * target replaces the inbox's for the first reply, or is not done; then the event says what the
 * rules did and did not do (the thread note's notApplied, the sla among them).
 */
export function finishRouting(store: Store, timekeeper: Pick<Timekeeper, 'retarget'> | undefined, c: Conversation, routed: Routed, note: RoutingNote): void {
  if (note.slaTargetMs && !timekeeper?.retarget(c.id, note.slaTargetMs)) note.notApplied.push(`response target ${note.sla}: the inbox has no response targets`);
  store.events.record({ type: 'conversation.routed', inboxId: c.inboxId, conversationId: c.id, data: { rules: routed.plan.rules, fromInboxId: routed.from.inbox.id, notApplied: note.notApplied, skippedTags: note.skippedTags } });
}

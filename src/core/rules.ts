// Routing rules of an inbox: what is true of a new conversation's first email (`when`) and what
// to do then (`then`). Pure: the configuration checks and builds rules, ingestion evaluates them
// on the facts of the email, and applies the plan. Rules run in order; the first that matches
// wins, unless it says `continue: true`, in which case the next ones are looked at too. When
// several match, the first to say something about an action decides it (tags add up, notes too).
import { addressMatches } from './address-glob.ts';
import type { Resolution, TicketPriority } from './conversation-status.ts';
import type { EmailKind } from './types.ts';

/** Text in a subject or body: a phrase (case-insensitive, anywhere), or a regex `/…/flags` (checked safe when configured). */
export type TextCondition = { kind: 'text'; text: string } | { kind: 'regex'; source: string; flags: string };

export interface RuleWhen {
  from?: readonly string[];
  to?: readonly string[];
  subject?: TextCondition;
  body?: TextCondition;
  kind?: readonly EmailKind[];
  hasAttachment?: boolean;
}

export type RuleAssign = { user: string } | { rotation: 'round-robin' | 'least-open' };

export interface RuleThen {
  assign?: RuleAssign;
  tag?: readonly string[];
  priority?: TicketPriority;
  /** The name of another inbox: the conversation starts there. */
  move?: string;
  close?: Resolution;
  waiting?: boolean;
  /** A first-response target for this conversation, as written (`2h`). */
  sla?: string;
  note?: string;
}

export interface Rule {
  /** Its `name`, else `rule N` (1-based). */
  name: string;
  /** 0-based position in the inbox's list. */
  index: number;
  when: RuleWhen;
  then: RuleThen;
  continue: boolean;
}

/** What a rule looks at: the first email of a new conversation. */
export interface EmailFacts {
  /** The conversation's contact (the original sender of a teammate's forward). */
  from: string;
  /** Addresses in To and Cc. */
  to: readonly string[];
  subject: string;
  body: string;
  kind: EmailKind;
  hasAttachment: boolean;
}

/** How a regex is run; tests and callers may bound it further. */
export type RegexTest = (source: string, flags: string, text: string) => boolean;

/** Regexes run on at most this much of a body: the checked patterns are linear, this bounds them too. */
export const MAX_MATCH_TEXT = 100_000;

const compiled = new Map<string, RegExp>();
export const defaultRegexTest: RegexTest = (source, flags, text) => {
  const key = `${flags}/${source}`;
  let re = compiled.get(key);
  if (!re) {
    // g and y make test() stateful: a rule must give the same answer every time.
    re = new RegExp(source, flags.replace(/[gy]/g, ''));
    compiled.set(key, re);
  }
  return re.test(text.slice(0, MAX_MATCH_TEXT));
};

export function textMatches(c: TextCondition, text: string, test: RegexTest = defaultRegexTest): boolean {
  if (c.kind === 'text') return text.toLowerCase().includes(c.text.toLowerCase());
  return test(c.source, c.flags, text);
}

/** All of `when` holds (an empty `when` never matches: the configuration refuses it anyway). */
export function ruleMatches(rule: Pick<Rule, 'when'>, f: EmailFacts, test: RegexTest = defaultRegexTest): boolean {
  const w = rule.when;
  const checks: boolean[] = [];
  if (w.from) checks.push(addressMatches(w.from, f.from));
  if (w.to) checks.push(f.to.some((a) => addressMatches(w.to!, a)));
  if (w.kind) checks.push(w.kind.includes(f.kind));
  if (w.hasAttachment !== undefined) checks.push(w.hasAttachment === f.hasAttachment);
  if (w.subject) checks.push(textMatches(w.subject, f.subject, test));
  if (w.body) checks.push(textMatches(w.body, f.body, test));
  return checks.length > 0 && checks.every(Boolean);
}

/** The rules that act, in order: up to and including the first matching one without `continue`. */
export function matchingRules(rules: readonly Rule[], f: EmailFacts, test: RegexTest = defaultRegexTest): Rule[] {
  const out: Rule[] = [];
  for (const r of rules) {
    if (!ruleMatches(r, f, test)) continue;
    out.push(r);
    if (!r.continue) break;
  }
  return out;
}

/** One action and the rule that decided it. */
export type Decided<T> = { value: T; rule: string };

/** What the matching rules do together. */
export interface RoutingPlan {
  rules: string[];
  assign?: Decided<RuleAssign>;
  tags: Decided<string>[];
  priority?: Decided<TicketPriority>;
  move?: Decided<string>;
  close?: Decided<Resolution>;
  waiting?: Decided<boolean>;
  sla?: Decided<string>;
  notes: Decided<string>[];
}

export function planFor(matched: readonly Rule[]): RoutingPlan | null {
  if (!matched.length) return null;
  const plan: RoutingPlan = { rules: matched.map((r) => r.name), tags: [], notes: [] };
  for (const r of matched) {
    const t = r.then;
    const rule = r.name;
    if (t.assign && !plan.assign) plan.assign = { value: t.assign, rule };
    for (const tag of t.tag ?? []) if (!plan.tags.some((x) => x.value === tag)) plan.tags.push({ value: tag, rule });
    if (t.priority && !plan.priority) plan.priority = { value: t.priority, rule };
    if (t.move && !plan.move) plan.move = { value: t.move, rule };
    if (t.close && !plan.close) plan.close = { value: t.close, rule };
    if (t.waiting !== undefined && !plan.waiting) plan.waiting = { value: t.waiting, rule };
    if (t.sla && !plan.sla) plan.sla = { value: t.sla, rule };
    if (t.note) plan.notes.push({ value: t.note, rule });
  }
  return plan;
}

export function evaluateRules(rules: readonly Rule[], f: EmailFacts, test: RegexTest = defaultRegexTest): RoutingPlan | null {
  return planFor(matchingRules(rules, f, test));
}

/** `/invoice|factura/i` → a regex condition; any other text → a phrase. Null for a malformed `/…/` (unknown flag). */
export function readTextCondition(written: string): TextCondition | null {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(written);
  if (!m) return { kind: 'text', text: written };
  const flags = m[2]!;
  if (/[^imsu]/.test(flags) || new Set(flags).size !== flags.length) return null;
  return { kind: 'regex', source: m[1]!, flags };
}

/** The plan in words, one action a line (the thread note, `mailroom rules test`). */
export function describePlan(plan: RoutingPlan): string[] {
  const lines: string[] = [];
  const a = plan.assign?.value;
  if (a) lines.push('user' in a ? `assign to ${a.user}` : `assign ${a.rotation}`);
  if (plan.tags.length) lines.push(`tag ${plan.tags.map((t) => t.value).join(', ')}`);
  if (plan.priority) lines.push(`priority ${plan.priority.value}`);
  if (plan.move) lines.push(`move to ${plan.move.value}`);
  if (plan.close) lines.push(`close as ${plan.close.value}`);
  if (plan.waiting?.value) lines.push('waiting on customer');
  if (plan.sla) lines.push(`first-response target ${plan.sla.value}`);
  for (const n of plan.notes) lines.push(`note: ${n.value}`);
  return lines;
}

// `rules:` of an inbox in the YAML file: each `when` (conditions, all of which must hold) and
// `then` (actions), checked here so that a bad rule stops start-up with its path
// (`inboxes[0].rules[2].when.subject …`). Which inbox `move` names is checked with all inboxes
// known (inbox-list.ts).
import { z } from 'zod';
import { addressPatternProblem } from '../core/address-glob.ts';
import { RESOLUTIONS, TICKET_PRIORITIES } from '../core/conversation-status.ts';
import { readTextCondition, type Rule, type RuleAssign, type TextCondition } from '../core/rules.ts';
import { parseDuration } from '../core/durations.ts';
import { normaliseTag } from '../core/tags.ts';
import type { EmailKind } from '../core/types.ts';
import { regexProblem } from './safe-regex.ts';

const KINDS = ['human', 'auto-reply', 'bounce', 'report', 'bulk'] as const satisfies readonly EmailKind[];
const ROTATIONS = ['round-robin', 'least-open'] as const;

/** One value or a list of them (`tag: vip` or `tag: [vip, billing]`), read as a list. */
const oneOrMany = <T extends z.ZodType>(item: T) => z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(item).min(1, { error: 'must not be an empty list' }));

const addressPattern = z.string({ error: 'must be an address or a pattern like *@example.com' }).superRefine((p, ctx) => {
  const problem = addressPatternProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const textCondition = z
  .string({ error: 'must be text, or a regex written /…/flags' })
  .min(1, { error: 'must not be empty' })
  .transform((written, ctx): TextCondition => {
    const c = readTextCondition(written);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: `"${written}" has flags a rule's regex can't take (i, m, s and u can be used)` });
      return z.NEVER;
    }
    if (c.kind === 'regex') {
      const problem = regexProblem(c.source, c.flags);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${written} ${problem}` });
        return z.NEVER;
      }
    }
    return c;
  });

const whenInput = z
  .strictObject({
    from: oneOrMany(addressPattern).optional(),
    to: oneOrMany(addressPattern).optional(),
    subject: textCondition.optional(),
    body: textCondition.optional(),
    kind: oneOrMany(z.enum(KINDS, { error: `must be one of ${KINDS.join(', ')}` })).optional(),
    hasAttachment: z.boolean({ error: 'must be true or false' }).optional(),
  }, { error: 'must be a mapping of conditions (from, to, subject, body, kind, hasAttachment)' })
  .refine((w) => Object.values(w).some((v) => v !== undefined), { error: 'needs at least one condition: from, to, subject, body, kind or hasAttachment' });

const userOrRotation = z.string({ error: 'must be a Slack user ID, round-robin or least-open' }).transform((v, ctx): RuleAssign => {
  if ((ROTATIONS as readonly string[]).includes(v)) return { rotation: v as (typeof ROTATIONS)[number] };
  if (/^[UW][A-Z0-9]{2,}$/.test(v)) return { user: v };
  ctx.addIssue({ code: 'custom', message: `must be a Slack user ID like U0123456789, round-robin or least-open, got "${v}"` });
  return z.NEVER;
});

const tag = z.string({ error: 'must be a tag' }).transform((w, ctx) => {
  const t = normaliseTag(w);
  if (!t) {
    ctx.addIssue({ code: 'custom', message: `"${w}" is not a tag (lower case a-z, 0-9 and -, at most 30 characters)` });
    return z.NEVER;
  }
  return t;
});

const thenInput = z
  .strictObject({
    assign: userOrRotation.optional(),
    tag: oneOrMany(tag).optional(),
    priority: z.enum(TICKET_PRIORITIES, { error: `must be one of ${TICKET_PRIORITIES.join(', ')}` }).optional(),
    move: z.string({ error: 'must be the name of another inbox' }).trim().min(1).optional(),
    close: z.enum(RESOLUTIONS, { error: `must be a resolution: one of ${RESOLUTIONS.join(', ')}` }).optional(),
    waiting: z.literal(true, { error: 'must be true (waiting on the customer)' }).optional(),
    sla: z.string({ error: 'must be a duration like 30m, 4h or 2d' }).trim().refine((d) => parseDuration(d) !== null, { error: 'must be a duration like 30m, 4h or 1h30m' }).optional(),
    note: z.string({ error: 'must be text' }).trim().min(1).max(2000, { error: 'must be at most 2000 characters' }).optional(),
  }, { error: 'must be a mapping of actions (assign, tag, priority, move, close, waiting, sla, note)' })
  .refine((t) => Object.values(t).some((v) => v !== undefined), { error: 'needs at least one action: assign, tag, priority, move, close, waiting, sla or note' })
  .refine((t) => !(t.close && (t.waiting || t.assign)), { error: 'closes the conversation and also assigns it or sets it waiting: choose one' });

const ruleInput = z.strictObject({
  name: z.string().trim().min(1).max(80, { error: 'must be at most 80 characters' }).optional(),
  when: whenInput,
  then: thenInput,
  continue: z.boolean({ error: 'must be true or false' }).default(false),
});

export const rulesSchema = z
  .array(ruleInput, { error: 'must be a list of rules, each with when: and then:' })
  .transform((list): Rule[] => list.map((r, index) => ({ name: r.name ?? `rule ${index + 1}`, index, when: r.when, then: r.then, continue: r.continue })));

/** A rule's `move` must name another inbox, by name or key: the problems, each with its path. */
export function moveTargetProblems(inboxes: readonly { name: string; key: string; rules: readonly Rule[] }[], where: (i: number, key: string) => string): string[] {
  const problems: string[] = [];
  inboxes.forEach((inbox, i) =>
    inbox.rules.forEach((r, k) => {
      const to = r.then.move;
      if (!to) return;
      const target = inboxes.find((o) => o.name.toLowerCase() === to.toLowerCase() || o.key === to.toLowerCase());
      if (!target) problems.push(`${where(i, `rules[${k}].then.move`)} "${to}" is not the name of an inbox (${inboxes.map((o) => o.name).join(', ')})`);
      else if (target === inbox) problems.push(`${where(i, `rules[${k}].then.move`)} "${to}" is this inbox itself`);
    }),
  );
  return problems;
}

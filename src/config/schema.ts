// One zod schema for an inbox's configuration. Values may come from the environment (strings) or
// from the YAML file (typed): the scalars (scalars.ts) accept both spellings. The mail servers and
// sign-in are in mail-schema.ts, the response targets in sla-schema.ts, the rules in rules.ts.
import { z } from 'zod';
import { normaliseTag } from '../core/tags.ts';
import { imapInput, oauthInput, resolveMail, smtpInput } from './mail-schema.ts';
import { MAIL_PRESETS, MAIL_PROVIDERS } from './providers.ts';
import { rulesSchema } from './rules.ts';
import { bool, channelId, email, nonNegativeInt, text, userId } from './scalars.ts';
import { duration, resolveTime, slaInput } from './sla-schema.ts';

export const ASSIGN_RULES = ['none', 'round-robin', 'least-open'] as const;

/** An inbox's fixed list of tags: each normalised (`Billing` is `billing`); a word that gives no tag is an error. */
const tagList = z.array(z.string({ error: 'must be a list of tags' })).transform((words, ctx) => {
  const out: string[] = [];
  words.forEach((w, i) => {
    const t = normaliseTag(w);
    if (!t) ctx.addIssue({ code: 'custom', path: [i], message: `"${w}" is not a tag (a tag is lower case a-z, 0-9 and -, at most 30 characters)` });
    else if (!out.includes(t)) out.push(t);
  });
  return out;
});

const inboxInput = z.strictObject({
  name: text('inbox display name').default('Inbox'),
  channel: channelId,
  address: email('the team address'),
  aliases: z.array(email('an alias address')).default([]),
  provider: z.enum(MAIL_PROVIDERS, { error: `must be one of ${MAIL_PROVIDERS.join(', ')}` }).optional(),
  imap: imapInput.default({ mailbox: 'INBOX', idleCheckSeconds: 30 }),
  smtp: smtpInput.default({}),
  oauth: oauthInput.optional(),
  members: z.array(userId).optional(),
  usergroup: z.string().regex(/^S[A-Z0-9]{2,}$/, { error: 'must be a Slack user group ID like S0123456789' }).optional(),
  assign: z.enum(ASSIGN_RULES, { error: `must be one of ${ASSIGN_RULES.join(', ')}` }).default('none'),
  sentFolder: bool.optional(),
  backfillDays: nonNegativeInt(3650).default(0),
  /** Open conversations for bulk mail and reports too (auto-replies and bounces never do). */
  postBulk: bool.default(false),
  /** Response targets, business hours, time zone and holidays. */
  sla: slaInput.optional(),
  /** Close a conversation waiting on the customer after this long without an answer. */
  autoCloseWaitingAfter: duration.optional(),
  /** Limits the inbox's tags to this list (absent: any tag). */
  tags: tagList.optional(),
  /** Appended to every email from this inbox, after the teammate's (a member can replace it from Slack). */
  signature: z.string({ error: 'must be text' }).trim().max(2000, { error: 'must be at most 2000 characters' }).optional(),
  /** Routing rules, in order, on each new conversation (YAML only). */
  rules: rulesSchema.optional(),
});

/** Reports a problem at a path of the inbox; `{a.b}` in the message names another setting. */
export type Problem = (path: (string | number)[], message: string) => void;

type InboxFields = z.output<typeof inboxInput>;
const objectOr = <T>(x: unknown, dflt: T): T => (x && typeof x === 'object' && !Array.isArray(x) ? (x as T) : dflt);

// The requirements between settings are checked even when some field is bad, so that one run
// names every problem; the resolved inbox is built only from a fully valid input.
export const inboxSchema = inboxInput
  .superRefine(
    (v, ctx) => {
      if (!v || typeof v !== 'object') return;
      const fields = { ...v, imap: objectOr(v.imap, { mailbox: 'INBOX', idleCheckSeconds: 30 }), smtp: objectOr(v.smtp, {}), oauth: objectOr<InboxFields['oauth']>(v.oauth, undefined), sla: objectOr<InboxFields['sla']>(v.sla, undefined) };
      resolveInbox(fields, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
    },
    { when: () => true },
  )
  .transform((v) => resolveInbox(v, () => undefined));

export type InboxInput = z.input<typeof inboxInput>;
export type InboxSettings = ReturnType<typeof resolveInbox>;
export type OAuthSettings = NonNullable<InboxSettings['oauth']>;

/** Applies the provider preset and the defaults, and says what is missing or in conflict. */
function resolveInbox(v: InboxFields, problem: Problem) {
  const preset = v.provider ? MAIL_PRESETS[v.provider] : null;
  const { imap, smtp, oauth, signIn } = resolveMail(v, preset, problem);
  const time = resolveTime(v.sla, problem);
  if (v.tags && Array.isArray(v.rules))
    v.rules.forEach((r, i) => {
      const outside = (r.then?.tag ?? []).filter((t) => !v.tags!.includes(t));
      if (outside.length) problem(['rules', i, 'then', 'tag'], `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in this inbox's {tags}`);
    });
  return {
    name: v.name,
    channel: v.channel,
    address: v.address,
    aliases: v.aliases,
    provider: v.provider ?? null,
    imap,
    smtp,
    oauth,
    signIn,
    members: v.members,
    usergroup: v.usergroup,
    assign: v.assign,
    sentFolder: v.sentFolder ?? (preset ? preset.sentFolder : true),
    backfillDays: v.backfillDays,
    postBulk: v.postBulk,
    ...time,
    autoCloseWaitingAfterMs: v.autoCloseWaitingAfter ?? null,
    tags: v.tags ?? null,
    rules: v.rules ?? [],
    signature: v.signature || null,
  };
}

// One zod schema for the configuration. Values may come from the environment (strings) or from
// the YAML file (typed), so scalar schemas accept both spellings.
import { z } from 'zod';

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export const bool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false, got "${v}"` });
  return z.NEVER;
});

const intIn = (min: number, max: number, what: string) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} (${min}–${max}), got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

export const port = intIn(1, 65535, 'a port number');
/** A port to listen on: 0 lets the system pick a free one. */
export const listenPort = intIn(0, 65535, 'a port number');
export const nonNegativeInt = (max: number) => intIn(0, max, 'a whole number');
export const positiveInt = (max: number) => intIn(1, max, 'a whole number');

const text = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `is required (${what})` : `must be text (${what})`) })
    .trim()
    .min(1, { error: `is required (${what})` });

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
export const email = (what: string) =>
  text(what)
    .transform((s) => s.toLowerCase())
    .refine((s) => EMAIL.test(s), { error: (iss) => `must be an email address (${what}), got "${String(iss.input)}"` });

export const channelId = text('Slack channel ID, like C0123456789').refine((s) => /^[CG][A-Z0-9]{6,}$/.test(s), {
  error: (iss) => `must be a Slack channel ID like C0123456789 (not a #name), got "${String(iss.input)}"`,
});

const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user ID like U0123456789' });

const imap = z
  .strictObject({
    host: text('IMAP server host name'),
    port: port.optional(),
    secure: bool.default(true),
    user: text('IMAP login'),
    password: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    mailbox: z.string().min(1).default('INBOX'),
  })
  .superRefine((v, ctx) => {
    if (!v.password && !v.accessToken)
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'is required (or an OAuth2 access token)' });
  })
  .transform((v) => ({ ...v, port: v.port ?? (v.secure ? 993 : 143) }));

const smtp = z
  .strictObject({
    host: text('SMTP server host name'),
    port: port.default(587),
    secure: bool.optional(),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
  })
  // Port 465 speaks TLS from the first byte; 587 and 25 upgrade with STARTTLS.
  .transform((v) => ({ ...v, secure: v.secure ?? v.port === 465 }));

export const ASSIGN_RULES = ['none', 'round-robin', 'least-open'] as const;

export const inboxSchema = z
  .strictObject({
    name: text('inbox display name').default('Inbox'),
    channel: channelId,
    address: email('the team address'),
    aliases: z.array(email('an alias address')).default([]),
    imap,
    smtp,
    members: z.array(userId).optional(),
    usergroup: z.string().regex(/^S[A-Z0-9]{2,}$/, { error: 'must be a Slack user group ID like S0123456789' }).optional(),
    assign: z.enum(ASSIGN_RULES, { error: `must be one of ${ASSIGN_RULES.join(', ')}` }).default('none'),
    sentFolder: bool.default(true),
    backfillDays: nonNegativeInt(3650).default(0),
    /** Open conversations for bulk mail and reports too (auto-replies and bounces never do). */
    postBulk: bool.default(false),
  });

export type InboxInput = z.input<typeof inboxSchema>;
export type InboxSettings = z.output<typeof inboxSchema>;

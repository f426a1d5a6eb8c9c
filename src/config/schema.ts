// One zod schema for the configuration. Values may come from the environment (strings) or from
// the YAML file (typed), so scalar schemas accept both spellings.
import { z } from 'zod';
import { normaliseTag } from '../core/tags.ts';
import { rulesSchema } from './rules.ts';
import { DEFAULT_TENANT, MAIL_PRESETS, MAIL_PROVIDERS, OAUTH_GRANTS, OAUTH_PROVIDERS, defaultScope, providerEndpoints, type MailPreset } from './providers.ts';
import { duration, resolveTime, slaInput } from './sla-schema.ts';

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

const secret = z.string().min(1);

const LOOPBACK_URL = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i;
/** An OAuth endpoint: HTTPS, or plain HTTP on this machine (a local test provider). */
const endpointUrl = z
  .url({ error: 'must be a URL like https://login.example.com/oauth2/token' })
  .refine((u) => u.startsWith('https://') || LOOPBACK_URL.test(u), { error: 'must be an https:// URL' });

const imapInput = z.strictObject({
  host: text('IMAP server host name').optional(),
  port: port.optional(),
  secure: bool.optional(),
  user: text('IMAP login').optional(),
  password: secret.optional(),
  accessToken: secret.optional(),
  mailbox: z.string().min(1).default('INBOX'),
  /** While idling, a NOOP this often makes servers that don't push new mail look for it (0: off). */
  idleCheckSeconds: nonNegativeInt(3600).default(30),
});

const smtpInput = z.strictObject({
  host: text('SMTP server host name').optional(),
  port: port.optional(),
  secure: bool.optional(),
  user: z.string().min(1).optional(),
  password: secret.optional(),
  accessToken: secret.optional(),
});

const oauthInput = z.strictObject({
  provider: z.enum(OAUTH_PROVIDERS, { error: `must be one of ${OAUTH_PROVIDERS.join(', ')}` }).optional(),
  grant: z.enum(OAUTH_GRANTS, { error: `must be one of ${OAUTH_GRANTS.join(', ')}` }).default('refresh_token'),
  clientId: text('the app registration’s client ID').optional(),
  clientSecret: secret.optional(),
  tenant: text('Microsoft tenant').optional(),
  refreshToken: secret.optional(),
  serviceAccountFile: text('service-account key file').optional(),
  tokenUrl: endpointUrl.optional(),
  authorizeUrl: endpointUrl.optional(),
  deviceUrl: endpointUrl.optional(),
  scope: z.string().trim().min(1).optional(),
});

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
export type SignInKind = 'password' | 'token' | 'oauth';

/** Applies the provider preset and the defaults, and says what is missing or in conflict. */
function resolveInbox(v: InboxFields, problem: Problem) {
  const preset = v.provider ? MAIL_PRESETS[v.provider] : null;
  const oauth = v.oauth ? resolveOAuth(v.oauth, preset, problem) : null;
  const { imap: i, smtp: s } = v;

  if (oauth) {
    for (const [side, key] of [['imap', 'password'], ['imap', 'accessToken'], ['smtp', 'password'], ['smtp', 'accessToken']] as const)
      if (v[side][key]) problem([side, key], 'is set, but this inbox signs in with OAuth2 ({oauth.provider}): an inbox signs in with one of a password, a static token or OAuth2; remove one');
  } else {
    if (i.password && i.accessToken) problem(['imap', 'accessToken'], 'and {imap.password} are both set: an inbox signs in with one of a password, a static token or OAuth2; remove one');
    if (s.password && s.accessToken) problem(['smtp', 'accessToken'], 'and {smtp.password} are both set: remove one');
    if (!i.password && !i.accessToken) problem(['imap', 'password'], 'is required (or an OAuth2 access token in {imap.accessToken}, or OAuth2 sign-in settings such as {oauth.clientId})');
  }

  const host = i.host ?? preset?.imap.host;
  if (!host) problem(['imap', 'host'], 'is required (IMAP server host name, or {provider} gmail or microsoft365)');
  const user = i.user ?? (preset || oauth ? v.address : undefined);
  if (!user) problem(['imap', 'user'], 'is required (IMAP login)');
  const secure = i.secure ?? preset?.imap.secure ?? true;
  const imap = {
    host: host ?? '',
    port: i.port ?? preset?.imap.port ?? (secure ? 993 : 143),
    secure,
    user: user ?? '',
    // A preset's account is one login: IMAP and SMTP share what is given for either.
    ...(i.password ? { password: i.password } : {}),
    ...(i.accessToken ? { accessToken: i.accessToken } : {}),
    mailbox: i.mailbox,
    idleCheckSeconds: i.idleCheckSeconds,
  };

  const smtpHost = s.host ?? preset?.smtp.host;
  if (!smtpHost) problem(['smtp', 'host'], 'is required (SMTP server host name, or {provider} gmail or microsoft365)');
  const smtpPort = s.port ?? preset?.smtp.port ?? 587;
  const shared = preset && !s.password && !s.accessToken;
  const smtpPassword = s.password ?? (shared ? i.password : undefined);
  const smtpToken = s.accessToken ?? (shared ? i.accessToken : undefined);
  const smtpUser = s.user ?? (oauth || preset ? imap.user : undefined);
  const smtp = {
    host: smtpHost ?? '',
    port: smtpPort,
    // Port 465 speaks TLS from the first byte; 587 and 25 upgrade with STARTTLS.
    secure: s.secure ?? smtpPort === 465,
    ...(smtpUser ? { user: smtpUser } : {}),
    ...(smtpPassword ? { password: smtpPassword } : {}),
    ...(smtpToken ? { accessToken: smtpToken } : {}),
  };
  const signIn: SignInKind = oauth ? 'oauth' : imap.accessToken ? 'token' : 'password';
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

const BROAD_TENANTS = new Set(['organizations', 'common', 'consumers']);

function resolveOAuth(o: z.output<typeof oauthInput>, preset: MailPreset | null, problem: Problem) {
  const provider = o.provider ?? preset?.oauthProvider;
  if (!provider) problem(['oauth', 'provider'], `is required: one of ${OAUTH_PROVIDERS.join(', ')} (or set {provider})`);
  const { grant } = o;
  if (grant === 'client_credentials' && provider === 'google')
    problem(['oauth', 'grant'], 'client_credentials is Microsoft 365 app-only sign-in; Google Workspace signs a daemon in with service_account');
  if (grant === 'service_account' && provider === 'microsoft')
    problem(['oauth', 'grant'], 'service_account is Google Workspace domain-wide delegation; Microsoft 365 app-only sign-in is client_credentials');
  if (grant !== 'service_account' && !o.clientId) problem(['oauth', 'clientId'], 'is required (the app registration’s client ID)');
  if (grant === 'client_credentials' && !o.clientSecret) problem(['oauth', 'clientSecret'], 'is required for client_credentials (a secret of the app registration)');
  if (grant === 'service_account' && !o.serviceAccountFile) problem(['oauth', 'serviceAccountFile'], 'is required for service_account (the JSON key of the service account)');
  if (grant !== 'service_account' && o.serviceAccountFile) problem(['oauth', 'serviceAccountFile'], 'is only used with {oauth.grant} service_account');
  if (grant !== 'refresh_token' && o.refreshToken) problem(['oauth', 'refreshToken'], `is only used with {oauth.grant} refresh_token (this inbox uses ${grant})`);
  const tenant = o.tenant ?? DEFAULT_TENANT;
  if (provider === 'microsoft' && grant === 'client_credentials' && BROAD_TENANTS.has(tenant.toLowerCase()))
    problem(['oauth', 'tenant'], 'is required for client_credentials: your tenant ID or domain (e.g. acme.onmicrosoft.com)');
  const endpoints = provider && provider !== 'custom' ? providerEndpoints(provider, tenant) : null;
  const tokenUrl = o.tokenUrl ?? endpoints?.tokenUrl;
  if (provider === 'custom' && !tokenUrl) problem(['oauth', 'tokenUrl'], 'is required for a custom provider');
  return {
    provider: provider ?? 'custom',
    grant,
    clientId: o.clientId ?? null,
    clientSecret: o.clientSecret ?? null,
    tenant,
    refreshToken: o.refreshToken ?? null,
    serviceAccountFile: o.serviceAccountFile ?? null,
    tokenUrl: tokenUrl ?? '',
    authorizeUrl: o.authorizeUrl ?? endpoints?.authorizeUrl ?? null,
    deviceUrl: o.deviceUrl ?? endpoints?.deviceUrl ?? null,
    scope: o.scope ?? (provider ? defaultScope(provider, grant) : null),
  };
}

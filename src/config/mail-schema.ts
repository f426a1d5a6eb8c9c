// An inbox's mail servers and how it signs in (`imap:`, `smtp:`, `oauth:`, and what a `provider:`
// preset fills in): their schemas, then the resolved settings with what is missing or in conflict.
import { z } from 'zod';
import { DEFAULT_TENANT, OAUTH_GRANTS, OAUTH_PROVIDERS, defaultScope, providerEndpoints, type MailPreset } from './providers.ts';
import { bool, nonNegativeInt, port, secret, text } from './scalars.ts';
import type { Problem } from './schema.ts';

const LOOPBACK_URL = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i;
/** An OAuth endpoint: HTTPS, or plain HTTP on this machine (a local test provider). */
const endpointUrl = z
  .url({ error: 'must be a URL like https://login.example.com/oauth2/token' })
  .refine((u) => u.startsWith('https://') || LOOPBACK_URL.test(u), { error: 'must be an https:// URL' });

export const imapInput = z.strictObject({
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

export const smtpInput = z.strictObject({
  host: text('SMTP server host name').optional(),
  port: port.optional(),
  secure: bool.optional(),
  user: z.string().min(1).optional(),
  password: secret.optional(),
  accessToken: secret.optional(),
});

export const oauthInput = z.strictObject({
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

export type SignInKind = 'password' | 'token' | 'oauth';

interface MailFields {
  address: string;
  imap: z.output<typeof imapInput>;
  smtp: z.output<typeof smtpInput>;
  oauth?: z.output<typeof oauthInput> | undefined;
}

/** The servers and sign-in of an inbox, the preset's values filled in; says what is missing or in conflict. */
export function resolveMail(v: MailFields, preset: MailPreset | null, problem: Problem) {
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
  return { imap, smtp, oauth, signIn };
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

// What a mail provider preset (MAIL_PROVIDER) and an OAuth provider fill in. Pure data: the
// servers, whether the provider files sent mail itself, the sign-in endpoints and default scopes.

export const MAIL_PROVIDERS = ['gmail', 'microsoft365'] as const;
export type MailProvider = (typeof MAIL_PROVIDERS)[number];

export const OAUTH_PROVIDERS = ['google', 'microsoft', 'custom'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export const OAUTH_GRANTS = ['refresh_token', 'client_credentials', 'service_account'] as const;
export type OAuthGrant = (typeof OAUTH_GRANTS)[number];

interface Server {
  host: string;
  port: number;
  secure: boolean;
}

export interface MailPreset {
  imap: Server;
  smtp: Server;
  /** Both file sent mail in Sent themselves: a copy of ours would be there twice. */
  sentFolder: false;
  oauthProvider: Exclude<OAuthProvider, 'custom'>;
}

export const MAIL_PRESETS: Record<MailProvider, MailPreset> = {
  gmail: {
    imap: { host: 'imap.gmail.com', port: 993, secure: true },
    smtp: { host: 'smtp.gmail.com', port: 465, secure: true },
    sentFolder: false,
    oauthProvider: 'google',
  },
  microsoft365: {
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    // Exchange Online takes SMTP AUTH on 587 with STARTTLS only.
    smtp: { host: 'smtp.office365.com', port: 587, secure: false },
    sentFolder: false,
    oauthProvider: 'microsoft',
  },
};

export interface OAuthEndpoints {
  tokenUrl: string;
  authorizeUrl: string | null;
  /** Device authorization (RFC 8628); Google offers none for mail scopes. */
  deviceUrl: string | null;
}

export const DEFAULT_TENANT = 'organizations';

export function providerEndpoints(provider: Exclude<OAuthProvider, 'custom'>, tenant: string): OAuthEndpoints {
  if (provider === 'google')
    return { tokenUrl: 'https://oauth2.googleapis.com/token', authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth', deviceUrl: null };
  const base = `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0`;
  return { tokenUrl: `${base}/token`, authorizeUrl: `${base}/authorize`, deviceUrl: `${base}/devicecode` };
}

/** The scopes asked for when the configuration names none. */
export function defaultScope(provider: OAuthProvider, grant: OAuthGrant): string | null {
  if (provider === 'google') return 'https://mail.google.com/';
  if (provider === 'microsoft')
    return grant === 'client_credentials'
      ? 'https://outlook.office365.com/.default'
      : 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access';
  return null;
}

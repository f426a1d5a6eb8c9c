// OAuth2 sign-in rules that need no I/O: whether a provider's refusal is permanent (a person must
// act) or temporary (back off and keep going), what it means in plain words, and when to refresh.

export interface ProviderFailure {
  /** HTTP status of the token endpoint's answer, when there was one. */
  status?: number | undefined;
  /** The OAuth error code (RFC 6749 §5.2), e.g. invalid_grant. */
  error?: string | undefined;
  /** The provider's own text, e.g. Microsoft's "AADSTS70008: …". */
  description?: string | undefined;
  /** No answer at all: network trouble or a timeout. */
  network?: boolean | undefined;
}

export interface SignInFailure {
  permanent: boolean;
  /** The OAuth error code, or 'network', 'http_<status>', 'no_refresh_token'. */
  code: string;
  /** Plain words, safe to show in Slack and doctor (no token, no secret). */
  reason: string;
}

const TEMPORARY_ERRORS = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);

const PLAIN: Record<string, string> = {
  invalid_grant: 'the sign-in has expired or was revoked',
  invalid_client: 'the provider does not accept the app registration’s client ID or secret',
  unauthorized_client: 'the app registration is not allowed this kind of sign-in',
  unsupported_grant_type: 'the app registration is not allowed this kind of sign-in',
  invalid_scope: 'the app registration has not been granted the permissions asked for',
  access_denied: 'consent was refused',
  consent_required: 'an administrator’s consent is needed',
  interaction_required: 'the account must sign in again interactively',
  invalid_request: 'the provider refused the request as malformed',
};

/** One line of the provider's own text, without anything that looks like a token. */
function providerText(description: string | undefined): string {
  if (!description) return '';
  const line = description.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const short = line.length > 200 ? `${line.slice(0, 197)}...` : line;
  return short.replace(/[A-Za-z0-9._~+/=-]{40,}/g, '[…]');
}

export function classifySignInFailure(f: ProviderFailure): SignInFailure {
  const said = providerText(f.description);
  const with_ = (reason: string) => (said ? `${reason} (the provider said: ${said})` : reason);
  if (f.network) return { permanent: false, code: 'network', reason: with_('the provider could not be reached') };
  if (f.error && TEMPORARY_ERRORS.has(f.error)) return { permanent: false, code: f.error, reason: with_('the provider is temporarily unavailable') };
  if (f.status !== undefined && (f.status >= 500 || f.status === 429))
    return { permanent: false, code: f.error ?? `http_${f.status}`, reason: with_(`the provider answered HTTP ${f.status}`) };
  if (f.error) return { permanent: true, code: f.error, reason: with_(PLAIN[f.error] ?? `the provider refused the sign-in (${f.error})`) };
  return { permanent: true, code: `http_${f.status ?? 0}`, reason: with_(`the token endpoint answered HTTP ${f.status ?? '?'}: check the token URL`) };
}

/** Without an expires_in, a token is taken to live an hour (both big providers' default). */
export const DEFAULT_LIFETIME_S = 3600;

/** When to get the next token: at 80% of this one's lifetime. */
export function refreshDueAt(obtainedAt: number, expiresInS: number | null): number {
  return obtainedAt + 0.8 * (expiresInS ?? DEFAULT_LIFETIME_S) * 1000;
}

/** A token got after a refusal and refused again this soon is not refreshed again: the refusal is about something else. */
export const MIN_TOKEN_AGE_FOR_REFRESH_MS = 30_000;

/** Backoff of the proactive refresh after a temporary failure, while the current token still lives. */
export function refreshRetryMs(failures: number): number {
  return Math.min(300_000, 5_000 * 2 ** Math.min(Math.max(failures - 1, 0), 6));
}

/** With the same credentials, a permanently failed sign-in is tried again this often (new credentials: at once). */
export const PERMANENT_RETRY_MS = 5 * 60_000;

export type Grant = 'refresh_token' | 'client_credentials' | 'service_account';

/** What a person does about a refused sign-in, by grant (the channel note and doctor both say it). */
export function signInFix(grant: Grant, inboxName: string): string {
  const inbox = /^[\w.-]+$/.test(inboxName) ? inboxName : `"${inboxName.replace(/["`]/g, '')}"`;
  switch (grant) {
    case 'refresh_token':
      return `To sign in again, run \`mailroom auth --inbox ${inbox}\` where Mailroom runs.`;
    case 'client_credentials':
      return 'Check the app registration’s client secret and its permission on the mailbox (see the README, Microsoft 365 app-only).';
    case 'service_account':
      return 'Check the service account’s key file and its domain-wide delegation in the Google Workspace admin console.';
  }
}

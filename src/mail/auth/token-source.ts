// One source of access tokens per inbox, shared by its IMAP watcher, its SMTP sender, the Sent
// folder, fetching originals and doctor. A token is got at start, again at 80% of its lifetime,
// and at once when a server refuses it; concurrent needs share one refresh. A rotated refresh
// token is stored before the access token that came with it is handed out. Temporary provider
// trouble is retried; a permanent refusal is said once (onStatus) and tried again when new
// credentials appear (mailroom auth) or every few minutes with the old ones.
import type { Logger } from 'pino';
import {
  MIN_TOKEN_AGE_FOR_REFRESH_MS,
  PERMANENT_RETRY_MS,
  refreshDueAt,
  refreshRetryMs,
  type SignInFailure,
} from '../../core/sign-in.ts';
import { describeError } from '../../errors.ts';
import { clientCredentialsGrant, refreshGrant, serviceAccountGrant, SignInError, type OAuthEndpointSettings, type TokenGrant } from './oauth-client.ts';

/** What a mail connection needs: a token now, and a way to say the server refused one. */
export interface AccessTokens {
  /** A live access token, refreshed first when near its end. Throws SignInError. */
  get(): Promise<string>;
  /** The server refused this token (or ended the session): the next get() asks for a new one. */
  refused(token: string): void;
  /** When this token (the current one) expires; null when unknown or no longer current. */
  expiresAt?(token: string): number | null;
}

export interface TokenStorePort {
  get(inboxKey: string): { refreshToken: string; configuredHash: string | null } | undefined;
  save(inboxKey: string, t: { refreshToken: string; configuredHash: string | null; source: 'config' | 'rotated' | 'auth' }): void;
}

export interface OAuthSettings extends OAuthEndpointSettings {
  refreshToken: string | null;
}

export type SignInState = 'starting' | 'ok' | 'failing' | 'failed';

export interface SignInStatus {
  state: SignInState;
  /** The last failure (plain words), while failing or failed. */
  failure: SignInFailure | null;
  /** Of the current access token. */
  expiresAt: number | null;
  scope: string | null;
  lastRefreshAt: number | null;
  refreshes: number;
}

export interface TokenSourceOptions {
  inboxKey: string;
  oauth: OAuthSettings;
  /** The mailbox user (the service account acts as this user). */
  user: string;
  store: TokenStorePort;
  /** The configured refresh token's hash, as the store remembers it. */
  configuredHash: (token: string | null) => string | null;
  logger: Logger;
  /** Every change of state (ok ↔ failed), for the channel note and health. */
  onStatus?: (status: SignInStatus, previous: SignInState) => void;
  /** Every token request, and whether it got a token (counted for /metrics). */
  onRefresh?: (ok: boolean) => void;
  now?: () => number;
}

interface Current {
  token: string;
  obtainedAt: number;
  expiresIn: number | null;
  stale: boolean;
  /** Got because a server refused the one before: refused again soon after, the token is not the problem. */
  afterRefusal: boolean;
}

export function createTokenSource(o: TokenSourceOptions) {
  const now = o.now ?? Date.now;
  const log = o.logger;
  let current: Current | null = null;
  let inflight: Promise<string> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let tempFailures = 0;
  let refreshingAfterRefusal = false;
  /** The permanent failure, with the refresh token it happened with and when. */
  let refusedWith: { error: SignInError; refreshToken: string | null; at: number } | null = null;
  const status: SignInStatus = { state: 'starting', failure: null, expiresAt: null, scope: null, lastRefreshAt: null, refreshes: 0 };

  const listeners: NonNullable<TokenSourceOptions['onStatus']>[] = o.onStatus ? [o.onStatus] : [];
  function setState(state: SignInState, failure: SignInFailure | null): void {
    const previous = status.state;
    status.state = state;
    status.failure = failure;
    if (previous !== state) for (const l of listeners) l({ ...status }, previous);
  }

  /** The refresh token to use: a newly configured one (an admin's new consent), else the stored one. */
  function refreshTokenToUse(): string | null {
    const stored = o.store.get(o.inboxKey);
    const configured = o.oauth.refreshToken;
    if (configured && (!stored || stored.configuredHash !== o.configuredHash(configured))) return configured;
    return stored?.refreshToken ?? configured;
  }

  async function ask(refreshToken: string | null): Promise<TokenGrant> {
    switch (o.oauth.grant) {
      case 'client_credentials':
        return clientCredentialsGrant(o.oauth);
      case 'service_account':
        return serviceAccountGrant(o.oauth, o.user, now());
      case 'refresh_token': {
        if (!refreshToken)
          throw new SignInError({ permanent: true, code: 'no_refresh_token', reason: 'not signed in yet: there is no refresh token' });
        const grant = await refreshGrant(o.oauth, refreshToken);
        const rotated = grant.refreshToken !== null && grant.refreshToken !== refreshToken;
        // Stored before the access token is used: a crash must not leave the only valid one in memory.
        // The configured token is recorded on first use, so that from then on the stored one is used.
        if (rotated || refreshToken === o.oauth.refreshToken)
          o.store.save(o.inboxKey, {
            refreshToken: grant.refreshToken ?? refreshToken,
            configuredHash: o.configuredHash(o.oauth.refreshToken),
            source: rotated ? 'rotated' : 'config',
          });
        return grant;
      }
    }
  }

  async function refresh(): Promise<string> {
    const refreshToken = o.oauth.grant === 'refresh_token' ? refreshTokenToUse() : null;
    // Refused for good with these very credentials not long ago: don't ask the provider again yet.
    if (refusedWith && refusedWith.refreshToken === refreshToken && now() - refusedWith.at < PERMANENT_RETRY_MS) throw refusedWith.error;
    const started = performance.now();
    try {
      const grant = await ask(refreshToken);
      const at = now();
      current = { token: grant.accessToken, obtainedAt: at, expiresIn: grant.expiresIn, stale: false, afterRefusal: refreshingAfterRefusal };
      refreshingAfterRefusal = false;
      refusedWith = null;
      tempFailures = 0;
      status.expiresAt = at + (grant.expiresIn ?? 3600) * 1000;
      status.scope = grant.scope;
      status.lastRefreshAt = at;
      status.refreshes += 1;
      o.onRefresh?.(true);
      log.info({ expiresInS: grant.expiresIn, rotated: !!grant.refreshToken, refreshes: status.refreshes, ms: Math.round(performance.now() - started) }, 'OAuth2 access token obtained');
      setState('ok', null);
      schedule(refreshDueAt(at, grant.expiresIn) - at);
      return grant.accessToken;
    } catch (err) {
      const e = err instanceof SignInError ? err : new SignInError({ permanent: false, code: 'error', reason: describeError(err) });
      o.onRefresh?.(false);
      if (e.permanent) {
        refusedWith = { error: e, refreshToken, at: now() };
        log.error({ code: e.failure.code }, 'OAuth2 sign-in refused');
        setState('failed', e.failure);
      } else {
        tempFailures += 1;
        log.warn({ code: e.failure.code, failures: tempFailures }, 'OAuth2 token request failed; will retry');
        if (status.state !== 'failed') setState('failing', e.failure);
        // Keep trying ahead of need while the current token still lives.
        if (current) schedule(refreshRetryMs(tempFailures));
      }
      throw e;
    }
  }

  function schedule(inMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refreshShared().catch(() => undefined), Math.max(1000, inMs));
    timer.unref?.();
  }

  function refreshShared(): Promise<string> {
    return (inflight ??= refresh().finally(() => (inflight = null)));
  }

  const fresh = (c: Current | null): c is Current => !!c && !c.stale && now() < refreshDueAt(c.obtainedAt, c.expiresIn);

  const source = {
    async get(): Promise<string> {
      if (fresh(current)) return current.token;
      return refreshShared();
    },
    refused(token: string): void {
      if (!current || current.token !== token || current.stale) return;
      if (current.afterRefusal && now() - current.obtainedAt < MIN_TOKEN_AGE_FOR_REFRESH_MS) {
        log.warn('the mail server refused a token just issued: check the user name and the app’s permission on the mailbox');
        return;
      }
      log.info('the mail server refused the access token or ended the session; refreshing');
      current.stale = true;
      refreshingAfterRefusal = true;
    },
    expiresAt(token: string): number | null {
      return current && current.token === token ? current.obtainedAt + (current.expiresIn ?? 3600) * 1000 : null;
    },
    /** Gets the first token in the background. */
    start(): void {
      void refreshShared().catch(() => undefined);
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    status: (): SignInStatus => ({ ...status }),
    /** Hears every change of state from now on. */
    onStatus(listener: (status: SignInStatus, previous: SignInState) => void): void {
      listeners.push(listener);
    },
  } satisfies AccessTokens & Record<string, unknown>;
  return source;
}
export type TokenSource = ReturnType<typeof createTokenSource>;

/** A static token (IMAP_ACCESS_TOKEN): nothing to refresh. */
export function staticTokens(token: string): AccessTokens {
  return { get: async () => token, refused: () => undefined };
}

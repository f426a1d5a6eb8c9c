// Talking to an OAuth2 provider's endpoints, through openid-client (panva's maintained OAuth 2
// client: PKCE, device flow and strict response checks done to the RFCs). This file only maps an
// inbox's settings onto it and turns its errors into our SignInError. openid-client loads with
// the first token asked for, so inboxes without OAuth2 never pay for it.
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as OpenId from 'openid-client';
import { classifySignInFailure, type ProviderFailure, type SignInFailure } from '../../core/sign-in.ts';
import { AppError } from '../../errors.ts';

/** What the token source needs of an inbox's `oauth` settings. */
export interface OAuthEndpointSettings {
  provider: string;
  grant: 'refresh_token' | 'client_credentials' | 'service_account';
  clientId: string | null;
  clientSecret: string | null;
  serviceAccountFile: string | null;
  tokenUrl: string;
  authorizeUrl: string | null;
  deviceUrl: string | null;
  scope: string | null;
}

export interface TokenGrant {
  accessToken: string;
  /** Seconds, as the provider said (null when it did not). */
  expiresIn: number | null;
  /** A new refresh token when the provider rotates them. */
  refreshToken: string | null;
  /** Scopes granted, space-separated, when the provider said. */
  scope: string | null;
}

export class SignInError extends AppError {
  readonly permanent: boolean;
  readonly failure: SignInFailure;
  constructor(failure: SignInFailure) {
    super(failure.permanent ? 'auth.signin_refused' : 'auth.signin_unavailable', failure.reason, failure.reason);
    this.name = 'SignInError';
    this.permanent = failure.permanent;
    this.failure = failure;
  }
}

const TIMEOUT_S = 15;
const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i;

let loaded: Promise<typeof OpenId> | null = null;
const openid = () => (loaded ??= import('openid-client'));

/** The client configuration for these settings (no discovery: the endpoints are known). */
async function configuration(s: OAuthEndpointSettings, clientId?: string): Promise<OpenId.Configuration> {
  const client = await openid();
  const server: OpenId.ServerMetadata = {
    issuer: new URL(s.tokenUrl).origin,
    token_endpoint: s.tokenUrl,
    ...(s.authorizeUrl ? { authorization_endpoint: s.authorizeUrl } : {}),
    ...(s.deviceUrl ? { device_authorization_endpoint: s.deviceUrl } : {}),
  };
  const id = clientId ?? s.clientId ?? '';
  const config = s.clientSecret
    ? new client.Configuration(server, id, s.clientSecret, client.ClientSecretPost(s.clientSecret))
    : new client.Configuration(server, id, undefined, client.None());
  config.timeout = TIMEOUT_S;
  // Plain HTTP only ever to this machine (a local provider); the config refuses it elsewhere.
  if ([s.tokenUrl, s.authorizeUrl, s.deviceUrl].some((u) => u && LOOPBACK.test(u))) client.allowInsecureRequests(config);
  return config;
}

/** What went wrong, from whatever openid-client (or the network) threw. */
export function failureOf(err: unknown): ProviderFailure {
  const e = (err ?? {}) as { error?: unknown; error_description?: unknown; status?: unknown; cause?: unknown; name?: unknown; code?: unknown };
  if (typeof e.error === 'string')
    return { error: e.error, description: typeof e.error_description === 'string' ? e.error_description : undefined, status: typeof e.status === 'number' ? e.status : undefined };
  if (typeof e.status === 'number') return { status: e.status };
  const cause = e.cause as { status?: unknown } | undefined;
  if (cause && typeof cause.status === 'number') return { status: cause.status };
  // fetch failed, a timeout, a reset connection: nothing was answered.
  return { network: true, description: err instanceof Error ? err.message : String(err) };
}

const signInError = (err: unknown) => (err instanceof SignInError ? err : new SignInError(classifySignInFailure(failureOf(err))));

function grantOf(r: OpenId.TokenEndpointResponse): TokenGrant {
  return {
    accessToken: r.access_token,
    expiresIn: typeof r.expires_in === 'number' && r.expires_in > 0 ? r.expires_in : null,
    refreshToken: typeof r.refresh_token === 'string' && r.refresh_token ? r.refresh_token : null,
    scope: typeof r.scope === 'string' ? r.scope : null,
  };
}

const scopeParam = (s: OAuthEndpointSettings): Record<string, string> => (s.scope ? { scope: s.scope } : {});

/** A new access token with a refresh token (delegated sign-in). */
export async function refreshGrant(s: OAuthEndpointSettings, refreshToken: string): Promise<TokenGrant> {
  try {
    const client = await openid();
    return grantOf(await client.refreshTokenGrant(await configuration(s), refreshToken, scopeParam(s)));
  } catch (err) {
    throw signInError(err);
  }
}

/** A new access token for the app itself (Microsoft 365 app-only). */
export async function clientCredentialsGrant(s: OAuthEndpointSettings): Promise<TokenGrant> {
  try {
    const client = await openid();
    return grantOf(await client.clientCredentialsGrant(await configuration(s), scopeParam(s)));
  } catch (err) {
    throw signInError(err);
  }
}

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

function readKey(path: string): ServiceAccountKey {
  let key: Partial<ServiceAccountKey>;
  try {
    key = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServiceAccountKey>;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new SignInError({ permanent: true, code: 'service_account_file', reason: `the service-account key ${path} cannot be read (${why})` });
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string')
    throw new SignInError({ permanent: true, code: 'service_account_file', reason: `${path} is not a service-account key (no client_email or private_key)` });
  return key as ServiceAccountKey;
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * A new access token for `user` through a service account with domain-wide delegation (RFC 7523
 * JWT bearer): the assertion is three base64url parts and one RSA-SHA256 signature, which
 * node:crypto makes directly.
 */
export async function serviceAccountGrant(s: OAuthEndpointSettings, user: string, nowMs = Date.now()): Promise<TokenGrant> {
  const key = readKey(s.serviceAccountFile ?? '');
  const iat = Math.floor(nowMs / 1000);
  const head = b64({ alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) });
  const body = b64({ iss: key.client_email, sub: user, scope: s.scope ?? '', aud: s.tokenUrl, iat, exp: iat + 3600 });
  let assertion: string;
  try {
    assertion = `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.private_key).toString('base64url')}`;
  } catch {
    throw new SignInError({ permanent: true, code: 'service_account_file', reason: `the private key in ${s.serviceAccountFile} cannot sign` });
  }
  try {
    const client = await openid();
    const config = await configuration({ ...s, clientSecret: null }, key.client_email);
    return grantOf(await client.genericGrantRequest(config, 'urn:ietf:params:oauth:grant-type:jwt-bearer', { assertion }));
  } catch (err) {
    throw signInError(err);
  }
}

// ---- the one-time consent of `mailroom auth` ----

export interface AuthorizationRequest {
  url: string;
  /** Finishes the sign-in from the address the browser ended on. */
  finish(returnedUrl: string): Promise<TokenGrant>;
}

/** Authorization code with PKCE (S256), redirecting to `redirectUri` (a loopback address). */
export async function startAuthorization(s: OAuthEndpointSettings, redirectUri: string, extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
  const client = await openid();
  const config = await configuration(s);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    ...scopeParam(s),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return {
    url: url.href,
    async finish(returnedUrl) {
      try {
        return grantOf(await client.authorizationCodeGrant(config, new URL(returnedUrl), { pkceCodeVerifier: verifier, expectedState: state }, { redirect_uri: redirectUri }));
      } catch (err) {
        throw signInError(err);
      }
    },
  };
}

export interface DeviceAuthorization {
  /** What to tell the person: where to go and which code to type. */
  verificationUri: string;
  userCode: string;
  message: string | null;
  expiresIn: number;
  /** Resolves once the person has signed in (polling at the provider's pace). */
  wait(signal?: AbortSignal): Promise<TokenGrant>;
}

/** The device-code flow (RFC 8628), as Microsoft offers it. */
export async function startDeviceAuthorization(s: OAuthEndpointSettings): Promise<DeviceAuthorization> {
  const client = await openid();
  const config = await configuration(s);
  let started: OpenId.DeviceAuthorizationResponse;
  try {
    started = await client.initiateDeviceAuthorization(config, scopeParam(s));
  } catch (err) {
    throw signInError(err);
  }
  return {
    verificationUri: started.verification_uri,
    userCode: started.user_code,
    message: typeof started.message === 'string' ? started.message : null,
    expiresIn: started.expires_in,
    async wait(signal) {
      try {
        return grantOf(await client.pollDeviceAuthorizationGrant(config, started, undefined, signal ? { signal } : undefined));
      } catch (err) {
        throw signInError(err);
      }
    },
  };
}

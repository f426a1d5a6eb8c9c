/**
 * A fake OAuth2 provider on 127.0.0.1, strict where real ones are: refresh tokens rotate (the
 * old one stops working at once), access tokens live a few seconds, authorization codes are
 * bound to their PKCE challenge and redirect URI, device codes wait for approval, a service
 * account's JWT assertion is checked against its public key. It also answers Dovecot's RFC 7662
 * introspection, so a real IMAP server checks the tokens it issues. Faults on demand.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOAuthClient {
  id: string;
  /** Omitted: a public client (PKCE only). */
  secret?: string;
}

export interface StartFakeOAuthOptions {
  clients?: FakeOAuthClient[];
  /** The mailbox user every token is for (default support@example.com). */
  user?: string;
  /** Access-token lifetime (default 3600 s). */
  lifetimeSeconds?: number;
  /** Refresh tokens rotate on use (default true). */
  rotate?: boolean;
}

export interface FakeOAuthSettings {
  provider: string;
  grant: 'refresh_token' | 'client_credentials' | 'service_account';
  clientId: string | null;
  clientSecret: string | null;
  serviceAccountFile: string | null;
  tokenUrl: string;
  authorizeUrl: string | null;
  deviceUrl: string | null;
  scope: string | null;
  refreshToken: string | null;
}

export type FakeOAuthFault = { status: number; error?: string; description?: string };

interface Grant {
  user: string;
  clientId: string;
  scope: string;
}

export interface FakeOAuth {
  url: string;
  /** OAUTH_* settings of a custom provider pointing here, with the default client. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The same as an inbox's resolved oauth settings (for building a token source directly). */
  settings(extra?: Partial<FakeOAuthSettings>): FakeOAuthSettings;
  tokenUrl: string;
  authorizeUrl: string;
  deviceUrl: string;
  introspectionUrl: string;
  /** Issues a refresh token as a consent would have (for a test's configuration). */
  issueRefreshToken(clientId?: string, scope?: string): string;
  /** Registers a service account and returns its JSON key file content. */
  serviceAccount(clientEmail?: string): string;
  /** The next `n` token requests answer this instead. */
  failNext(n: number, fault: FakeOAuthFault): void;
  /** Every refresh token stops working (consent revoked); access tokens live on until they expire. */
  revokeAll(): void;
  /** Every access token stops working now (as if all expired). */
  expireAccessTokens(): void;
  set lifetimeSeconds(s: number);
  /** The user of a live access token, or null. */
  check(accessToken: string): string | null;
  /** Approves a pending device code by its user code. */
  approveDevice(userCode: string): void;
  /** What /authorize answers: redirect with a code, or with error=access_denied. */
  consent: 'approve' | 'deny';
  /** Token requests by grant type, in order. */
  readonly requests: { grant: string; ok: boolean; at: number }[];
  /** Refresh tokens that are valid now. */
  liveRefreshTokens(): string[];
  /** Introspection calls (Dovecot's token checks). */
  readonly introspections: number;
  /** Every access and refresh token ever issued (to check none reaches a log). */
  readonly issued: string[];
  stop(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;
const b64url = (s: string) => Buffer.from(s, 'base64url');

export async function startFakeOAuth(o: StartFakeOAuthOptions = {}): Promise<FakeOAuth> {
  const clients = new Map((o.clients ?? [{ id: 'mailroom-client', secret: 'client-Secret-5d2c' }]).map((c) => [c.id, c]));
  const user = o.user ?? 'support@example.com';
  let lifetime = o.lifetimeSeconds ?? 3600;
  const rotate = o.rotate ?? true;
  const access = new Map<string, Grant & { expiresAt: number }>();
  const refresh = new Map<string, Grant>();
  const codes = new Map<string, Grant & { challenge: string; redirectUri: string }>();
  const devices = new Map<string, Grant & { userCode: string; approved: boolean }>();
  const serviceAccounts = new Map<string, ReturnType<typeof createPublicKey>>();
  const faults: { remaining: number; fault: FakeOAuthFault }[] = [];
  const requests: FakeOAuth['requests'] = [];
  let introspections = 0;
  const issued: string[] = [];
  let url = '';

  const issue = (g: Grant, withRefresh: boolean) => {
    const at = token('at');
    issued.push(at);
    access.set(at, { ...g, expiresAt: Date.now() + lifetime * 1000 });
    const body: Record<string, unknown> = { access_token: at, token_type: 'Bearer', expires_in: lifetime, scope: g.scope };
    if (withRefresh) {
      const rt = token('rt');
      issued.push(rt);
      refresh.set(rt, g);
      body.refresh_token = rt;
    }
    return body;
  };

  const clientOf = (p: URLSearchParams, req: http.IncomingMessage): FakeOAuthClient | 'bad' => {
    let id = p.get('client_id');
    let secret = p.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) [id, secret] = Buffer.from(basic[1]!, 'base64').toString().split(':').map(decodeURIComponent) as [string, string];
    const c = id ? clients.get(id) : undefined;
    if (!c || (c.secret !== undefined && c.secret !== secret)) return 'bad';
    return c;
  };

  function tokenRequest(p: URLSearchParams, req: http.IncomingMessage): [number, Record<string, unknown>] {
    const grant = p.get('grant_type') ?? '';
    const fault = faults[0];
    if (fault) {
      if (--fault.remaining <= 0) faults.shift();
      return [fault.fault.status, fault.fault.error ? { error: fault.fault.error, error_description: fault.fault.description ?? fault.fault.error } : { message: 'server error' }];
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtBearer(p.get('assertion') ?? '');
    const client = clientOf(p, req);
    if (client === 'bad') return [401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }];
    if (grant === 'refresh_token') {
      const rt = p.get('refresh_token') ?? '';
      const g = refresh.get(rt);
      if (!g || g.clientId !== client.id) return [400, { error: 'invalid_grant', error_description: 'AADSTS70008: The refresh token has expired or was revoked.' }];
      if (rotate) refresh.delete(rt);
      const body = issue(g, rotate);
      return [200, body];
    }
    if (grant === 'client_credentials') {
      if (client.secret === undefined) return [400, { error: 'unauthorized_client' }];
      return [200, issue({ user, clientId: client.id, scope: p.get('scope') ?? '' }, false)];
    }
    if (grant === 'authorization_code') {
      const c = codes.get(p.get('code') ?? '');
      codes.delete(p.get('code') ?? '');
      const verifier = p.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!c || c.clientId !== client.id || c.redirectUri !== p.get('redirect_uri') || c.challenge !== challenge)
        return [400, { error: 'invalid_grant', error_description: 'bad code, redirect_uri or code_verifier' }];
      return [200, issue(c, true)];
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const d = devices.get(p.get('device_code') ?? '');
      if (!d) return [400, { error: 'expired_token' }];
      if (!d.approved) return [400, { error: 'authorization_pending' }];
      devices.delete(p.get('device_code') ?? '');
      return [200, issue(d, true)];
    }
    return [400, { error: 'unsupported_grant_type' }];
  }

  function jwtBearer(assertion: string): [number, Record<string, unknown>] {
    const [h, pl, sig] = assertion.split('.');
    try {
      const claims = JSON.parse(b64url(pl!).toString()) as { iss: string; sub: string; scope: string; aud: string; exp: number };
      const key = serviceAccounts.get(claims.iss);
      if (!key || !verify('RSA-SHA256', Buffer.from(`${h}.${pl}`), key, b64url(sig!))) return [400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }];
      if (claims.aud !== `${url}/token` || claims.exp * 1000 < Date.now()) return [400, { error: 'invalid_grant', error_description: 'Invalid JWT: aud or exp' }];
      return [200, issue({ user: claims.sub, clientId: claims.iss, scope: claims.scope }, false)];
    } catch {
      return [400, { error: 'invalid_grant', error_description: 'malformed assertion' }];
    }
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', url);
      const p = new URLSearchParams(body);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(value));
      };
      if (u.pathname === '/token' && req.method === 'POST') {
        const [status, value] = tokenRequest(p, req);
        requests.push({ grant: p.get('grant_type') ?? '', ok: status === 200, at: Date.now() });
        return json(status, value);
      }
      if (u.pathname === '/authorize' && req.method === 'GET') {
        const q = u.searchParams;
        const redirect = q.get('redirect_uri') ?? '';
        if (!clients.has(q.get('client_id') ?? '') || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !/^http:\/\/127\.0\.0\.1:\d+\//.test(redirect))
          return json(400, { error: 'invalid_request' });
        const back = new URL(redirect);
        if (consent === 'deny') back.searchParams.set('error', 'access_denied');
        else {
          const code = token('code');
          codes.set(code, { user, clientId: q.get('client_id')!, scope: q.get('scope') ?? '', challenge: q.get('code_challenge')!, redirectUri: redirect });
          back.searchParams.set('code', code);
        }
        if (q.get('state')) back.searchParams.set('state', q.get('state')!);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (u.pathname === '/devicecode' && req.method === 'POST') {
        const client = clientOf(p, req);
        if (client === 'bad') return json(401, { error: 'invalid_client' });
        const deviceCode = token('dc');
        const userCode = randomBytes(4).toString('hex').toUpperCase();
        devices.set(deviceCode, { user, clientId: client.id, scope: p.get('scope') ?? '', userCode, approved: false });
        return json(200, { device_code: deviceCode, user_code: userCode, verification_uri: `${url}/device`, expires_in: 900, interval: 1, message: `To sign in, open ${url}/device and enter the code ${userCode}.` });
      }
      if (u.pathname === '/introspect' && req.method === 'POST') {
        introspections += 1;
        const g = access.get(p.get('token') ?? '');
        return json(200, g && g.expiresAt > Date.now() ? { active: 'true', username: g.user } : { active: 'false' });
      }
      json(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let consent: 'approve' | 'deny' = 'approve';

  const first = [...clients.values()][0]!;
  return {
    url,
    env: (extra = {}) => ({
      OAUTH_PROVIDER: 'custom',
      OAUTH_CLIENT_ID: first.id,
      ...(first.secret ? { OAUTH_CLIENT_SECRET: first.secret } : {}),
      OAUTH_TOKEN_URL: `${url}/token`,
      OAUTH_SCOPE: 'mail',
      ...extra,
    }),
    settings: (extra = {}) => ({
      provider: 'custom',
      grant: 'refresh_token',
      clientId: first.id,
      clientSecret: first.secret ?? null,
      serviceAccountFile: null,
      tokenUrl: `${url}/token`,
      authorizeUrl: `${url}/authorize`,
      deviceUrl: `${url}/devicecode`,
      scope: 'mail',
      refreshToken: null,
      ...extra,
    }),
    tokenUrl: `${url}/token`,
    authorizeUrl: `${url}/authorize`,
    deviceUrl: `${url}/devicecode`,
    introspectionUrl: `${url}/introspect`,
    issueRefreshToken(clientId = [...clients.keys()][0]!, scope = 'mail') {
      const rt = token('rt');
      issued.push(rt);
      refresh.set(rt, { user, clientId, scope });
      return rt;
    },
    serviceAccount(clientEmail = 'mailroom@acme-project.iam.gserviceaccount.com') {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      serviceAccounts.set(clientEmail, publicKey);
      return JSON.stringify({
        type: 'service_account',
        client_email: clientEmail,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        private_key_id: randomBytes(8).toString('hex'),
        token_uri: `${url}/token`,
      });
    },
    failNext(n, fault) {
      faults.push({ remaining: n, fault });
    },
    revokeAll() {
      refresh.clear();
    },
    expireAccessTokens() {
      for (const g of access.values()) g.expiresAt = 0;
    },
    set lifetimeSeconds(s: number) {
      lifetime = s;
    },
    check(accessToken) {
      const g = access.get(accessToken);
      return g && g.expiresAt > Date.now() ? g.user : null;
    },
    approveDevice(userCode) {
      for (const d of devices.values()) if (d.userCode === userCode) d.approved = true;
    },
    get consent() {
      return consent;
    },
    set consent(v) {
      consent = v;
    },
    requests,
    issued,
    liveRefreshTokens: () => [...refresh.keys()],
    get introspections() {
      return introspections;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

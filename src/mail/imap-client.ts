// Every IMAP connection Mailroom opens is made here: the long-lived watcher session, and the
// short ones (Sent folder copies, fetching an original again, doctor). One place for the
// account → imapflow mapping, the timeouts and the habits (no imapflow logs: they can carry
// protocol payloads; an error listener, because a dropped connection otherwise crashes), and
// OAuth2: a token from the inbox's token source, and one refresh and retry when it is refused.
import { ImapFlow } from 'imapflow';
import type { AccessTokens } from './auth/token-source.ts';

export interface ImapAccount {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password?: string | undefined;
  accessToken?: string | undefined;
  /** OAuth2 access tokens (XOAUTH2/OAUTHBEARER), refreshed as needed; takes the place of `accessToken`. */
  tokens?: AccessTokens | undefined;
  /** Extra TLS settings (e.g. { rejectUnauthorized: false } for a self-signed test server). */
  tls?: { rejectUnauthorized?: boolean; servername?: string } | undefined;
}

export interface ImapClientOptions {
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Restart IDLE this often (long-lived sessions). */
  maxIdleTimeMs?: number;
}

/**
 * imapflow's log, dropped (it can carry protocol payloads), except for noticing the login: a
 * server that ends the session right after it is told apart from one that refused it.
 */
function loginWatcher(onSignedIn: () => void) {
  const drop = () => undefined;
  return {
    trace: drop,
    debug: drop,
    warn: drop,
    error: drop,
    fatal: drop,
    info: (entry: unknown) => {
      if ((entry as { msg?: unknown } | null)?.msg === 'User authenticated') onSignedIn();
    },
  };
}

/** A client for the account, not yet connected (`accessToken` as given: see connectImap for OAuth2). */
export function imapClient(account: ImapAccount, o: ImapClientOptions & { onSignedIn?: () => void } = {}): ImapFlow {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: account.accessToken ? { user: account.user, accessToken: account.accessToken } : { user: account.user, pass: account.password ?? '' },
    ...(account.tls ? { tls: account.tls } : {}),
    logger: o.onSignedIn ? loginWatcher(o.onSignedIn) : false,
    emitLogs: false,
    disableAutoIdle: true,
    connectionTimeout: o.connectionTimeoutMs ?? 15_000,
    greetingTimeout: o.greetingTimeoutMs ?? 10_000,
    socketTimeout: o.socketTimeoutMs ?? 5 * 60_000,
    ...(o.maxIdleTimeMs ? { maxIdleTime: o.maxIdleTimeMs } : {}),
  });
  // Failures arrive through the awaited calls; without a listener an 'error' event would crash.
  client.on('error', () => {});
  return client;
}

export interface ConnectedImap {
  client: ImapFlow;
  /** The OAuth2 access token this session signed in with (null for a password). */
  token: string | null;
}

const isAuthFailure = (err: unknown) => (err as { authenticationFailed?: unknown } | null)?.authenticationFailed === true;

/**
 * Connects and signs in. With a token source, a refused token is reported and a fresh one tried
 * once (Exchange refuses a token that has just expired). `onClient` sees each client as soon as
 * it exists, so a caller can close it while it connects. Throws SignInError when no token can be had.
 */
export async function connectImap(account: ImapAccount, o: ImapClientOptions = {}, onClient?: (client: ImapFlow) => void): Promise<ConnectedImap> {
  const attempt = async (token: string | null): Promise<ConnectedImap> => {
    let signedIn = false;
    const client = imapClient(token ? { ...account, accessToken: token } : account, { ...o, onSignedIn: () => (signedIn = true) });
    onClient?.(client);
    try {
      await client.connect();
      return { client, token };
    } catch (err) {
      client.close();
      if (signedIn && err && typeof err === 'object') (err as { afterSignIn?: boolean }).afterSignIn = true;
      throw err;
    }
  };
  const { tokens } = account;
  if (!tokens) return attempt(account.accessToken ?? null);
  const token = await tokens.get();
  try {
    return await attempt(token);
  } catch (err) {
    if (!isAuthFailure(err)) throw err;
    tokens.refused(token);
    const next = await tokens.get();
    if (next === token) throw err;
    return attempt(next);
  }
}

/** The login had succeeded when this connection failed: the server ended the session right after it. */
export const failedAfterSignIn = (err: unknown) => (err as { afterSignIn?: unknown } | null)?.afterSignIn === true;

/** A short session: connect, run `fn`, log out — the whole of it bounded by `timeoutMs`. */
export async function withImap<T>(account: ImapAccount, timeoutMs: number, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  let client: ImapFlow | null = null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  const limits = { connectionTimeoutMs: timeoutMs, greetingTimeoutMs: timeoutMs, socketTimeoutMs: timeoutMs };
  try {
    return await Promise.race([
      (async () => {
        const connected = await connectImap(account, limits, (c) => (client = c));
        return fn(connected.client);
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    const c = client as ImapFlow | null;
    if (c) await c.logout().catch(() => c.close());
  }
}

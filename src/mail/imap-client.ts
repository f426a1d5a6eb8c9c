// Every IMAP connection Mailroom opens is made here: the long-lived watcher session, and the
// short ones (Sent folder copies, fetching an original again, doctor). One place for the
// account → imapflow mapping, the timeouts and the habits (no imapflow logs: they can carry
// protocol payloads; an error listener, because a dropped connection otherwise crashes).
import { ImapFlow } from 'imapflow';

export interface ImapAccount {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password?: string | undefined;
  accessToken?: string | undefined;
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

export function imapClient(account: ImapAccount, o: ImapClientOptions = {}): ImapFlow {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: account.accessToken ? { user: account.user, accessToken: account.accessToken } : { user: account.user, pass: account.password ?? '' },
    ...(account.tls ? { tls: account.tls } : {}),
    logger: false,
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

/** A short session: connect, run `fn`, log out — the whole of it bounded by `timeoutMs`. */
export async function withImap<T>(account: ImapAccount, timeoutMs: number, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = imapClient(account, { connectionTimeoutMs: timeoutMs, greetingTimeoutMs: timeoutMs, socketTimeoutMs: timeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await client.connect();
        return fn(client);
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    await client.logout().catch(() => client.close());
  }
}

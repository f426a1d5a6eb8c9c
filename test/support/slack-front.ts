/**
 * A thin HTTP front for the shared fake Slack (test/support/fake-slack.ts) adding what doctor and
 * Socket Mode need that the fake lacks, the way Slack does them:
 * - every answer to a request with the bot token carries `X-OAuth-Scopes` (the scopes granted);
 * - `apps.connections.open` accepts only the app-level token (Bearer) and returns a WebSocket URL:
 *   with `socket: true`, one of its own (the `ws` package) that says hello as Slack does, so a real
 *   Socket Mode client connects; otherwise a wss:// address nothing answers at.
 * Everything else is forwarded unchanged.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './fake-slack.ts';

export interface SlackFront {
  /** Base URL for SLACK_API_URL, ending in '/api/'. */
  url: string;
  /** Scopes announced in X-OAuth-Scopes; null sends no header. */
  scopes: string[] | null;
  /** Calls to apps.connections.open, with the bearer token each used. */
  connectionsOpened: string[];
  /** Socket Mode connections open now (with `socket: true`). */
  readonly sockets: number;
  /** Ends every Socket Mode connection, as a dropped link would; with `refuse`, new ones too until acceptSockets(). */
  dropSockets(o?: { refuse?: boolean }): void;
  acceptSockets(): void;
  stop(): Promise<void>;
}

export async function startSlackFront(fake: FakeSlack, opts: { appToken: string; scopes: string[] | null; socket?: boolean }): Promise<SlackFront> {
  const front = { scopes: opts.scopes, connectionsOpened: [] as string[] };
  const open = new Set<WebSocket>();
  let refusing = false;
  let wss: WebSocketServer | null = null;
  let wsUrl = 'wss://127.0.0.1:9/link/?ticket=doctor-test&app_id=A0APP00001';
  if (opts.socket) {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss!.once('listening', () => resolve()));
    wsUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/link/?ticket=test&app_id=A0APP00001`;
    wss.on('connection', (socket) => {
      if (refusing) return socket.terminate();
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP00001' } }));
    });
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
      if (req.url?.startsWith('/api/apps.connections.open')) {
        front.connectionsOpened.push(token);
        if (!token) return json(200, { ok: false, error: 'not_authed' });
        if (token !== opts.appToken) return json(200, { ok: false, error: token.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' });
        return json(200, { ok: true, url: wsUrl });
      }
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      fetch(`${fake.origin}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
        .then(async (answer) => {
          const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
          const retryAfter = answer.headers.get('retry-after');
          if (retryAfter) out['retry-after'] = retryAfter;
          if (front.scopes && token === fake.token) out['x-oauth-scopes'] = front.scopes.join(',');
          res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    get scopes() {
      return front.scopes;
    },
    set scopes(v) {
      front.scopes = v;
    },
    connectionsOpened: front.connectionsOpened,
    get sockets() {
      return open.size;
    },
    dropSockets(o = {}) {
      refusing = !!o.refuse;
      for (const s of open) s.terminate();
    },
    acceptSockets() {
      refusing = false;
    },
    async stop() {
      for (const s of open) s.terminate();
      await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

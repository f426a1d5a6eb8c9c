// The operations endpoints — /healthz, /readyz, /metrics — as plain request handlers: Bolt's
// HTTP receiver serves them beside /slack/events in HTTP mode, and in Socket Mode (where Slack
// needs no port) a small server of their own listens on HOST:PORT.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health, HealthAnswer } from './health.ts';

export interface OpsRoutes {
  health: Health;
  /** Null when MAILROOM_METRICS=false. */
  metrics: (() => Promise<{ contentType: string; body: string }>) | null;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const json = (res: http.ServerResponse, a: HealthAnswer) => {
  res.writeHead(a.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(a.body));
};

/** path → handler, for GET. */
export function opsHandlers(o: OpsRoutes): Record<string, Handler> {
  const handlers: Record<string, Handler> = {
    '/healthz': (_req, res) => json(res, o.health.health()),
    '/readyz': (_req, res) => json(res, o.health.ready()),
  };
  const metrics = o.metrics;
  if (metrics)
    handlers['/metrics'] = (_req, res) => {
      metrics().then(
        (m) => {
          res.writeHead(200, { 'content-type': m.contentType });
          res.end(m.body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    };
  return handlers;
}

/** Socket Mode: the endpoints on their own server. Resolves with the port listened on. */
export async function startOpsServer(o: OpsRoutes & { host: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const handlers = opsHandlers(o);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = req.method === 'GET' ? handlers[path] : undefined;
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port }, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

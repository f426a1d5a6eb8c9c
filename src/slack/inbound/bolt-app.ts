// The Bolt app: Socket Mode when an app-level token is configured, otherwise the HTTP receiver on
// /slack/events (signature-verified) with /healthz. Authorization comes from our own cached
// auth.test, so Slack being unreachable at boot never wedges the app: it serves when it can.
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../../config/load.ts';
import type { Identity } from '../outbound/identity.ts';
import { replayGuard } from './middleware/replay-guard.ts';
import type { SlackConnection } from './connection.ts';
import { opsHandlers, startOpsServer, type OpsRoutes } from '../../ops/http.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackLogger } from '../outbound/web.ts';

export type BoltApp = InstanceType<typeof App>;

export interface BoltOptions {
  config: Config;
  identity: Identity;
  logger: Logger;
  /**
   * Answer Slack only once the listeners are done (default true). Slack redelivers an event it
   * got no answer to, so a reply typed in a thread is acknowledged only after it is stored in the
   * outbox: a crash in between can't lose it. Listeners stay well within Slack's 3 seconds.
   */
  processBeforeResponse?: boolean;
  /** /healthz, /readyz and /metrics, served beside /slack/events in HTTP mode. */
  ops: OpsRoutes;
  /** Told when the socket opens and closes, and of every event. */
  connection: SlackConnection;
}

/** Refuse request bodies beyond this (Slack's own payloads are far smaller). */
export const BODY_LIMIT = 1024 * 1024;

export function createBoltApp(o: BoltOptions): BoltApp {
  const { config, identity, connection } = o;
  const logger = slackLogger(o.logger);
  const receiver = config.slack.appToken
    ? new SocketModeReceiver({ appToken: config.slack.appToken, logger, installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } } })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        endpoints: '/slack/events',
        logger,
        processBeforeResponse: o.processBeforeResponse ?? true,
        bodyLimit: BODY_LIMIT,
        customRoutes: Object.entries(opsHandlers(o.ops)).map(([path, handler]) => ({ path, method: ['GET'], handler })),
      });
  const app = new App({
    receiver,
    logger,
    authorize: async () => {
      const me = await identity.require();
      return { botToken: config.slack.botToken, botId: me.botId, botUserId: me.botUserId, teamId: me.teamId };
    },
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 2, maxRetryTime: 10_000 }, timeout: 15_000 },
  });
  app.use(replayGuard());
  app.use(async ({ next }) => {
    connection.eventSeen();
    await next();
  });
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => connection.socket(true));
    receiver.client.on('disconnected', () => connection.socket(false));
    // The socket closing is said at once; 'reconnecting' comes only after the client's retry delay.
    receiver.client.on('close', () => connection.socket(false));
    receiver.client.on('reconnecting', () => connection.socket(false));
  }
  return app;
}

/**
 * Starts Slack's side and the operations endpoints on HOST:PORT: in HTTP mode Bolt's receiver
 * serves both; in Socket Mode the socket connects in the background (an unreachable Slack must not
 * block start-up) and the endpoints get a server of their own. Resolves with the port listened on.
 */
export async function startBolt(o: { bolt: BoltApp; config: Config; ops: OpsRoutes; logger: Logger }): Promise<{ port: number; close(): Promise<void> }> {
  const { bolt, config } = o;
  const stopBolt = () => bolt.stop().then(() => undefined, () => undefined);
  if (config.slack.appToken) {
    void bolt.start().catch((err: unknown) => o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'Socket Mode failed to start'));
    const ops = await startOpsServer({ ...o.ops, host: config.slack.host, port: config.slack.port });
    return { port: ops.port, close: async () => void (await Promise.all([stopBolt(), ops.close()])) };
  }
  const server = (await bolt.start({ port: config.slack.port, host: config.slack.host })) as Server;
  return { port: (server.address() as AddressInfo).port, close: stopBolt };
}

/**
 * A fake Slack Web API on 127.0.0.1 that behaves like the real one at the HTTP level: point
 * `SLACK_API_URL` (Bolt: `clientOptions.slackApiUrl`) at `fake.url`. It keeps workspace state,
 * records every call, and can fail, rate-limit, slow down or vanish on demand.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { SlackMethodError, normaliseArgs } from './fake-slack-api.ts';
import type { Args, Method } from './fake-slack-api.ts';
import { Faults } from './fake-slack-faults.ts';
import type { InjectedFailure, RateLimit } from './fake-slack-faults.ts';
import { bearer, parseArgs, readBody, sendJson, uploadedBytes } from './fake-slack-http.ts';
import { messageMethods } from './fake-slack-messages.ts';
import { DEFAULT_IDENTITY, FakeSlackState } from './fake-slack-state.ts';
import type { FakeChannel, FakeFile, FakeMessage, FakeSlackIdentity, FakeUser, FakeUsergroup, FakeView } from './fake-slack-state.ts';
import { surfaceMethods } from './fake-slack-surfaces.ts';
import { workspaceMethods } from './fake-slack-workspace.ts';
import { sleep, waitFor } from './wait.ts';

export type { FakeChannel, FakeFile, FakeMessage, FakeSlackIdentity, FakeUser, FakeView, InjectedFailure, RateLimit };

export interface RecordedCall {
  /** Web API method, or 'upload' (bytes POSTed to an upload_url), 'file_download', 'response_url'. */
  method: string;
  /** Arguments with JSON fields (blocks, metadata, view, files...) parsed. */
  args: Args;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  token: string | undefined;
  status: number;
  response: unknown;
}

export interface StartFakeSlackOptions {
  /** The bot token the fake accepts (default 'xoxb-fake-token'). */
  token?: string;
  /** Extra accepted tokens acting as given users: token → user id. */
  userTokens?: Record<string, string>;
  identity?: Partial<FakeSlackIdentity>;
  users?: Parameters<FakeSlackState['addUser']>[0][];
  channels?: Parameters<FakeSlackState['addChannel']>[0][];
}

export interface FakeSlack {
  /** Base URL for SLACK_API_URL / slackApiUrl, ending in '/api/'. */
  url: string;
  /** http://127.0.0.1:<port>, where upload, file and response URLs live. */
  origin: string;
  port: number;
  /** The bot token the fake accepts. */
  token: string;
  /** Team, bot user, bot and app ids (the defaults of slack-requests.ts builders). */
  identity: FakeSlackIdentity;
  /** Direct access to the state, for unusual set-ups. */
  state: FakeSlackState;
  /** Recorded calls, all or of one method, in arrival order. */
  calls(method?: string): RecordedCall[];
  /** Resolves with the first recorded call (past or future) of `method` matching `predicate`. */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Forgets recorded calls (state stays). */
  clearCalls(): void;
  /** Top-level messages of a channel (and thread broadcasts), oldest first. */
  messagesIn(channel: string): FakeMessage[];
  /** A thread: parent first, then replies oldest first; empty if no such message. */
  threadOf(channel: string, ts: string): FakeMessage[];
  /** Adds a workspace user (id generated unless given). */
  addUser(user: Parameters<FakeSlackState['addUser']>[0]): FakeUser;
  /** Adds a channel; the bot is a member unless botMember: false. */
  addChannel(channel: Parameters<FakeSlackState['addChannel']>[0]): FakeChannel;
  /** Adds a user group for usergroups.users.list. */
  addUsergroup(group: { id?: string; handle: string; name?: string; users: string[] }): FakeUsergroup;
  /** Registers a file served at its url_private_download, for events that carry files. */
  addFile(file: { name: string; mimetype: string; content: Buffer | string; title?: string; user?: string }): FakeFile;
  /** Puts a message by a human into a channel (as if typed in Slack); pair it with a sent event. */
  postAsUser(channel: string, message: { user: string; text: string; thread_ts?: string; files?: FakeFile[] }): FakeMessage;
  /** Files completed through files.completeUploadExternal, with their bytes and where they were shared. */
  uploads(): { file: FakeFile; content: Buffer; channel?: string; thread_ts?: string }[];
  /** Ephemeral messages sent with chat.postEphemeral. */
  ephemerals(): FakeSlackState['ephemerals'];
  /** Views opened, pushed, updated or published (latest version of each). */
  views(): FakeView[];
  /** A URL like Slack's response_url; POSTs to it are recorded as 'response_url' calls. */
  responseUrl(name?: string): string;
  /** Makes the next `times` calls of `method` ('*' for any) fail as described. */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  /** Limits a method (chat.postMessage by default) per channel with a token bucket; undefined lifts it. */
  rateLimit(limit: RateLimit | undefined): void;
  /** How many calls the rate limiter answered with 429. */
  rateLimitedCount(): number;
  /** Delays answers by `ms` (for one method, or all with '*'). */
  setLatency(ms: number, method?: string): void;
  /** Closes the listener and drops connections: calls now fail with ECONNREFUSED. */
  unreachable(): Promise<void>;
  /** Listens again on the same port. */
  reachable(): Promise<void>;
  /** Stops the server for good. */
  stop(): Promise<void>;
}

const METHODS: Record<string, Method> = { ...workspaceMethods, ...messageMethods, ...surfaceMethods };

/** Starts a fake Slack Web API on 127.0.0.1 with an ephemeral port. */
export async function startFakeSlack(opts: StartFakeSlackOptions = {}): Promise<FakeSlack> {
  const token = opts.token ?? 'xoxb-fake-token';
  const identity: FakeSlackIdentity = { ...DEFAULT_IDENTITY, ...opts.identity };
  let port = 0;
  const origin = () => `http://127.0.0.1:${port}`;
  const state = new FakeSlackState(identity, origin);
  const faults = new Faults();
  const recorded: RecordedCall[] = [];
  const sockets = new Set<Socket>();
  const tokens = new Map<string, string>([[token, identity.botUserId], ...Object.entries(opts.userTokens ?? {})]);

  state.addUser({ id: identity.botUserId, name: identity.botName, is_bot: true, bot_id: identity.botId });
  for (const user of opts.users ?? []) state.addUser(user);
  for (const channel of opts.channels ?? []) state.addChannel(channel);

  function record(method: string, args: Args, tokenUsed: string | undefined, status: number, response: unknown): void {
    recorded.push({ method, args, at: Date.now(), token: tokenUsed, status, response });
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, method: string): Promise<void> {
    const body = await readBody(req);
    let args: Args = await parseArgs(req, body, url);
    const tokenUsed = bearer(req) ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const answer = (status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
      record(method, args, tokenUsed, status, payload);
      sendJson(res, status, payload, headers);
    };
    const latency = faults.latency(method);
    if (latency > 0) await sleep(latency);
    const injected = faults.take(method);
    if (injected) return answer(injected.status, injected.body, injected.headers);
    try {
      args = normaliseArgs(args);
    } catch (err) {
      return answer(200, { ok: false, error: (err as SlackMethodError).error });
    }
    const handler = METHODS[method];
    if (!handler) return answer(200, { ok: false, error: 'unknown_method', req_method: method });
    if (!tokenUsed) return answer(200, { ok: false, error: 'not_authed' });
    const actor = tokens.get(tokenUsed);
    if (!actor) return answer(200, { ok: false, error: 'invalid_auth' });
    const throttled = faults.throttle(method, typeof args.channel === 'string' ? args.channel : undefined);
    if (throttled) return answer(throttled.status, throttled.body, throttled.headers);
    try {
      const result = await handler({ args, state, actor });
      return answer(200, { ok: true, ...result });
    } catch (err) {
      if (err instanceof SlackMethodError) return answer(200, { ok: false, error: err.error, ...err.extra });
      throw err;
    }
  }

  async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, fileId: string): Promise<void> {
    const content = await uploadedBytes(req, await readBody(req));
    const stored = state.files.get(fileId);
    const pending = state.pendingUploads.get(fileId);
    if (!stored || !pending) {
      record('upload', { file_id: fileId }, bearer(req), 404, 'not found');
      res.writeHead(404).end('not found');
      return;
    }
    stored.content = content;
    stored.file.size = content.length;
    pending.uploaded = true;
    record('upload', { file_id: fileId, size: content.length }, bearer(req), 200, `OK - ${content.length}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${content.length}`);
  }

  function handleDownload(req: http.IncomingMessage, res: http.ServerResponse, fileId: string): void {
    const tokenUsed = bearer(req);
    const stored = state.files.get(fileId);
    // Like Slack: without a valid token the answer is a 200 HTML sign-in page, not the file.
    if (!tokenUsed || !tokens.has(tokenUsed) || !stored?.content) {
      record('file_download', { file_id: fileId }, tokenUsed, 200, 'sign-in page');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    record('file_download', { file_id: fileId }, tokenUsed, 200, `${stored.content.length} bytes`);
    res.writeHead(200, { 'content-type': stored.file.mimetype, 'content-length': stored.content.length }).end(stored.content);
  }

  async function handleResponseUrl(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const body = (await readBody(req)).toString('utf8');
    let args: Args;
    try {
      args = { ...(JSON.parse(body) as Args), response_url_name: name };
    } catch {
      args = { raw: body, response_url_name: name };
    }
    record('response_url', args, undefined, 200, { ok: true });
    sendJson(res, 200, { ok: true });
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin());
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts[1]) return handleApi(req, res, url, parts[1]);
    if (parts[0] === 'upload' && parts[1] === 'v1' && parts[2] && req.method === 'POST') return handleUpload(req, res, parts[2]);
    if (parts[0] === 'files-pri' && parts[1]) return handleDownload(req, res, parts[1].split('-').slice(1).join('-'));
    if (parts[0] === 'respond' && parts[1] && req.method === 'POST') return handleResponseUrl(req, res, decodeURIComponent(parts[1]));
    res.writeHead(404).end('not found');
  }

  let server: http.Server | undefined;

  async function listen(): Promise<void> {
    const next = http.createServer((req, res) => {
      route(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fake_slack_crashed', detail: String(err) });
      });
    });
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    const address = next.address();
    if (typeof address === 'object' && address) port = address.port;
    server = next;
  }

  async function close(): Promise<void> {
    const current = server;
    server = undefined;
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of sockets) socket.destroy(); // keep-alive connections too, like a dead host
    await closed;
  }

  await listen();

  return {
    get url() {
      return `${origin()}/api/`;
    },
    get origin() {
      return origin();
    },
    get port() {
      return port;
    },
    token,
    identity,
    state,
    calls: (method) => (method ? recorded.filter((c) => c.method === method) : [...recorded]),
    waitForCall: (method, predicate = () => true, timeoutMs = 5000) =>
      waitFor(() => recorded.find((c) => c.method === method && predicate(c)), {
        timeoutMs,
        description: () => `a ${method} call matching ${predicate.toString().slice(0, 120)} (saw ${recorded.filter((c) => c.method === method).length} ${method} calls)`,
      }),
    clearCalls: () => {
      recorded.length = 0;
    },
    messagesIn: (channel) => structuredClone(state.topLevel(channel)),
    threadOf: (channel, ts) => structuredClone(state.thread(channel, ts)),
    addUser: (user) => state.addUser(user),
    addChannel: (channel) => state.addChannel(channel),
    addUsergroup(group) {
      const stored: FakeUsergroup = { id: group.id ?? state.nextId('S'), handle: group.handle, name: group.name ?? group.handle, users: [...group.users] };
      state.usergroups.set(stored.id, stored);
      return stored;
    },
    addFile: (file) =>
      state.addFile({ ...file, content: typeof file.content === 'string' ? Buffer.from(file.content) : file.content }),
    postAsUser(channel, message) {
      const stored: FakeMessage = { type: 'message', ts: state.nextTs(), user: message.user, text: message.text };
      if (message.thread_ts) stored.thread_ts = message.thread_ts;
      if (message.files) stored.files = structuredClone(message.files);
      return structuredClone(state.addMessage(channel, stored));
    },
    uploads: () =>
      [...state.pendingUploads.entries()].flatMap(([id, p]) => {
        const stored = state.files.get(id);
        if (!p.completed || !stored?.content) return [];
        return [{ file: structuredClone(stored.file), content: stored.content, channel: p.channel, thread_ts: p.thread_ts }];
      }),
    ephemerals: () => structuredClone(state.ephemerals),
    views: () => [...state.views.values()].map((v) => structuredClone(v)),
    responseUrl: (name = state.nextId('R')) => `${origin()}/respond/${encodeURIComponent(name)}`,
    failNext: (method, failure, times = 1) => faults.failNext(method, failure, times),
    rateLimit: (limit) => faults.rateLimit(limit),
    rateLimitedCount: () => faults.rateLimited,
    setLatency: (ms, method) => faults.setLatency(ms, method),
    unreachable: close,
    async reachable() {
      if (!server) await listen();
    },
    stop: close,
  };
}

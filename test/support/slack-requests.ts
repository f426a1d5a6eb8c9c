/**
 * Requests as Slack sends them to an app's HTTP receiver, correctly signed: events (JSON
 * event_callback), slash commands (form body) and interactivity (form `payload=<json>`), plus
 * builders for the common payloads. Identities default to those of the fake Slack API.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_IDENTITY } from './fake-slack-state.ts';

export interface SlackResponse {
  status: number;
  /** The body as text ('' when empty). */
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** Unix seconds for x-slack-request-timestamp (default now); old ones test replay protection. */
  timestamp?: number;
  /** Send this signature instead of the right one. */
  signature?: string;
  headers?: Record<string, string>;
}

/** Slack's request signature: 'v0=' + hex HMAC-SHA256(secret, 'v0:<ts>:<raw body>'). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a raw body with Slack's signature headers and returns status, body and headers. */
export async function sendSigned(url: string, secret: string, body: string, contentType: string, opts: SignOptions = {}): Promise<SlackResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': opts.signature ?? slackSignature(secret, timestamp, body),
      ...opts.headers,
    },
    body,
  });
  return { status: response.status, body: await response.text(), headers: Object.fromEntries(response.headers.entries()) };
}

export interface EventOptions extends SignOptions {
  eventId?: string;
  /** Sets x-slack-retry-num (and x-slack-retry-reason 'http_timeout'), as Slack's redelivery does. */
  retryNum?: number;
  retryReason?: string;
  teamId?: string;
  apiAppId?: string;
  /** The bot user the event is authorised for. */
  botUserId?: string;
}

/** Wraps an event in an event_callback envelope, signs it and POSTs it as JSON. */
export function sendEvent(url: string, secret: string, event: Record<string, unknown>, opts: EventOptions = {}): Promise<SlackResponse> {
  const teamId = opts.teamId ?? DEFAULT_IDENTITY.teamId;
  const envelope = {
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: opts.apiAppId ?? DEFAULT_IDENTITY.appId,
    event: { event_ts: event.ts ?? slackTs(), ...event },
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: opts.botUserId ?? DEFAULT_IDENTITY.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  return sendSigned(url, secret, JSON.stringify(envelope), 'application/json', { ...opts, headers });
}

/** Sends a slash command as a signed form body (Content-Type exactly application/x-www-form-urlencoded). */
export function sendCommand(url: string, secret: string, fields: Record<string, string>, opts: SignOptions = {}): Promise<SlackResponse> {
  return sendSigned(url, secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
}

/** Sends an interactivity payload (block_actions, view_submission, message_action...) as signed `payload=<json>`. */
export function sendInteraction(url: string, secret: string, payload: Record<string, unknown>, opts: SignOptions = {}): Promise<SlackResponse> {
  return sendSigned(url, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts);
}

let tsCounter = 0;

/** A Slack-style message ts ('1700000000.000100'), unique within this process. */
export function slackTs(): string {
  tsCounter = (tsCounter + 1) % 1000;
  const micros = BigInt(Date.now()) * 1000n + BigInt(tsCounter);
  const s = micros.toString();
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

/** A trigger_id stamped with the time it was made; the fake's views.open refuses it after 3 s. */
export function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
}

const team = () => ({ id: DEFAULT_IDENTITY.teamId, domain: DEFAULT_IDENTITY.teamDomain });

/** A `message` event from a user; pass thread_ts for a reply in a thread. */
export function messageEvent(input: { channel: string; user: string; text: string; ts?: string; thread_ts?: string; files?: unknown[]; channel_type?: string; [key: string]: unknown }): Record<string, unknown> {
  const { channel_type, ...rest } = input;
  return {
    type: 'message',
    ...(input.files ? { subtype: 'file_share' } : {}),
    channel_type: channel_type ?? (input.channel.startsWith('D') ? 'im' : 'channel'),
    team: DEFAULT_IDENTITY.teamId,
    ...rest,
    ts: input.ts ?? slackTs(),
  };
}

/** A slash command's form fields. */
export function slashCommand(input: { command: string; text?: string; user: string; channel: string; userName?: string; channelName?: string; responseUrl?: string; triggerId?: string }): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: DEFAULT_IDENTITY.teamId,
    team_domain: DEFAULT_IDENTITY.teamDomain,
    channel_id: input.channel,
    channel_name: input.channelName ?? 'channel',
    user_id: input.user,
    user_name: input.userName ?? input.user.toLowerCase(),
    command: input.command,
    text: input.text ?? '',
    api_app_id: DEFAULT_IDENTITY.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? 'https://hooks.slack.com/commands/T0FAKE0001/1/unused',
    trigger_id: input.triggerId ?? triggerId(),
  };
}

/** A block_actions payload for one action (a button by default) on a message or in a view. */
export function blockActions(input: {
  actionId: string;
  user: string;
  value?: string;
  blockId?: string;
  channel?: string;
  message?: Record<string, unknown>;
  view?: Record<string, unknown>;
  action?: Record<string, unknown>;
  responseUrl?: string;
  triggerId?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: input.user, username: input.user.toLowerCase(), team_id: DEFAULT_IDENTITY.teamId },
    api_app_id: DEFAULT_IDENTITY.appId,
    token: 'legacy-verification-token',
    team: team(),
    trigger_id: input.triggerId ?? triggerId(),
    ...(input.channel ? { channel: { id: input.channel, name: 'channel' }, container: { type: 'message', channel_id: input.channel, message_ts: input.message?.ts, is_ephemeral: false } } : {}),
    ...(input.message ? { message: input.message } : {}),
    ...(input.view ? { view: input.view, container: { type: 'view', view_id: input.view.id } } : {}),
    ...(input.channel || input.responseUrl ? { response_url: input.responseUrl ?? 'https://hooks.slack.com/actions/T0FAKE0001/1/unused' } : {}),
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'block',
        ...(input.value !== undefined ? { value: input.value } : {}),
        action_ts: slackTs(),
        ...input.action,
      },
    ],
  };
}

/** A view_submission payload; `values` is the view's state.values ({ block_id: { action_id: { type, value... } } }). */
export function viewSubmission(input: { callbackId: string; user: string; values: Record<string, Record<string, unknown>>; privateMetadata?: string; viewId?: string; hash?: string; triggerId?: string }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: team(),
    user: { id: input.user, username: input.user.toLowerCase(), team_id: DEFAULT_IDENTITY.teamId },
    api_app_id: DEFAULT_IDENTITY.appId,
    token: 'legacy-verification-token',
    trigger_id: input.triggerId ?? triggerId(),
    view: {
      id: input.viewId ?? 'V0VIEW0001',
      team_id: DEFAULT_IDENTITY.teamId,
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? '',
      state: { values: input.values },
      hash: input.hash ?? '1700000000.abcdef',
      app_id: DEFAULT_IDENTITY.appId,
      bot_id: DEFAULT_IDENTITY.botId,
      blocks: [],
    },
    response_urls: [],
  };
}

/** A message_action (message shortcut) payload on a given message. */
export function messageAction(input: { callbackId: string; user: string; channel: string; message: Record<string, unknown>; responseUrl?: string; triggerId?: string }): Record<string, unknown> {
  return {
    type: 'message_action',
    callback_id: input.callbackId,
    trigger_id: input.triggerId ?? triggerId(),
    message_ts: input.message.ts,
    team: team(),
    user: { id: input.user, name: input.user.toLowerCase(), team_id: DEFAULT_IDENTITY.teamId },
    channel: { id: input.channel, name: 'channel' },
    message: input.message,
    response_url: input.responseUrl ?? 'https://hooks.slack.com/app/T0FAKE0001/1/unused',
    token: 'legacy-verification-token',
    action_ts: slackTs(),
  };
}

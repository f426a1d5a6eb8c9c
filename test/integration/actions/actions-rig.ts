// Helpers for the conversation-action tests: a conversation posted from a real email, signed
// interactions sent to the app's receiver, and readers for what the fake Slack holds.
import { expect } from 'vitest';
import { Blocks } from '../../../src/slack/ui/ids.ts';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, email, type Rig } from '../../helpers/mailroom.ts';
import { DEFAULT_IDENTITY } from '../../support/fake-slack-state.ts';
import { blockActions, messageAction, sendCommand, sendInteraction, slashCommand, viewSubmission, type SlackResponse } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';

let n = 0;

export interface Posted {
  parentTs: string;
  id: number;
  messageId: string;
  /** ts of the email's message in the thread. */
  emailTs: string;
}

/** A customer email, delivered over IMAP and posted in Slack. */
export async function postedConversation(rig: Rig, app: MailroomApp, o: { subject?: string; from?: string; channel?: string; extraBody?: string; deliver?: (raw: string) => Promise<void> } = {}): Promise<Posted> {
  const marker = `marker-${++n}-${Date.now()}`;
  const messageId = `<act-${n}-${Date.now()}@customer.example>`;
  const raw = email({ messageId, body: `${marker}\n\nPlease help.${o.extraBody ?? ''}`, subject: o.subject ?? `Order ${n}`, ...(o.from ? { from: o.from } : {}) });
  await (o.deliver ?? rig.deliver)(raw);
  const channel = o.channel ?? CHANNEL;
  // The parent's snippet holds the marker too: wait for the email itself in the thread.
  const inThread = (ts: string) => rig.slack.threadOf(channel, ts).find((r) => r.ts !== ts && JSON.stringify(r.blocks ?? []).includes(marker));
  const parent = await waitFor(
    () => rig.slack.messagesIn(channel).find((m) => m.metadata?.event_type === 'mailroom_conversation' && inThread(m.ts)),
    { timeoutMs: 10_000 },
  );
  const c = await waitFor(() => app.store.conversations.byParent(channel, parent.ts));
  const emailTs = inThread(parent.ts)!.ts;
  return { parentTs: parent.ts, id: c.id, messageId: messageId.slice(1, -1), emailTs };
}

export function interact(port: number, payload: Record<string, unknown>): Promise<SlackResponse> {
  return sendInteraction(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, payload);
}

export function command(port: number, input: Parameters<typeof slashCommand>[0]): Promise<SlackResponse> {
  return sendCommand(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, slashCommand(input));
}

let answers = 0;
/** Sends `/mailroom TEXT` and returns what the app answered on the command's response_url. */
export async function mailroomAnswer(rig: Rig, port: number, text: string, o: { user?: string; channel?: string } = {}): Promise<Record<string, unknown>> {
  const name = `answer-${++answers}`;
  await command(port, { command: '/mailroom', text, user: o.user ?? MEMBER, channel: o.channel ?? CHANNEL, responseUrl: rig.slack.responseUrl(name) });
  return waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === name)?.args);
}

/** Text of every block of a message, for simple assertions. */
export function blocksText(m: object | undefined): string {
  return JSON.stringify((m as { blocks?: unknown[] } | undefined)?.blocks ?? []);
}

export function parentOf(rig: Rig, channel: string, ts: string) {
  return rig.slack.messagesIn(channel).find((m) => m.ts === ts);
}

/** A button (or overflow, or select) on a conversation's parent message. */
export function parentAction(o: { actionId: string; user: string; channel?: string; parentTs: string; number: number; action?: Record<string, unknown>; value?: string }) {
  return blockActions({
    actionId: o.actionId,
    user: o.user,
    channel: o.channel ?? CHANNEL,
    message: { type: 'message', ts: o.parentTs, text: '' },
    blockId: `${Blocks.parentActions}.${o.number}.none`,
    ...(o.value !== undefined ? { value: o.value } : {}),
    ...(o.action ? { action: o.action } : {}),
  });
}

export function shortcutOn(o: { callbackId: string; user: string; channel?: string; ts: string; threadTs?: string }) {
  return messageAction({
    callbackId: o.callbackId,
    user: o.user,
    channel: o.channel ?? CHANNEL,
    message: { type: 'message', ts: o.ts, text: '', ...(o.threadTs ? { thread_ts: o.threadTs } : {}) },
  });
}

/** The latest modal opened or updated with this callback id. */
export function latestView(rig: Rig, callbackId: string) {
  const views = rig.slack.views().filter((v) => v.callback_id === callbackId);
  return views[views.length - 1];
}

export function submit(port: number, o: { callbackId: string; user: string; values: Record<string, Record<string, unknown>>; privateMetadata?: string }) {
  return interact(port, viewSubmission(o));
}

/** A block_suggestion (external select options request) from a modal. */
export function optionsRequest(o: { user: string; actionId: string; blockId: string; value: string; callbackId: string; privateMetadata: string }) {
  return {
    type: 'block_suggestion',
    user: { id: o.user, name: o.user.toLowerCase(), team_id: DEFAULT_IDENTITY.teamId },
    team: { id: DEFAULT_IDENTITY.teamId, domain: DEFAULT_IDENTITY.teamDomain },
    api_app_id: DEFAULT_IDENTITY.appId,
    token: 'legacy-verification-token',
    action_id: o.actionId,
    block_id: o.blockId,
    value: o.value,
    container: { type: 'view', view_id: 'V0PICKER01' },
    view: { id: 'V0PICKER01', type: 'modal', callback_id: o.callbackId, private_metadata: o.privateMetadata, state: { values: {} }, blocks: [] },
  };
}

/** `response_action: errors` body of a view submission's answer. */
export function fieldErrors(res: SlackResponse): Record<string, string> {
  expect(res.status).toBe(200);
  const body = JSON.parse(res.body || '{}') as { response_action?: string; errors?: Record<string, string> };
  expect(body.response_action).toBe('errors');
  return body.errors ?? {};
}

/** DMs the bot sent to a user. */
export function dmsTo(rig: Rig, userId: string) {
  const dm = [...rig.slack.state.channels.values()].find((c) => c.is_im && c.user === userId);
  return dm ? rig.slack.messagesIn(dm.id) : [];
}

/** Fake Slack methods about messages: chat.*, conversations.history/replies, reactions.*. */
import { blockErrors } from './fake-slack-blocks.ts';
import { SlackMethodError, bool, channelOf, inWindow, paginate, req, str, tsCompare } from './fake-slack-api.ts';
import type { Method, MethodContext } from './fake-slack-api.ts';
import type { FakeChannel, FakeMessage } from './fake-slack-state.ts';

/** A copy of a message as the API returns it; metadata only when asked for, as with include_all_metadata. */
export function present(message: FakeMessage, withMetadata = true): FakeMessage {
  const copy = structuredClone(message);
  if (!withMetadata) delete copy.metadata;
  return copy;
}

function mustBeMember(ctx: MethodContext, channel: FakeChannel): void {
  if (channel.is_archived) throw new SlackMethodError('is_archived');
  if (!channel.is_im && !channel.members.includes(ctx.actor)) throw new SlackMethodError('not_in_channel');
}

// Resolves a user id used as a channel (Slack posts to the DM with the app).
function targetChannel(ctx: MethodContext): FakeChannel {
  const id = req(ctx.args, 'channel', 'channel_not_found');
  if (id.startsWith('U') || id.startsWith('W')) {
    if (!ctx.state.users.has(id)) throw new SlackMethodError('channel_not_found');
    return ctx.state.openDm(id);
  }
  return channelOf(ctx);
}

function checkContent(ctx: MethodContext, required: boolean): void {
  const { args } = ctx;
  if (required && !str(args, 'text') && args.blocks === undefined && args.attachments === undefined)
    throw new SlackMethodError('no_text');
  if (args.blocks !== undefined) {
    const errors = blockErrors(args.blocks);
    if (errors.length) throw new SlackMethodError('invalid_blocks', { errors, response_metadata: { messages: errors } });
  }
  const metadata = args.metadata as { event_type?: unknown; event_payload?: unknown } | undefined;
  if (metadata !== undefined && (typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object'))
    throw new SlackMethodError('invalid_metadata_format');
}

function ownMessage(ctx: MethodContext, tsKey: string, notOwn: string): { channel: FakeChannel; message: FakeMessage } {
  const channel = channelOf(ctx);
  const message = ctx.state.findMessage(channel.id, req(ctx.args, tsKey, 'message_not_found'));
  if (!message) throw new SlackMethodError('message_not_found');
  if (message.user !== ctx.actor) throw new SlackMethodError(notOwn);
  return { channel, message };
}

function reactionTarget(ctx: MethodContext): { channel: FakeChannel; message: FakeMessage } {
  const channel = channelOf(ctx);
  const message = ctx.state.findMessage(channel.id, req(ctx.args, 'timestamp', 'message_not_found'));
  if (!message) throw new SlackMethodError('message_not_found');
  return { channel, message };
}

const postMessage: Method = (ctx) => {
  const { args, state } = ctx;
  const channel = targetChannel(ctx);
  mustBeMember(ctx, channel);
  checkContent(ctx, true);
  let threadTs = str(args, 'thread_ts');
  if (threadTs) {
    const parent = state.findMessage(channel.id, threadTs);
    if (!parent) throw new SlackMethodError('thread_not_found');
    threadTs = parent.thread_ts ?? parent.ts; // a reply to a reply joins the parent's thread
  }
  const { identity } = state;
  const message: FakeMessage = {
    type: 'message',
    ts: state.nextTs(),
    text: str(args, 'text') ?? '',
    user: ctx.actor,
    ...(ctx.actor === identity.botUserId ? { bot_id: identity.botId, app_id: identity.appId } : {}),
  };
  if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
  if (args.attachments !== undefined) message.attachments = args.attachments as unknown[];
  if (args.metadata !== undefined) message.metadata = args.metadata as FakeMessage['metadata'];
  if (threadTs) message.thread_ts = threadTs;
  if (threadTs && bool(args, 'reply_broadcast')) message.subtype = 'thread_broadcast';
  const username = str(args, 'username');
  if (username) message.username = username;
  const iconUrl = str(args, 'icon_url');
  const iconEmoji = str(args, 'icon_emoji');
  if (iconUrl || iconEmoji) message.icons = iconUrl ? { image_72: iconUrl } : { emoji: iconEmoji };
  const unfurlLinks = bool(args, 'unfurl_links');
  const unfurlMedia = bool(args, 'unfurl_media');
  if (unfurlLinks !== undefined) message.unfurl_links = unfurlLinks;
  if (unfurlMedia !== undefined) message.unfurl_media = unfurlMedia;
  state.addMessage(channel.id, message);
  return { channel: channel.id, ts: message.ts, message: present(message) };
};

const update: Method = (ctx) => {
  const { channel, message } = ownMessage(ctx, 'ts', 'cant_update_message');
  checkContent(ctx, false);
  const { args } = ctx;
  if (args.text !== undefined) message.text = String(args.text);
  if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
  if (args.attachments !== undefined) message.attachments = args.attachments as unknown[];
  if (args.metadata !== undefined) message.metadata = args.metadata as FakeMessage['metadata'];
  message.edited = { user: ctx.actor, ts: ctx.state.nextTs() };
  return { channel: channel.id, ts: message.ts, text: message.text, message: present(message) };
};

const remove: Method = (ctx) => {
  const { channel, message } = ownMessage(ctx, 'ts', 'cant_delete_message');
  ctx.state.removeMessage(channel.id, message.ts);
  return { channel: channel.id, ts: message.ts };
};

const postEphemeral: Method = (ctx) => {
  const channel = channelOf(ctx);
  mustBeMember(ctx, channel);
  const user = req(ctx.args, 'user', 'user_not_found');
  if (!ctx.state.users.has(user)) throw new SlackMethodError('user_not_found');
  if (!channel.is_im && !channel.members.includes(user)) throw new SlackMethodError('user_not_in_channel');
  checkContent(ctx, true);
  const ts = ctx.state.nextTs();
  ctx.state.ephemerals.push({
    channel: channel.id,
    user,
    ts,
    text: str(ctx.args, 'text') ?? '',
    blocks: ctx.args.blocks as unknown[] | undefined,
    thread_ts: str(ctx.args, 'thread_ts'),
  });
  return { message_ts: ts };
};

const getPermalink: Method = (ctx) => {
  const channel = channelOf(ctx);
  const message = ctx.state.findMessage(channel.id, req(ctx.args, 'message_ts', 'message_not_found'));
  if (!message) throw new SlackMethodError('message_not_found');
  return { channel: channel.id, permalink: ctx.state.permalink(channel.id, message.ts, message.thread_ts) };
};

const history: Method = (ctx) => {
  const channel = channelOf(ctx);
  mustBeMember(ctx, channel);
  const withMetadata = bool(ctx.args, 'include_all_metadata') ?? false;
  const newestFirst = ctx.state
    .topLevel(channel.id)
    .filter((m) => inWindow(m.ts, ctx.args))
    .sort((a, b) => tsCompare(b.ts, a.ts));
  const page = paginate(newestFirst, ctx.args);
  return {
    messages: page.items.map((m) => present(m, withMetadata)),
    has_more: page.next_cursor !== '',
    pin_count: 0,
    response_metadata: { next_cursor: page.next_cursor },
  };
};

const replies: Method = (ctx) => {
  const channel = channelOf(ctx);
  mustBeMember(ctx, channel);
  const thread = ctx.state.thread(channel.id, req(ctx.args, 'ts', 'thread_not_found'));
  if (thread.length === 0) throw new SlackMethodError('thread_not_found');
  const withMetadata = bool(ctx.args, 'include_all_metadata') ?? false;
  // The parent always comes first, whatever the oldest/latest window says.
  const [parent, ...rest] = thread;
  const list = [parent!, ...rest.filter((m) => inWindow(m.ts, ctx.args))];
  const page = paginate(list, ctx.args, 1000);
  return {
    messages: page.items.map((m) => present(m, withMetadata)),
    has_more: page.next_cursor !== '',
    response_metadata: { next_cursor: page.next_cursor },
  };
};

function reactionName(ctx: MethodContext): string {
  const name = req(ctx.args, 'name', 'invalid_name');
  if (name.includes(':') || /\s/.test(name)) throw new SlackMethodError('invalid_name');
  return name;
}

const reactionsAdd: Method = (ctx) => {
  const { message } = reactionTarget(ctx);
  const name = reactionName(ctx);
  const reactions = (message.reactions ??= []);
  let reaction = reactions.find((r) => r.name === name);
  if (reaction?.users.includes(ctx.actor)) throw new SlackMethodError('already_reacted');
  if (!reaction) {
    reaction = { name, users: [], count: 0 };
    reactions.push(reaction);
  }
  reaction.users.push(ctx.actor);
  reaction.count = reaction.users.length;
  return {};
};

const reactionsRemove: Method = (ctx) => {
  const { message } = reactionTarget(ctx);
  const name = reactionName(ctx);
  const reaction = message.reactions?.find((r) => r.name === name);
  if (!reaction || !reaction.users.includes(ctx.actor)) throw new SlackMethodError('no_reaction');
  reaction.users = reaction.users.filter((u) => u !== ctx.actor);
  reaction.count = reaction.users.length;
  if (reaction.count === 0) message.reactions = message.reactions!.filter((r) => r !== reaction);
  if (message.reactions?.length === 0) delete message.reactions;
  return {};
};

const reactionsGet: Method = (ctx) => {
  const { channel, message } = reactionTarget(ctx);
  return { type: 'message', channel: channel.id, message: present(message, false) };
};

/** Message-related Web API methods by name. */
export const messageMethods: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'conversations.history': history,
  'conversations.replies': replies,
  'reactions.add': reactionsAdd,
  'reactions.remove': reactionsRemove,
  'reactions.get': reactionsGet,
};

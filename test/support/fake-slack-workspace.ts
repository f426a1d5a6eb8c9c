/** Fake Slack methods about the workspace: auth, users, conversations, usergroups, bots, team. */
import { SlackMethodError, bool, channelOf, paginate, req, str } from './fake-slack-api.ts';
import type { Method } from './fake-slack-api.ts';
import type { FakeChannel } from './fake-slack-state.ts';

function presentChannel(channel: FakeChannel, actor: string): Record<string, unknown> {
  const { members, ...rest } = channel;
  return { ...structuredClone(rest), is_member: channel.is_im || members.includes(actor), num_members: members.length };
}

const authTest: Method = ({ state, actor }) => {
  const { identity } = state;
  const isBot = actor === identity.botUserId;
  return {
    url: `https://${identity.teamDomain}.slack.com/`,
    team: identity.teamName,
    user: isBot ? identity.botName : (state.users.get(actor)?.name ?? actor),
    team_id: identity.teamId,
    user_id: actor,
    ...(isBot ? { bot_id: identity.botId, app_id: identity.appId } : {}),
    is_enterprise_install: false,
  };
};

const usersInfo: Method = ({ args, state }) => {
  const user = state.users.get(req(args, 'user', 'user_not_found'));
  if (!user) throw new SlackMethodError('user_not_found');
  return { user: structuredClone(user) };
};

const usersList: Method = ({ args, state }) => {
  const page = paginate([...state.users.values()], args, 200);
  return { members: structuredClone(page.items), response_metadata: { next_cursor: page.next_cursor } };
};

const usersLookupByEmail: Method = ({ args, state }) => {
  const email = req(args, 'email', 'users_not_found').toLowerCase();
  const user = [...state.users.values()].find((u) => u.profile.email?.toLowerCase() === email);
  if (!user) throw new SlackMethodError('users_not_found');
  return { user: structuredClone(user) };
};

const conversationsInfo: Method = (ctx) => ({ channel: presentChannel(channelOf(ctx), ctx.actor) });

const conversationsMembers: Method = (ctx) => {
  const page = paginate(channelOf(ctx).members, ctx.args, 100);
  return { members: page.items, response_metadata: { next_cursor: page.next_cursor } };
};

const conversationsJoin: Method = (ctx) => {
  const channel = channelOf(ctx);
  if (channel.is_private || channel.is_im) throw new SlackMethodError('method_not_supported_for_channel_type');
  if (channel.is_archived) throw new SlackMethodError('is_archived');
  const already = channel.members.includes(ctx.actor);
  if (!already) channel.members.push(ctx.actor);
  return { channel: presentChannel(channel, ctx.actor), ...(already ? { warning: 'already_in_channel' } : {}) };
};

const conversationsOpen: Method = (ctx) => {
  const { args, state } = ctx;
  const channelId = str(args, 'channel');
  if (channelId) return { channel: presentChannel(channelOf(ctx), ctx.actor) };
  const users = req(args, 'users', 'users_list_not_supplied').split(',').map((u) => u.trim()).filter(Boolean);
  if (users.length !== 1) throw new SlackMethodError('not_enough_users'); // group DMs are not faked
  if (!state.users.has(users[0]!)) throw new SlackMethodError('user_not_found');
  const dm = state.openDm(users[0]!);
  return { channel: bool(args, 'return_im') ? presentChannel(dm, ctx.actor) : { id: dm.id } };
};

const conversationsList: Method = (ctx) => {
  const types = (str(ctx.args, 'types') ?? 'public_channel').split(',');
  const excludeArchived = bool(ctx.args, 'exclude_archived') ?? false;
  const wanted = [...ctx.state.channels.values()].filter((c) => {
    if (excludeArchived && c.is_archived) return false;
    if (c.is_im) return types.includes('im');
    return types.includes(c.is_private ? 'private_channel' : 'public_channel');
  });
  const page = paginate(wanted, ctx.args, 100);
  return { channels: page.items.map((c) => presentChannel(c, ctx.actor)), response_metadata: { next_cursor: page.next_cursor } };
};

const usergroupUsers: Method = ({ args, state }) => {
  const group = state.usergroups.get(req(args, 'usergroup', 'no_such_subteam'));
  if (!group) throw new SlackMethodError('no_such_subteam');
  return { users: [...group.users] };
};

const botsInfo: Method = ({ args, state }) => {
  const { identity } = state;
  const id = str(args, 'bot') ?? identity.botId;
  if (id !== identity.botId) throw new SlackMethodError('bot_not_found');
  return {
    bot: {
      id,
      deleted: false,
      name: identity.botName,
      updated: 1700000000,
      app_id: identity.appId,
      user_id: identity.botUserId,
      icons: { image_36: 'https://avatars.example/bot36.png', image_48: 'https://avatars.example/bot48.png', image_72: 'https://avatars.example/bot72.png' },
    },
  };
};

const teamInfo: Method = ({ state }) => {
  const { identity } = state;
  return {
    team: {
      id: identity.teamId,
      name: identity.teamName,
      domain: identity.teamDomain,
      email_domain: '',
      icon: { image_68: 'https://avatars.example/team68.png', image_default: true },
    },
  };
};

/** Workspace-related Web API methods by name. */
export const workspaceMethods: Record<string, Method> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.list': usersList,
  'users.lookupByEmail': usersLookupByEmail,
  'conversations.info': conversationsInfo,
  'conversations.members': conversationsMembers,
  'conversations.join': conversationsJoin,
  'conversations.open': conversationsOpen,
  'conversations.list': conversationsList,
  'usergroups.users.list': usergroupUsers,
  'bots.info': botsInfo,
  'team.info': teamInfo,
};

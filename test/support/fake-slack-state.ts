/** The state behind the fake Slack Web API: workspace, users, channels, messages, files, views. */

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  tz: string;
  profile: { email?: string; display_name: string; real_name: string; image_72: string; bot_id?: string };
}

export interface FakeChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_private: boolean;
  is_archived: boolean;
  created: number;
  /** For DMs: the other user. */
  user?: string;
  topic: { value: string };
  purpose: { value: string };
  members: string[];
}

export interface FakeReaction {
  name: string;
  users: string[];
  count: number;
}

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  url_private: string;
  url_private_download: string;
  permalink: string;
  created: number;
}

export interface FakeMessage {
  type: 'message';
  ts: string;
  text: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  username?: string;
  icons?: { image_72?: string; emoji?: string };
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  reactions?: FakeReaction[];
  files?: FakeFile[];
  edited?: { user: string; ts: string };
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

export interface FakeView {
  id: string;
  team_id: string;
  type: string;
  callback_id?: string;
  external_id?: string;
  private_metadata?: string;
  hash: string;
  state: { values: Record<string, unknown> };
  /** 'modal' stack position or 'home' tab owner. */
  kind: 'modal' | 'home';
  user_id?: string;
  [key: string]: unknown;
}

export interface FakeUsergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface FakeSlackIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

export const DEFAULT_IDENTITY: FakeSlackIdentity = {
  teamId: 'T0FAKE0001',
  teamName: 'Mailroom Test',
  teamDomain: 'mailroom-test',
  botUserId: 'U0BOT00001',
  botId: 'B0BOT00001',
  appId: 'A0APP00001',
  botName: 'mailroom',
};

/** All mutable state of one fake workspace. */
export class FakeSlackState {
  users = new Map<string, FakeUser>();
  channels = new Map<string, FakeChannel>();
  /** Every message per channel (top level and replies), in ts order. */
  messages = new Map<string, FakeMessage[]>();
  files = new Map<string, { file: FakeFile; content: Buffer | undefined }>();
  views = new Map<string, FakeView>();
  usergroups = new Map<string, FakeUsergroup>();
  /** Files announced by files.getUploadURLExternal, and whether their bytes arrived. */
  pendingUploads = new Map<string, { length: number; uploaded: boolean; completed: boolean; channel?: string; thread_ts?: string }>();
  ephemerals: { channel: string; user: string; ts: string; text: string; blocks?: unknown[]; thread_ts?: string }[] = [];
  private lastMicros = 0n;
  private counter = 0;

  constructor(
    readonly identity: FakeSlackIdentity,
    readonly origin: () => string,
  ) {}

  /** Next Slack-style timestamp: seconds.micros, unique and increasing. */
  nextTs(): string {
    const now = BigInt(Date.now()) * 1000n;
    this.lastMicros = now > this.lastMicros ? now : this.lastMicros + 1n;
    const s = this.lastMicros.toString();
    return `${s.slice(0, -6)}.${s.slice(-6)}`;
  }

  /** A fresh id with Slack's prefix letter, e.g. 'C', 'U', 'F', 'V', 'D'. */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}0${String(this.counter).padStart(8, '0')}`;
  }

  /** The live message list of a channel, created empty on first use. */
  channelMessages(channel: string): FakeMessage[] {
    let list = this.messages.get(channel);
    if (!list) {
      list = [];
      this.messages.set(channel, list);
    }
    return list;
  }

  /** The stored message with this ts, if any. */
  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  /** Stores a message, updating its thread parent's reply fields as Slack does. */
  addMessage(channel: string, message: FakeMessage): FakeMessage {
    this.channelMessages(channel).push(message);
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const parent = this.findMessage(channel, message.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = message.ts;
        const who = message.user ?? message.bot_id;
        if (who && !(parent.reply_users ?? []).includes(who)) parent.reply_users = [...(parent.reply_users ?? []), who];
      }
    }
    return message;
  }

  /** Deletes a message, keeping its thread parent's reply_count right. */
  removeMessage(channel: string, ts: string): boolean {
    const list = this.messages.get(channel);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || index < 0) return false;
    const [removed] = list.splice(index, 1);
    if (removed?.thread_ts && removed.thread_ts !== removed.ts) {
      const parent = this.findMessage(channel, removed.thread_ts);
      if (parent) parent.reply_count = Math.max(0, (parent.reply_count ?? 1) - 1);
    }
    return true;
  }

  /** Top-level messages (and thread broadcasts), oldest first, as a channel shows them. */
  topLevel(channel: string): FakeMessage[] {
    return (this.messages.get(channel) ?? []).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast',
    );
  }

  /** Parent then replies, oldest first; empty if there is no such message. */
  thread(channel: string, ts: string): FakeMessage[] {
    const list = this.messages.get(channel) ?? [];
    const parent = list.find((m) => m.ts === ts);
    if (!parent) return [];
    return [parent, ...list.filter((m) => m.ts !== ts && m.thread_ts === ts)];
  }

  /** A permalink in Slack's format (thread replies carry thread_ts and cid). */
  permalink(channel: string, ts: string, threadTs?: string): string {
    const base = `https://${this.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
    return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
  }

  /** Adds (or replaces) a user; unspecified fields get plausible values. */
  addUser(input: { id?: string; name: string; real_name?: string; email?: string; is_bot?: boolean; deleted?: boolean; tz?: string; bot_id?: string }): FakeUser {
    const id = input.id ?? this.nextId('U');
    const realName = input.real_name ?? input.name;
    const user: FakeUser = {
      id,
      team_id: this.identity.teamId,
      name: input.name,
      real_name: realName,
      deleted: input.deleted ?? false,
      is_bot: input.is_bot ?? false,
      tz: input.tz ?? 'Europe/London',
      profile: {
        ...(input.email ? { email: input.email } : {}),
        display_name: input.name,
        real_name: realName,
        image_72: `https://avatars.example/${id}.png`,
        ...(input.bot_id ? { bot_id: input.bot_id } : {}),
      },
    };
    this.users.set(id, user);
    return user;
  }

  /** Adds (or replaces) a channel; the bot is a member unless botMember is false. */
  addChannel(input: { id?: string; name: string; is_private?: boolean; members?: string[]; botMember?: boolean; is_archived?: boolean }): FakeChannel {
    const id = input.id ?? this.nextId(input.is_private ? 'G' : 'C');
    const members = [...(input.members ?? [])];
    if ((input.botMember ?? true) && !members.includes(this.identity.botUserId)) members.push(this.identity.botUserId);
    const channel: FakeChannel = {
      id,
      name: input.name,
      is_channel: !input.is_private,
      is_group: !!input.is_private,
      is_im: false,
      is_private: !!input.is_private,
      is_archived: !!input.is_archived,
      created: Math.floor(Date.now() / 1000),
      topic: { value: '' },
      purpose: { value: '' },
      members,
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** The bot's DM channel with a user, created on first use. */
  openDm(user: string): FakeChannel {
    for (const channel of this.channels.values()) if (channel.is_im && channel.user === user) return channel;
    const id = this.nextId('D');
    const channel: FakeChannel = {
      id,
      name: id,
      is_channel: false,
      is_group: false,
      is_im: true,
      is_private: true,
      is_archived: false,
      created: Math.floor(Date.now() / 1000),
      user,
      topic: { value: '' },
      purpose: { value: '' },
      members: [this.identity.botUserId, user],
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** Registers a file whose bytes the fake serves at url_private_download. */
  addFile(input: { name: string; mimetype: string; content?: Buffer; title?: string; user?: string; id?: string }): FakeFile {
    const id = input.id ?? this.nextId('F');
    const url = `${this.origin()}/files-pri/${this.identity.teamId}-${id}/${encodeURIComponent(input.name)}`;
    const file: FakeFile = {
      id,
      name: input.name,
      title: input.title ?? input.name,
      mimetype: input.mimetype,
      filetype: input.name.includes('.') ? (input.name.split('.').pop() ?? 'binary') : 'binary',
      size: input.content?.length ?? 0,
      user: input.user ?? this.identity.botUserId,
      url_private: url,
      url_private_download: `${url}?download=1`,
      permalink: `https://${this.identity.teamDomain}.slack.com/files/${input.user ?? this.identity.botUserId}/${id}/${encodeURIComponent(input.name)}`,
      created: Math.floor(Date.now() / 1000),
    };
    this.files.set(id, { file, content: input.content });
    return file;
  }
}

/** Fake Slack methods for views (modals, App Home) and the three-step external file upload. */
import { randomBytes } from 'node:crypto';
import { blockErrors } from './fake-slack-blocks.ts';
import { SlackMethodError, channelOf, num, req, str } from './fake-slack-api.ts';
import type { Method, MethodContext } from './fake-slack-api.ts';
import type { FakeFile, FakeMessage, FakeView } from './fake-slack-state.ts';

/** How long Slack honours a trigger_id. */
export const TRIGGER_TTL_MS = 3000;

// Trigger ids minted by slack-requests.ts start with the millisecond time they were made; those are
// held to Slack's 3-second lifetime. Others (hand-written in a test) are accepted as they are.
function checkTrigger(ctx: MethodContext): void {
  const trigger = req(ctx.args, 'trigger_id', 'invalid_trigger_id');
  const minted = /^(\d{13})\./.exec(trigger);
  if (minted && Date.now() - Number(minted[1]) > TRIGGER_TTL_MS) throw new SlackMethodError('expired_trigger_id');
}

function viewArg(ctx: MethodContext, surface: 'modal' | 'home'): Record<string, unknown> {
  const view = ctx.args.view;
  if (typeof view !== 'object' || view === null) throw new SlackMethodError('invalid_arguments');
  const v = view as Record<string, unknown>;
  if (v.type !== surface) throw new SlackMethodError('invalid_arguments', { response_metadata: { messages: [`view type must be ${surface}`] } });
  if (surface === 'modal' && !v.title) throw new SlackMethodError('invalid_arguments', { response_metadata: { messages: ['missing title'] } });
  const errors = blockErrors(v.blocks ?? [], surface);
  if (errors.length) throw new SlackMethodError('invalid_arguments', { response_metadata: { messages: errors } });
  return v;
}

function storeView(ctx: MethodContext, view: Record<string, unknown>, kind: 'modal' | 'home', extra: Partial<FakeView> = {}): FakeView {
  const { state } = ctx;
  const stored: FakeView = {
    ...structuredClone(view),
    id: extra.id ?? state.nextId('V'),
    team_id: state.identity.teamId,
    type: String(view.type),
    hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    state: { values: {} },
    app_id: state.identity.appId,
    bot_id: state.identity.botId,
    kind,
    ...extra,
  } as FakeView;
  state.views.set(stored.id, stored);
  return stored;
}

function present(view: FakeView): Record<string, unknown> {
  const { kind: _kind, ...rest } = structuredClone(view);
  return rest;
}

const viewsOpen: Method = (ctx) => {
  checkTrigger(ctx);
  const view = storeView(ctx, viewArg(ctx, 'modal'), 'modal');
  view.root_view_id = view.id;
  return { view: present(view) };
};

const viewsPush: Method = (ctx) => {
  checkTrigger(ctx);
  const view = storeView(ctx, viewArg(ctx, 'modal'), 'modal');
  return { view: present(view) };
};

const viewsUpdate: Method = (ctx) => {
  const { args, state } = ctx;
  const id = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  const existing = id ? state.views.get(id) : [...state.views.values()].find((v) => externalId && v.external_id === externalId);
  if (!existing) throw new SlackMethodError('not_found');
  const hash = str(args, 'hash');
  if (hash && hash !== existing.hash) throw new SlackMethodError('hash_conflict');
  const view = storeView(ctx, viewArg(ctx, existing.kind), existing.kind, { id: existing.id, user_id: existing.user_id, root_view_id: existing.root_view_id });
  return { view: present(view) };
};

const viewsPublish: Method = (ctx) => {
  const user = req(ctx.args, 'user_id', 'user_not_found');
  if (!ctx.state.users.has(user)) throw new SlackMethodError('user_not_found');
  const previous = [...ctx.state.views.values()].find((v) => v.kind === 'home' && v.user_id === user);
  const hash = str(ctx.args, 'hash');
  if (previous && hash && hash !== previous.hash) throw new SlackMethodError('hash_conflict');
  const view = storeView(ctx, viewArg(ctx, 'home'), 'home', { id: previous?.id, user_id: user });
  return { view: present(view) };
};

const getUploadUrl: Method = (ctx) => {
  const filename = req(ctx.args, 'filename', 'invalid_arguments');
  const length = num(ctx.args, 'length');
  if (length === undefined || length < 0) throw new SlackMethodError('invalid_arguments');
  const file = ctx.state.addFile({ name: filename, mimetype: 'application/octet-stream', user: ctx.actor });
  ctx.state.pendingUploads.set(file.id, { length, uploaded: false, completed: false });
  return { upload_url: `${ctx.state.origin()}/upload/v1/${file.id}`, file_id: file.id };
};

const completeUpload: Method = (ctx) => {
  const { args, state } = ctx;
  const list = args.files;
  if (!Array.isArray(list) || list.length === 0) throw new SlackMethodError('invalid_arguments');
  const pendings: { completed: boolean; channel?: string; thread_ts?: string }[] = [];
  const files: FakeFile[] = list.map((entry: { id?: string; title?: string }) => {
    const stored = entry.id ? state.files.get(entry.id) : undefined;
    const pending = entry.id ? state.pendingUploads.get(entry.id) : undefined;
    if (!stored || !pending) throw new SlackMethodError('file_not_found');
    if (!pending.uploaded) throw new SlackMethodError('file_upload_not_completed'); // bytes never POSTed
    if (entry.title) stored.file.title = entry.title;
    pendings.push(pending);
    return stored.file;
  });
  const channelId = str(args, 'channel_id') ?? str(args, 'channels')?.split(',')[0];
  if (channelId) {
    const channel = channelOf({ ...ctx, args: { channel: channelId } });
    if (!channel.is_im && !channel.members.includes(ctx.actor)) throw new SlackMethodError('not_in_channel');
    const threadTs = str(args, 'thread_ts');
    if (threadTs && !state.findMessage(channel.id, threadTs)) throw new SlackMethodError('thread_not_found');
    const message: FakeMessage = {
      type: 'message',
      ts: state.nextTs(),
      text: str(args, 'initial_comment') ?? '',
      user: ctx.actor,
      files: structuredClone(files),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    state.addMessage(channel.id, message);
    for (const p of pendings) Object.assign(p, { channel: channel.id, thread_ts: threadTs });
  }
  for (const p of pendings) p.completed = true;
  return { files: files.map((f) => ({ id: f.id, title: f.title })) };
};

const filesInfo: Method = ({ args, state }) => {
  const stored = state.files.get(req(args, 'file', 'file_not_found'));
  if (!stored) throw new SlackMethodError('file_not_found');
  return { file: structuredClone(stored.file) };
};

/** View and file methods by name. */
export const surfaceMethods: Record<string, Method> = {
  'views.open': viewsOpen,
  'views.push': viewsPush,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'files.info': filesInfo,
};

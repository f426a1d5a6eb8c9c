/** Shared pieces of the fake Slack Web API methods: argument reading, errors, cursor pagination. */
import type { FakeChannel, FakeSlackState } from './fake-slack-state.ts';

export type Args = Record<string, unknown>;

export interface MethodContext {
  args: Args;
  state: FakeSlackState;
  /** The user the token speaks for (the bot user for the bot token). */
  actor: string;
}

export type MethodResult = Record<string, unknown>;
export type Method = (ctx: MethodContext) => MethodResult | Promise<MethodResult>;

/** A Slack `{ ok: false, error }` answer. */
export class SlackMethodError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

// Fields the Web API takes as JSON; in form bodies they arrive as JSON strings.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'files', 'unfurls', 'user_auth_blocks', 'options']);

/** Parses stringified JSON fields in place so handlers (and recorded calls) see objects. */
export function normaliseArgs(args: Args): Args {
  const out: Args = { ...args };
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (JSON_FIELDS.has(key) && typeof value === 'string' && value.trim() !== '') {
      try {
        out[key] = JSON.parse(value);
      } catch {
        throw new SlackMethodError(`invalid_${key === 'blocks' ? 'blocks_format' : 'arguments'}`);
      }
    }
  }
  return out;
}

/** A string argument; throws `errorIfMissing` when required and absent. */
export function str(args: Args, key: string, errorIfMissing?: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') {
    if (errorIfMissing) throw new SlackMethodError(errorIfMissing);
    return undefined;
  }
  return String(value);
}

/** A required string argument. */
export function req(args: Args, key: string, error = 'invalid_arguments'): string {
  return str(args, key, error) as string;
}

/** A boolean argument, accepting form values 'true'/'1'. */
export function bool(args: Args, key: string): boolean | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A numeric argument. */
export function num(args: Args, key: string): number | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Looks up a channel or throws channel_not_found. */
export function channelOf(ctx: MethodContext, key = 'channel'): FakeChannel {
  const id = req(ctx.args, key, 'channel_not_found');
  const channel = ctx.state.channels.get(id);
  if (!channel) throw new SlackMethodError('channel_not_found');
  return channel;
}

/** One page of `items` per Slack's cursor pagination (cursor is an opaque offset). */
export function paginate<T>(items: T[], args: Args, defaultLimit = 100): { items: T[]; next_cursor: string } {
  let offset = 0;
  const cursor = str(args, 'cursor');
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString();
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match) throw new SlackMethodError('invalid_cursor');
    offset = Number(match[1]);
  }
  const limit = Math.max(1, Math.min(num(args, 'limit') || defaultLimit, 999));
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: slice, next_cursor: next };
}

/** Compares Slack ts strings numerically. */
export function tsCompare(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

/** Whether ts lies in the oldest/latest window of a history-style call. */
export function inWindow(ts: string, args: Args): boolean {
  const inclusive = bool(args, 'inclusive') ?? false;
  const oldest = str(args, 'oldest');
  const latest = str(args, 'latest');
  if (oldest && (inclusive ? tsCompare(ts, oldest) < 0 : tsCompare(ts, oldest) <= 0)) return false;
  if (latest && (inclusive ? tsCompare(ts, latest) > 0 : tsCompare(ts, latest) >= 0)) return false;
  return true;
}

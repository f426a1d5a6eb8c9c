// What Mailroom needs to know about Slack people: display names (for "Ana (Acme Support)" and for
// mentions in replies), who is a person (not a bot, an app or a deactivated account: only people
// are given conversations), and who is a member of which inbox. One cache each for users.info and
// for members: both are rate-limited, and every thread message asks.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';

import type { InboxMembers, MemberDirectory } from '../../usecases/inboxes.ts';

const NAME_TTL = 60 * 60_000;
const MEMBERS_TTL = 5 * 60_000;

export interface DirectoryOptions {
  web: WebClient;
  logger: Logger;
  now?: () => number;
}

export function createDirectory({ web, logger, now = Date.now }: DirectoryOptions) {
  const names = new Map<string, { name: string; email: string | null; person: boolean; tz: string | null; handles: string[]; at: number }>();
  const members = new Map<string, { ids: Set<string>; at: number }>();

  async function user(id: string) {
    const hit = names.get(id);
    if (hit && now() - hit.at < NAME_TTL) return hit;
    try {
      const r = await web.users.info({ user: id });
      const p = r.user?.profile;
      // The real name reads best in an email signature ("Ana Lima (Acme Support)").
      const name = p?.real_name || r.user?.real_name || p?.display_name || r.user?.name || id;
      const u = r.user;
      // What people type after @ for them: the handle, the display name, the real name.
      const handles = [u?.name, p?.display_name, p?.real_name, u?.real_name].filter((h): h is string => !!h).map((h) => h.toLowerCase().replace(/\s+/g, ''));
      const entry = { name, email: p?.email ?? null, person: !!u && !u.is_bot && !u.deleted && !u.is_app_user, tz: u?.tz ?? null, handles, at: now() };
      names.set(id, entry);
      return entry;
    } catch (err) {
      logger.warn({ user: id, err: describeError(err) }, 'users.info failed');
      return hit ?? { name: id, email: null, person: false, tz: null, handles: [], at: 0 };
    }
  }

  async function listMembers(rule: InboxMembers): Promise<Set<string>> {
    const key = rule.members ? `list:${rule.channelId}` : rule.usergroup ? `group:${rule.usergroup}` : `channel:${rule.channelId}`;
    const hit = members.get(key);
    if (hit && now() - hit.at < MEMBERS_TTL) return hit.ids;
    if (rule.members) {
      const ids = new Set(rule.members);
      members.set(key, { ids, at: now() });
      return ids;
    }
    const ids = new Set<string>();
    if (rule.usergroup) {
      const r = await web.usergroups.users.list({ usergroup: rule.usergroup });
      for (const u of r.users ?? []) ids.add(u);
    } else {
      let cursor: string | undefined;
      do {
        const r = await web.conversations.members({ channel: rule.channelId, limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const u of r.members ?? []) ids.add(u);
        cursor = r.response_metadata?.next_cursor || undefined;
      } while (cursor);
    }
    members.set(key, { ids, at: now() });
    return ids;
  }

  return {
    displayName: async (id: string) => (await user(id)).name,
    email: async (id: string) => (await user(id)).email,
    /** The teammate's time zone as Slack knows it (an IANA name), or null. */
    timeZone: async (id: string) => (await user(id)).tz,
    /** False for bots, apps, Slackbot and deactivated users, and when Slack can't say. */
    /** The one of `among` whose handle, display name or real name is `name` (spaces and case aside). */
    async findByName(name: string, among: readonly string[]): Promise<string | null> {
      const wanted = name.toLowerCase().replace(/^@/, '').replace(/\s+/g, '');
      for (const id of among) if ((await user(id)).handles.includes(wanted)) return id;
      return null;
    },
    async isPerson(id: string): Promise<boolean> {
      return id !== 'USLACKBOT' && (await user(id)).person;
    },
    /** Names for every `<@U…>` in a text. */
    async namesIn(text: string): Promise<Record<string, string>> {
      const ids = [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
      const out: Record<string, string> = {};
      for (const id of ids) out[id] = await this.displayName(id);
      return out;
    },
    /** Is this user a member of the inbox? Fails closed (false) when Slack can't tell. */
    async isMember(rule: InboxMembers, userId: string): Promise<boolean> {
      try {
        return (await listMembers(rule)).has(userId);
      } catch (err) {
        logger.warn({ channel: rule.channelId, err: describeError(err) }, 'could not read inbox members');
        return false;
      }
    },
    async members(rule: InboxMembers): Promise<string[]> {
      return [...(await listMembers(rule))];
    },
    /** A channel's membership changed (member_joined_channel / member_left_channel). */
    forgetChannel(channelId: string): void {
      members.delete(`channel:${channelId}`);
    },
  };
}
export type Directory = ReturnType<typeof createDirectory> & MemberDirectory;

// Who can be given conversations: people, not bots or apps (channels have those as members too),
// and not deactivated accounts. users.info is rate-limited, so answers are cached.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';
import { assignmentDm, type AssignmentDmVM } from '../ui/blocks/assignment-dm.ts';

const TTL_MS = 60 * 60_000;

export function createPersonCheck(o: { logger: Logger; now?: () => number }) {
  const now = o.now ?? Date.now;
  const known = new Map<string, { person: boolean; at: number }>();
  return {
    /** False for bots, apps, Slackbot and deactivated users; false (uncached) when Slack can't say. */
    async isPerson(web: WebClient, userId: string): Promise<boolean> {
      if (userId === 'USLACKBOT') return false;
      const hit = known.get(userId);
      if (hit && now() - hit.at < TTL_MS) return hit.person;
      try {
        const r = await web.users.info({ user: userId });
        const u = r.user;
        const person = !!u && !u.is_bot && !u.deleted && !u.is_app_user;
        known.set(userId, { person, at: now() });
        return person;
      } catch (err) {
        o.logger.warn({ user: userId, err: describeError(err) }, 'users.info failed');
        return hit?.person ?? false;
      }
    },
  };
}
export type PersonCheck = ReturnType<typeof createPersonCheck>;

/** The DM an assignee gets (assignment-dm.ts). */
export const sendAssignmentDm = (web: WebClient, userId: string, vm: AssignmentDmVM): Promise<void> => sendDm(web, userId, assignmentDm(vm));

/** A direct message from the bot (conversations.open, then chat.postMessage). */
export async function sendDm(web: WebClient, userId: string, message: { text: string; blocks?: unknown[] }): Promise<void> {
  const opened = await web.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await web.chat.postMessage({ channel, text: message.text, ...(message.blocks ? { blocks: message.blocks as never } : {}), unfurl_links: false, unfurl_media: false });
}

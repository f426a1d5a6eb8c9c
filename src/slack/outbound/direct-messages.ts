// Direct messages from the bot: the one an assignee gets, and any other short one.
import type { WebClient } from '@slack/web-api';
import { assignmentDm, type AssignmentDmVM } from '../ui/blocks/assignment-dm.ts';

/** The DM an assignee gets (assignment-dm.ts). */
export const sendAssignmentDm = (web: WebClient, userId: string, vm: AssignmentDmVM): Promise<void> => sendDm(web, userId, assignmentDm(vm));

/** A direct message from the bot (conversations.open, then chat.postMessage). */
export async function sendDm(web: WebClient, userId: string, message: { text: string; blocks?: unknown[] }): Promise<void> {
  const opened = await web.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await web.chat.postMessage({ channel, text: message.text, ...(message.blocks ? { blocks: message.blocks as never } : {}), unfurl_links: false, unfurl_media: false });
}

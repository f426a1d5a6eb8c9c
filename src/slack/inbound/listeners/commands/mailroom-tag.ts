// `/mailroom tag #42 billing urgent` and `/mailroom untag #42 urgent`: the keyboard's way to tag.
// The answer is one private line: the tags the conversation has now, or why not.
import type { WebClient } from '@slack/web-api';
import { parseTags } from '../../../../core/tags.ts';
import { AppError, describeError } from '../../../../errors.ts';
import { changeTags } from '../../../../usecases/tags.ts';
import { parseConversationNumber } from '../../../ui/ids.ts';
import { refusalText, type ConversationKit } from '../conversation-kit.ts';

/** `#42 billing, urgent` → the number and the words; null number when it does not start with one. */
export function readTagCommand(text: string): { number: number | null; words: string[] } {
  const m = /^\s*#?(\d{1,15})\b(.*)$/s.exec(text);
  if (!m) return { number: null, words: [] };
  return { number: parseConversationNumber(m[1]), words: m[2]!.split(/[\s,]+/).filter(Boolean) };
}

const code = (t: string) => `\`${t}\``;

export async function tagCommand(kit: ConversationKit, client: WebClient, o: { untag: boolean; text: string; userId: string; command: string }): Promise<string> {
  const verb = o.untag ? 'untag' : 'tag';
  const { number, words } = readTagCommand(o.text);
  if (!number || !words.length) return `Say which conversation and which tags: \`${o.command} ${verb} #42 billing urgent\`.`;
  try {
    const r = await changeTags(kit.tagDeps(client), {
      conversationId: number,
      actorUserId: o.userId,
      ...(o.untag ? { remove: parseTags(words.join(' ')).tags } : { add: words }),
    });
    const now = r.tags.length ? `#${number} is tagged ${r.tags.map(code).join(', ')}.` : `#${number} has no tags now.`;
    if (!r.added.length && !r.removed.length) return `Nothing changed: ${now}`;
    return now;
  } catch (err) {
    if (!(err instanceof AppError)) kit.log.error({ err: describeError(err) }, '/mailroom tag failed');
    return refusalText(err);
  }
}

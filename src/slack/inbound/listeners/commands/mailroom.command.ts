// `/mailroom help | mine | stats [7d|30d] | templates | tag | untag | search | signature | snooze #42 2h |
// wait #42 | unsnooze #42 | remind #42 3d` (the command's name is configurable).
// Answers are private (the command's response_url); anything unknown gets the help.
import type { RespondArguments } from '@slack/bolt';
import { describeError } from '../../../../errors.ts';
import { myConversations } from '../../../../usecases/my-conversations.ts';
import { statsReport } from '../../../../usecases/stats-report.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { helpMessage } from '../../../ui/views/help.view.ts';
import { mineMessage } from '../../../ui/views/mine.view.ts';
import { statsMessage } from '../../../ui/views/stats.view.ts';
import { openTemplatesList } from '../actions/templates.action.ts';
import { tagCommand } from './mailroom-tag.ts';
import { searchAnswer } from './mailroom-search.ts';
import { signatureCommand } from './mailroom-signature.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { createConversationKit } from '../conversation-kit.ts';
import { statsSla } from '../inbox-access.ts';
import { createConversationModals } from '../conversation-modals.ts';
import { timeCommand, type TimeSubcommand } from './mailroom-time.command.ts';

export type MailroomSubcommand =
  | { name: 'help'; unknown?: string }
  | { name: 'mine' }
  | { name: 'stats'; window: string | null }
  | { name: 'templates' }
  /** `tag #42 billing urgent`, `untag #42 urgent`: the rest of the text, read by its handler. */
  | { name: 'tag'; rest: string }
  | { name: 'untag'; rest: string }
  | { name: 'search'; rest: string }
  | { name: 'signature'; rest: string }
  | TimeSubcommand;

/** `#42 2h` → 42 and `2h`. */
function target(rest: string[]): { number: number | null; when: string } {
  const i = rest.findIndex((w) => /^#?\d{1,15}$/.test(w));
  const number = i >= 0 ? Number(rest[i]!.replace('#', '')) : null;
  return { number: number && number > 0 ? number : null, when: rest.filter((_, j) => j !== i).join(' ') };
}

/** `stats 30d` → stats with a window; '' and `help` → help; anything else → help, saying so. */
export function parseMailroomText(text: string): MailroomSubcommand {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  switch (word.toLowerCase()) {
    case '':
    case 'help':
      return { name: 'help' };
    case 'mine':
      return { name: 'mine' };
    case 'stats':
      return { name: 'stats', window: rest.join(' ') || null };
    case 'tag':
    case 'untag':
      return { name: word.toLowerCase() === 'tag' ? 'tag' : 'untag', rest: rest.join(' ') };
    case 'signature':
    case 'sig':
      return { name: 'signature', rest: text.trim().slice(word.length).trim() };
    case 'search':
    case 'find':
      return { name: 'search', rest: rest.join(' ') };
    case 'templates':
    case 'template':
    case 'snippets':
      return { name: 'templates' };
    case 'snooze':
    case 'remind':
      return { name: word.toLowerCase() === 'snooze' ? 'snooze' : 'remind', ...target(rest) };
    case 'wait':
    case 'unsnooze':
      return { name: word.toLowerCase() === 'wait' ? 'wait' : 'unsnooze', ...target(rest) };
    default:
      return { name: 'help', unknown: word.slice(0, 40) };
  }
}

export function registerMailroomCommand(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/mailroom-command' });
  const kit = createConversationKit(deps);
  const modals = createConversationModals({ kit, read: deps });
  const name = deps.config.slack.commands.mailroom;

  app.command(name, async ({ command, ack, respond, client }) => {
    await ack();
    const say = (m: Omit<RespondArguments, 'response_type'>) => respond({ response_type: 'ephemeral', ...m } as RespondArguments);
    const sub = parseMailroomText(command.text ?? '');
    try {
      if (sub.name === 'templates') {
        const problem = await openTemplatesList(deps, client, { triggerId: command.trigger_id, userId: command.user_id, channelId: command.channel_id });
        if (problem) await say({ text: problem });
      } else if (sub.name === 'snooze' || sub.name === 'remind' || sub.name === 'wait' || sub.name === 'unsnooze') {
        const answer = await timeCommand(kit, modals, client, { sub, userId: command.user_id, triggerId: command.trigger_id, command: name });
        if (answer) await say({ text: answer });
      } else if (sub.name === 'tag' || sub.name === 'untag') {
        await say({ text: await tagCommand(kit, client, { untag: sub.name === 'untag', text: sub.rest, userId: command.user_id, command: name }) });
      } else if (sub.name === 'signature') {
        const answer = await signatureCommand(deps, client, { text: sub.rest, userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, command: name });
        if (answer) await say({ text: answer });
      } else if (sub.name === 'search') {
        await say(await searchAnswer(deps, { userId: command.user_id, text: sub.rest }));
      } else if (sub.name === 'mine') {
        await say(mineMessage(myConversations(deps, command.user_id)));
      } else if (sub.name === 'stats') {
        const r = statsReport(deps.store, { window: sub.window, sla: statsSla(deps) });
        if (!r.ok) await say({ text: `I read periods like \`7d\`, \`30d\`, \`24h\` or \`2w\`: try \`${name} stats 30d\`.` });
        else await say(statsMessage(r.report, { label: r.label }));
      } else {
        const help = helpMessage(deps.config.slack.commands);
        const prefix = sub.unknown ? `I don't know \`${sub.unknown.replace(/[`<>&]/g, '')}\`. ` : '';
        await say({ ...help, text: `${prefix}${help.text}` });
      }
    } catch (err) {
      log.error({ err: describeError(err), sub: sub.name }, '/mailroom failed');
      await say({ text: 'Something went wrong; the error is in the Mailroom log.' }).catch(() => undefined);
    }
  });
}

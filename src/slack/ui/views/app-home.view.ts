// The App Home tab: the user's open conversations (each with an Open button to its thread) and
// the stats, with a window switch and a refresh button.
import type { ActionsBlock, HomeView, KnownBlock, StaticSelect } from '@slack/types';
import type { StatsReport } from '../../../core/stats.ts';
import { Actions } from '../ids.ts';
import { isSafeUrl } from '../blocks/mentions.ts';
import { Limits, md, option, plain } from '../blocks/text.ts';
import { mineLine, type MineItemVM } from './mine.view.ts';
import { statsBlocks } from './stats.view.ts';

export interface AppHomeVM {
  mine: readonly MineItemVM[];
  stats: StatsReport | null;
  /** The window shown, e.g. `7d`, and its label, e.g. `last 7 days`. */
  window: { value: string; label: string };
  /** Windows offered in the switch. */
  windowChoices?: readonly { value: string; label: string }[];
}

/** Home views hold 100 blocks; keep room for the stats and headers. */
export const MAX_HOME_CONVERSATIONS = 60;

const DEFAULT_CHOICES = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

export function appHome(vm: AppHomeVM): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Your open conversations (${vm.mine.length})`, Limits.header) },
  ];
  if (vm.mine.length === 0) blocks.push({ type: 'section', text: md('Nothing assigned to you is open. :tada:') });
  for (const c of vm.mine.slice(0, MAX_HOME_CONVERSATIONS)) {
    blocks.push({
      type: 'section',
      text: md(mineLine({ ...c, permalink: null })),
      ...(isSafeUrl(c.permalink)
        ? { accessory: { type: 'button', action_id: Actions.homeOpenConversation, text: plain('Open', Limits.buttonText), url: c.permalink, value: String(c.number) } }
        : {}),
    });
  }
  if (vm.mine.length > MAX_HOME_CONVERSATIONS) {
    blocks.push({ type: 'context', elements: [md(`and ${vm.mine.length - MAX_HOME_CONVERSATIONS} more: use \`/mailroom mine\` for the full list`)] });
  }
  blocks.push({ type: 'divider' }, { type: 'header', text: plain(`Stats · ${vm.window.label}`, Limits.header) }, controls(vm));
  if (vm.stats) blocks.push(...statsBlocks(vm.stats));
  else blocks.push({ type: 'section', text: md('_No figures yet._') });
  return { type: 'home', blocks: blocks.slice(0, Limits.viewBlocks) };
}

function controls(vm: AppHomeVM): ActionsBlock {
  const choices = (vm.windowChoices ?? DEFAULT_CHOICES).map((c) => option(c.label, c.value));
  const select: StaticSelect = { type: 'static_select', action_id: Actions.homeStatsWindow, options: choices, placeholder: plain('Period', Limits.placeholder) };
  const current = choices.find((c) => c.value === vm.window.value);
  if (current) select.initial_option = current;
  return {
    type: 'actions',
    elements: [select, { type: 'button', action_id: Actions.homeRefresh, text: plain('Refresh', Limits.buttonText), value: vm.window.value }],
  };
}

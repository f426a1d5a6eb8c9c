// The snooze modal: 1 hour, 3 hours, tomorrow 9:00, next Monday 9:00, a date and time, or
// "until the customer writes" (waiting on the customer). Times are read in the inbox's time
// zone, else the teammate's (the modal says which).
import type { DateTimepicker, KnownBlock, ModalView, RadioButtons } from '@slack/types';
import { z } from 'zod';
import { Fields, Views } from '../ids.ts';
import { esc, oneLine, option, slackDate } from '../blocks/text.ts';
import { contextLine, decodeMetadata, input, modal } from './common.ts';

export const SNOOZE_CHOICES = ['hour', 'three-hours', 'tomorrow', 'monday', 'at', 'wait'] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number];

const LABELS: Record<SnoozeChoice, string> = {
  hour: '1 hour',
  'three-hours': '3 hours',
  tomorrow: 'Tomorrow 9:00',
  monday: 'Next Monday 9:00',
  at: 'A date and time (below)',
  wait: 'Until the customer writes (waiting on the customer)',
};

export interface SnoozeVM {
  conversation: { number: number; subject: string };
  /** The time zone presets are read in, and where it comes from. */
  zone: { name: string; source: 'inbox' | 'you' | 'default' };
  /** Snoozed until then already. */
  snoozedUntil?: number | null;
}

export const snoozeMetadataSchema = z.object({ conversationNumber: z.number().int().positive() });

export function readSnoozeMetadata(raw: string | undefined | null) {
  return decodeMetadata(raw, snoozeMetadataSchema);
}

export function isSnoozeChoice(v: unknown): v is SnoozeChoice {
  return typeof v === 'string' && (SNOOZE_CHOICES as readonly string[]).includes(v);
}

export function snoozeModal(vm: SnoozeVM): ModalView {
  const options = SNOOZE_CHOICES.map((c) => option(LABELS[c], c));
  const radios: RadioButtons = { type: 'radio_buttons', options, initial_option: options[2]! };
  const picker: DateTimepicker = { type: 'datetimepicker' };
  const where = vm.zone.source === 'inbox' ? "the inbox's time zone" : vm.zone.source === 'you' ? 'your time zone' : 'UTC';
  const blocks: KnownBlock[] = [
    contextLine(`*#${vm.conversation.number}* · ${esc(oneLine(vm.conversation.subject) || '(no subject)', 300)}${vm.snoozedUntil ? ` · snoozed until ${slackDate(vm.snoozedUntil, '{date_short_pretty} at {time}')}` : ''}`),
    input(Fields.snoozeWhen, radios, { label: 'Snooze until', hint: `Times are in ${where} (${vm.zone.name}). It comes back at once if the customer writes.` }),
    input(Fields.snoozeAt, picker, { label: 'Date and time', optional: true }),
  ];
  return modal({ callbackId: Views.snooze, title: `Snooze #${vm.conversation.number}`, submit: 'Snooze', blocks, metadata: { conversationNumber: vm.conversation.number } });
}

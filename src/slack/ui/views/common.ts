// Pieces every modal uses: the view shell, private_metadata (JSON, size-checked, validated on the
// way back) and input blocks wired to the ids in `ids.ts`.
import type {
  ContextBlock,
  FileInput,
  InputBlock,
  InputBlockElement,
  KnownBlock,
  ModalView,
  PlainTextInput,
  PlainTextOption,
  StaticSelect,
} from '@slack/types';
import type { z } from 'zod';
import { AppError } from '../../../errors.ts';
import type { Fields } from '../ids.ts';
import { Limits, md, plain, truncate } from '../blocks/text.ts';

type Field = (typeof Fields)[keyof typeof Fields];

/** Serialise a modal's private_metadata; throws `slack.metadata_too_large` past Slack's 3,000. */
export function encodeMetadata(data: Record<string, unknown>): string {
  const json = JSON.stringify(data);
  if (json.length > Limits.privateMetadata) {
    throw new AppError('slack.metadata_too_large', `private_metadata is ${json.length} characters (max ${Limits.privateMetadata})`);
  }
  return json;
}

/** Parse private_metadata back with the modal's schema; null when missing or not ours. */
export function decodeMetadata<S extends z.ZodType>(raw: string | undefined | null, schema: S): z.output<S> | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface ModalShell {
  callbackId: string;
  title: string;
  submit?: string;
  close?: string;
  blocks: KnownBlock[];
  metadata: Record<string, unknown>;
  /** Tell the app when the user closes it (collision: "… is replying" goes away). */
  notifyOnClose?: boolean;
}

export function modal(s: ModalShell): ModalView {
  if (s.blocks.length > Limits.viewBlocks) throw new AppError('slack.too_many_blocks', `modal ${s.callbackId} has ${s.blocks.length} blocks`);
  const view: ModalView = {
    type: 'modal',
    callback_id: s.callbackId,
    title: plain(s.title, Limits.modalTitle),
    close: plain(s.close ?? 'Cancel', Limits.modalButton),
    blocks: s.blocks,
    private_metadata: encodeMetadata(s.metadata),
  };
  if (s.submit) view.submit = plain(s.submit, Limits.modalButton);
  if (s.notifyOnClose) view.notify_on_close = true;
  return view;
}

export interface InputOptions {
  label: string;
  optional?: boolean;
  hint?: string;
  /** Overrides the field's block id (the body's revision). */
  blockId?: string;
  /** Send a block_actions payload when the value changes (template insertion). */
  dispatch?: boolean;
}

export function input(field: Field, element: InputBlockElement, o: InputOptions): InputBlock {
  const block: InputBlock = {
    type: 'input',
    block_id: o.blockId ?? field.block,
    label: plain(o.label, Limits.inputLabel),
    element: { ...element, action_id: field.action } as InputBlockElement,
    optional: Boolean(o.optional),
  };
  if (o.hint) block.hint = plain(o.hint, Limits.hint);
  if (o.dispatch) block.dispatch_action = true;
  return block;
}

export function textInput(
  field: Field,
  o: InputOptions & { placeholder?: string; initial?: string | null; multiline?: boolean; maxLength?: number },
): InputBlock {
  const maxLength = Math.min(o.maxLength ?? Limits.plainTextInput, Limits.plainTextInput);
  const element: PlainTextInput = { type: 'plain_text_input', max_length: maxLength };
  if (o.multiline) element.multiline = true;
  if (o.placeholder) element.placeholder = plain(o.placeholder, Limits.placeholder);
  // Prefilled text the user can't submit (over max_length) would trap them in the modal.
  if (o.initial) element.initial_value = truncate(o.initial, maxLength);
  return input(field, element, o);
}

export function selectInput(
  field: Field,
  options: PlainTextOption[],
  o: InputOptions & { placeholder?: string; initialValue?: string | null },
): InputBlock {
  const element: StaticSelect = { type: 'static_select', options: options.slice(0, Limits.staticSelectOptions) };
  element.placeholder = plain(o.placeholder ?? 'Choose…', Limits.placeholder);
  const initial = options.find((opt) => opt.value === o.initialValue);
  if (initial) element.initial_option = initial;
  return input(field, element, o);
}

export function fileInput(field: Field, o: InputOptions & { maxFiles?: number }): InputBlock {
  const element: FileInput = { type: 'file_input', max_files: Math.min(Math.max(o.maxFiles ?? 10, 1), 10) };
  // Slack refuses dispatch_action on a file_input block.
  return input(field, element, { ...o, dispatch: false });
}

export function contextLine(text: string): ContextBlock {
  return { type: 'context', elements: [md(text)] };
}

/** A block to show instead of a form when there is nothing to do (no inboxes, no templates…). */
export function notice(text: string): KnownBlock {
  return { type: 'section', text: md(text) };
}

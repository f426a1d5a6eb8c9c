// The tag picker of a conversation (⋯ → Tags…, the "Tag conversation" shortcut): a multi external
// select holding its tags, whose options (served by the app) are the inbox's tags matching what
// was typed, and the typed word itself as a new tag when the inbox takes any tag.
import type { ModalView, MultiExternalSelect, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { normaliseTag } from '../../../core/tags.ts';
import { Fields, Views } from '../ids.ts';
import { Limits, option } from '../blocks/text.ts';
import { decodeMetadata, input, modal } from './common.ts';
import { conversationTarget, type ConversationOptionVM } from './conversation-picker.view.ts';

export interface TagsVM {
  conversation: ConversationOptionVM;
  tags: readonly string[];
  /** The inbox's fixed list, when it has one. */
  allowed: readonly string[] | null;
}

export const tagsMetadataSchema = z.object({ conversationNumber: z.number().int().positive() });
export type TagsMetadata = z.output<typeof tagsMetadataSchema>;

export function readTagsMetadata(raw: string | undefined | null): TagsMetadata | null {
  return decodeMetadata(raw, tagsMetadataSchema);
}

export const tagOption = (tag: string): PlainTextOption => option(tag, tag);

export function tagsModal(vm: TagsVM): ModalView {
  const element: MultiExternalSelect = {
    type: 'multi_external_select',
    min_query_length: 0,
    placeholder: { type: 'plain_text', text: vm.allowed ? 'Pick tags' : 'Type a tag, or pick one', emoji: true },
  };
  if (vm.tags.length) element.initial_options = vm.tags.map(tagOption);
  const hint = vm.allowed
    ? `This inbox's tags: ${vm.allowed.join(', ') || '(none)'}`.slice(0, Limits.hint)
    : 'Type a word to create a tag: lower case a-z, 0-9 and -, up to 30 characters.';
  return modal({
    callbackId: Views.tags,
    title: 'Tags',
    submit: 'Save',
    blocks: [conversationTarget({ known: vm.conversation }), input(Fields.tags, element, { label: 'Tags', optional: true, hint })],
    metadata: { conversationNumber: vm.conversation.number } satisfies TagsMetadata,
  });
}

const MAX_OPTIONS = 50;

/**
 * The options for what was typed: the new tag it makes first (unless the inbox has a fixed list
 * or already knows it), then known tags containing it.
 */
export function tagPickerOptions(o: { query: string; known: readonly string[]; allowed: readonly string[] | null }): { options: PlainTextOption[] } {
  const typed = normaliseTag(o.query);
  const pool = o.allowed ?? o.known;
  const matching = pool.filter((t) => !typed || t.includes(typed));
  const options: PlainTextOption[] = [];
  if (typed && !o.allowed && !pool.includes(typed)) options.push(option(`${typed} (new tag)`, typed));
  for (const t of matching.slice(0, MAX_OPTIONS)) options.push(tagOption(t));
  return { options };
}

// Templates per inbox, managed with `/mailroom templates`: a list modal (Add, Edit per template,
// inbox switcher) and an edit modal pushed on top (name, body, delete). Template text is
// teammates' own, still escaped: a template body is shown, never obeyed.
import type { ActionsBlock, Checkboxes, KnownBlock, ModalView, SectionBlock, StaticSelect } from '@slack/types';
import { z } from 'zod';
import { Actions, Blocks, Fields, Views } from '../ids.ts';
import { Limits, esc, md, option, plain, truncate } from '../blocks/text.ts';
import { contextLine, decodeMetadata, input, modal, notice, textInput } from './common.ts';
import { TEMPLATE_NAME_MAX } from '../../../core/template-render.ts';

export interface TemplateVM {
  id: number;
  name: string;
  body: string;
}

export interface TemplatesListVM {
  inbox: { id: number; name: string };
  /** Inboxes the user may manage; a switcher is shown when there are several. */
  inboxes?: readonly { id: number; name: string }[];
  templates: readonly TemplateVM[];
  /** Variables the app fills in, e.g. `{first_name}`, `{number}` (shown as a hint). */
  variables?: readonly string[];
}

export interface TemplateEditVM {
  inbox: { id: number; name: string };
  /** Absent when adding a new one. */
  template?: TemplateVM | null;
  variables?: readonly string[];
}

export const templatesListMetadataSchema = z.object({ inboxId: z.number().int().positive() });
export const templateEditMetadataSchema = z.object({
  inboxId: z.number().int().positive(),
  templateId: z.number().int().positive().optional(),
});
export type TemplatesListMetadata = z.output<typeof templatesListMetadataSchema>;
export type TemplateEditMetadata = z.output<typeof templateEditMetadataSchema>;

export function readTemplatesListMetadata(raw: string | undefined | null): TemplatesListMetadata | null {
  return decodeMetadata(raw, templatesListMetadataSchema);
}
export function readTemplateEditMetadata(raw: string | undefined | null): TemplateEditMetadata | null {
  return decodeMetadata(raw, templateEditMetadataSchema);
}

const PREVIEW_LENGTH = 150;
/** Leaves room for the header, Add button and "more" line within 100 blocks. */
const MAX_LISTED = 90;
/** Value of the delete checkbox option. */
export const DELETE_TEMPLATE_VALUE = 'delete';

export function templatesListModal(vm: TemplatesListVM): ModalView {
  const header: SectionBlock = { type: 'section', block_id: Blocks.templatesHeader, text: md(`Templates of *${esc(vm.inbox.name, 100)}*`) };
  const inboxes = vm.inboxes ?? [];
  if (inboxes.length > 1) {
    const options = inboxes.slice(0, Limits.staticSelectOptions).map((i) => option(i.name, String(i.id)));
    const select: StaticSelect = { type: 'static_select', action_id: Actions.templateInbox, options, placeholder: plain('Inbox', Limits.placeholder) };
    const current = options.find((o) => o.value === String(vm.inbox.id));
    if (current) select.initial_option = current;
    header.accessory = select;
  }
  const add: ActionsBlock = {
    type: 'actions',
    elements: [{ type: 'button', action_id: Actions.templateAdd, text: plain('Add template', Limits.buttonText), style: 'primary', value: String(vm.inbox.id) }],
  };
  const blocks: KnownBlock[] = [header, add];
  if (vm.templates.length === 0) blocks.push(notice('No templates yet. Add one to insert it when composing or replying.'));
  for (const t of vm.templates.slice(0, MAX_LISTED)) {
    const preview = esc(truncate(t.body.replace(/\s+/g, ' ').trim(), PREVIEW_LENGTH), 1000);
    blocks.push({
      type: 'section',
      text: md(`*${esc(t.name, 200)}*\n${preview || '_(empty)_'}`),
      accessory: { type: 'button', action_id: Actions.templateEdit, text: plain('Edit', Limits.buttonText), value: String(t.id) },
    });
  }
  if (vm.templates.length > MAX_LISTED) blocks.push(contextLine(`and ${vm.templates.length - MAX_LISTED} more not shown`));
  if (vm.variables && vm.variables.length > 0) blocks.push(contextLine(variablesHint(vm.variables)));
  return modal({ callbackId: Views.templatesList, title: 'Templates', close: 'Done', blocks, metadata: { inboxId: vm.inbox.id } });
}

export function templateEditModal(vm: TemplateEditVM): ModalView {
  const t = vm.template;
  const blocks: KnownBlock[] = [
    contextLine(`Inbox: *${esc(vm.inbox.name, 100)}*`),
    textInput(Fields.templateName, { label: 'Name', initial: t?.name ?? null, maxLength: TEMPLATE_NAME_MAX }),
    textInput(Fields.templateBody, {
      label: 'Text',
      multiline: true,
      initial: t?.body ?? null,
      ...(vm.variables && vm.variables.length > 0 ? { hint: variablesPlain(vm.variables) } : {}),
    }),
  ];
  if (t) {
    const only = option('Delete this template', DELETE_TEMPLATE_VALUE);
    const element: Checkboxes = { type: 'checkboxes', options: [only] };
    blocks.push(input(Fields.templateDelete, element, { label: 'Delete', optional: true }));
  }
  const metadata: TemplateEditMetadata = { inboxId: vm.inbox.id, ...(t ? { templateId: t.id } : {}) };
  return modal({ callbackId: Views.templateEdit, title: t ? 'Edit template' : 'New template', submit: 'Save', blocks, metadata });
}

function variablesHint(vars: readonly string[]): string {
  return `Variables: ${vars.map((v) => `\`${esc(v, 40)}\``).join(', ')}`;
}

function variablesPlain(vars: readonly string[]): string {
  return `You can use: ${vars.join(', ')}`;
}

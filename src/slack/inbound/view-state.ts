// Reading a modal's `view.state.values` ({ block_id: { action_id: value } }) as plain data. Slack
// sends every input block, typed or not; a value can be null or absent, and a payload can be
// forged, so every reader tolerates any shape and returns a plain default.
import { Fields, isBodyBlockId } from '../ui/ids.ts';

export type ViewValues = Record<string, Record<string, unknown> | undefined>;
type Field = (typeof Fields)[keyof typeof Fields];

function element(values: ViewValues | undefined, field: Field, blockId: string = field.block): Record<string, unknown> | null {
  const v = values?.[blockId]?.[field.action];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
}

/** A plain_text_input's value; '' when empty. */
export function textValue(values: ViewValues | undefined, field: Field, blockId?: string): string {
  const v = element(values, field, blockId)?.value;
  return typeof v === 'string' ? v : '';
}

/** The value of a static/external select's chosen option, or of a users select's user. */
export function selectedValue(values: ViewValues | undefined, field: Field): string | null {
  const e = element(values, field);
  const option = e?.selected_option as { value?: unknown } | null | undefined;
  if (option && typeof option.value === 'string') return option.value;
  return typeof e?.selected_user === 'string' ? e.selected_user : null;
}

/** Values of a multi-select's or checkboxes' chosen options. */
export function selectedValues(values: ViewValues | undefined, field: Field): string[] {
  const options = element(values, field)?.selected_options;
  if (!Array.isArray(options)) return [];
  return options.flatMap((o: { value?: unknown }) => (o && typeof o.value === 'string' ? [o.value] : []));
}

/** A datetimepicker's choice as epoch ms (Slack sends seconds); null when none. */
export function dateTimeValue(values: ViewValues | undefined, field: Field): number | null {
  const v = element(values, field)?.selected_date_time;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v * 1000 : null;
}

/** The files of a file_input: Slack file objects (id, name, url_private_download…). */
export function fileValues(values: ViewValues | undefined, field: Field): Record<string, unknown>[] {
  const files = element(values, field)?.files;
  return Array.isArray(files) ? files.filter((f): f is Record<string, unknown> => !!f && typeof f === 'object' && typeof f.id === 'string') : [];
}

/** The body's block id as submitted (it carries a revision), and its text. */
export function bodyValue(values: ViewValues | undefined): { blockId: string; text: string } {
  const blockId = Object.keys(values ?? {}).find(isBodyBlockId) ?? Fields.body.block;
  return { blockId, text: textValue(values, Fields.body, blockId) };
}

// Turning a refused action into Slack's field errors (`response_action: 'errors'`, keyed by the
// input block's id), and reading which conversation a modal is about.
import { AppError, describeError } from '../../../../errors.ts';
import { Fields, parseConversationNumber } from '../../../ui/ids.ts';
import { selectedValue, type ViewValues } from '../../view-state.ts';
import { SOMETHING_WRONG } from '../conversation-kit.ts';

export type FieldErrors = Record<string, string>;

/** The conversation from the modal's metadata, else from its picker; `pickerBlock` when it came from the picker. */
export function targetOf(metadataNumber: number | undefined, values: ViewValues): { id: number | null; pickerBlock: string | null } {
  if (metadataNumber) return { id: metadataNumber, pickerBlock: null };
  return { id: parseConversationNumber(selectedValue(values, Fields.conversation) ?? undefined), pickerBlock: Fields.conversation.block };
}

/**
 * The field error for a refusal: a block chosen by the error's code, else the picker (refusals
 * about the conversation itself), else `fallback` (the modal's first input).
 */
export function errorsFor(
  err: unknown,
  o: { pickerBlock: string | null; fallback: string; byCode?: Record<string, string>; log: { error: (o: object, m: string) => void } },
): FieldErrors {
  if (!(err instanceof AppError)) o.log.error({ err: describeError(err) }, 'modal submission failed');
  // Field errors are plain text: no bold stars, no mentions.
  const text = (err instanceof AppError && err.userMessage ? err.userMessage : SOMETHING_WRONG).replace(/\*/g, '').replace(/<@[UW][A-Z0-9]+>/g, 'That person');
  const block = (err instanceof AppError && o.byCode?.[err.code]) || o.pickerBlock || o.fallback;
  return { [block]: text };
}

/** Block Kit limits the real API enforces, so tests catch messages Slack would refuse (invalid_blocks). */

interface TextObject {
  type?: string;
  text?: string;
}

function textLength(text: unknown): number {
  return typeof text === 'object' && text && typeof (text as TextObject).text === 'string' ? (text as TextObject).text!.length : 0;
}

/** Returns Slack-style error strings for blocks Slack would reject; empty when fine. */
export function blockErrors(blocks: unknown, surface: 'message' | 'modal' | 'home' = 'message'): string[] {
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) errors.push(`no more than ${max} items allowed [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const at = `[json-pointer:/blocks/${i}`;
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
      errors.push(`missing required field: type ${at}]`);
      return;
    }
    const block = raw as Record<string, unknown>;
    const id = block.block_id;
    if (typeof id === 'string') {
      if (id.length > 255) errors.push(`must be less than 256 characters ${at}/block_id]`);
      if (blockIds.has(id)) errors.push(`duplicate block_id ${at}/block_id]`);
      blockIds.add(id);
    }
    switch (block.type) {
      case 'section':
        if (!block.text && !block.fields) errors.push(`must provide either text or fields ${at}]`);
        if (textLength(block.text) > 3000) errors.push(`must be less than 3001 characters ${at}/text/text]`);
        if (textLength(block.text) === 0 && block.text) errors.push(`must be more than 0 characters ${at}/text/text]`);
        if (Array.isArray(block.fields) && block.fields.length > 10) errors.push(`no more than 10 items allowed ${at}/fields]`);
        break;
      case 'header':
        if (textLength(block.text) > 150) errors.push(`must be less than 151 characters ${at}/text/text]`);
        if ((block.text as TextObject | undefined)?.type !== 'plain_text') errors.push(`must be plain_text ${at}/text]`);
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10)
          errors.push(`must have 1 to 10 elements ${at}/elements]`);
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25)
          errors.push(`must have 1 to 25 elements ${at}/elements]`);
        else
          block.elements.forEach((el: Record<string, unknown>, j: number) => {
            if (el.type === 'button' && textLength(el.text) > 75) errors.push(`must be less than 76 characters ${at}/elements/${j}/text/text]`);
            if (el.type === 'overflow' && (!Array.isArray(el.options) || el.options.length < 1 || el.options.length > 5))
              errors.push(`must have 1 to 5 options ${at}/elements/${j}/options]`);
            if (typeof el.action_id === 'string' && el.action_id.length > 255) errors.push(`must be less than 256 characters ${at}/elements/${j}/action_id]`);
          });
        break;
      case 'input':
        if (!block.label || !block.element) errors.push(`missing required field: label or element ${at}]`);
        break;
      default:
        break;
    }
  });
  return errors;
}

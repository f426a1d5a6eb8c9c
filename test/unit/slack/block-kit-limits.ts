// A checker for what Slack would reject (or what would ping): walks blocks and views and returns
// every problem found, so each builder test can assert `[]` and print what is wrong otherwise.
// Figures from docs.slack.dev's Block Kit reference.

type Obj = Record<string, unknown>;

const ALLOWED_TOKEN = [
  /^<@[UW][A-Z0-9]+>$/,
  /^<#[CGD][A-Z0-9]+>$/,
  /^<!date\^\d+\^[^|<>]+\|[^<>]*>$/,
  /^<https:\/\/[^\s<>|]+\|[^<>]*>$/,
];

export function mrkdwnProblems(text: string, where: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<[^>]*>?/g)) {
    if (!ALLOWED_TOKEN.some((re) => re.test(m[0]))) out.push(`${where}: token ${JSON.stringify(m[0].slice(0, 40))}`);
  }
  if (/@(here|channel|everyone)\b/i.test(text)) out.push(`${where}: bare broadcast word`);
  return out;
}

export function plainProblems(text: string, where: string): string[] {
  return /@(here|channel|everyone)\b/i.test(text) ? [`${where}: bare broadcast word`] : [];
}

function textObj(t: unknown, max: number, where: string, out: string[]): void {
  if (!t || typeof t !== 'object') return;
  const { type, text } = t as { type?: string; text?: unknown };
  if (typeof text !== 'string') return void out.push(`${where}: text missing`);
  if (text.length < 1) out.push(`${where}: empty text`);
  if (text.length > max) out.push(`${where}: ${text.length} > ${max}`);
  out.push(...(type === 'mrkdwn' ? mrkdwnProblems(text, where) : plainProblems(text, where)));
}

function optionList(options: unknown, max: number, where: string, out: string[]): void {
  if (!Array.isArray(options)) return;
  if (options.length > max) out.push(`${where}: ${options.length} options > ${max}`);
  options.forEach((o: Obj, i) => {
    textObj(o.text, 75, `${where}.options[${i}].text`, out);
    if (typeof o.value === 'string' && o.value.length > 75) out.push(`${where}.options[${i}].value too long`);
    if (o.description) textObj(o.description, 75, `${where}.options[${i}].description`, out);
  });
}

function element(e: Obj, where: string, out: string[]): void {
  if (typeof e.action_id === 'string' && e.action_id.length > 255) out.push(`${where}: action_id too long`);
  if (e.placeholder) textObj(e.placeholder, 150, `${where}.placeholder`, out);
  switch (e.type) {
    case 'button':
      textObj(e.text, 75, `${where}.text`, out);
      if (typeof e.value === 'string' && e.value.length > 2000) out.push(`${where}: value too long`);
      break;
    case 'overflow':
      if (!Array.isArray(e.options) || e.options.length < 1) out.push(`${where}: overflow without options`);
      optionList(e.options, 5, where, out);
      break;
    case 'static_select':
    case 'multi_static_select':
      optionList(e.options, 100, where, out);
      if (Array.isArray(e.option_groups)) {
        if (e.option_groups.length > 100) out.push(`${where}: too many option groups`);
        e.option_groups.forEach((g: Obj, i) => {
          textObj(g.label, 75, `${where}.option_groups[${i}].label`, out);
          optionList(g.options, 100, `${where}.option_groups[${i}]`, out);
        });
      }
      break;
    case 'radio_buttons':
    case 'checkboxes':
      optionList(e.options, 10, where, out);
      break;
    case 'plain_text_input': {
      const max = typeof e.max_length === 'number' ? e.max_length : 3000;
      if (max > 3000) out.push(`${where}: max_length > 3000`);
      if (typeof e.initial_value === 'string' && e.initial_value.length > max) out.push(`${where}: initial_value > max_length`);
      break;
    }
    case 'file_input':
      if (typeof e.max_files === 'number' && (e.max_files < 1 || e.max_files > 10)) out.push(`${where}: max_files`);
      break;
  }
}

export function blockProblems(blocks: unknown[], maxBlocks: number): string[] {
  const out: string[] = [];
  if (blocks.length > maxBlocks) out.push(`${blocks.length} blocks > ${maxBlocks}`);
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const b = raw as Obj;
    const where = `blocks[${i}](${String(b.type)})`;
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255) out.push(`${where}: block_id too long`);
      if (blockIds.has(b.block_id)) out.push(`${where}: duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section':
        if (b.text) textObj(b.text, 3000, `${where}.text`, out);
        if (Array.isArray(b.fields)) {
          if (b.fields.length > 10) out.push(`${where}: too many fields`);
          b.fields.forEach((f, j) => textObj(f, 2000, `${where}.fields[${j}]`, out));
        }
        if (!b.text && !b.fields) out.push(`${where}: section without text`);
        if (b.accessory) element(b.accessory as Obj, `${where}.accessory`, out);
        break;
      case 'header':
        textObj(b.text, 150, `${where}.text`, out);
        break;
      case 'context': {
        const els = b.elements as Obj[];
        if (els.length > 10) out.push(`${where}: too many elements`);
        els.forEach((e, j) => textObj(e, 3000, `${where}.elements[${j}]`, out));
        break;
      }
      case 'actions': {
        const els = b.elements as Obj[];
        if (els.length > 25) out.push(`${where}: too many elements`);
        const ids = els.map((e) => e.action_id);
        if (new Set(ids).size !== ids.length) out.push(`${where}: duplicate action_id`);
        els.forEach((e, j) => element(e, `${where}.elements[${j}]`, out));
        break;
      }
      case 'input':
        textObj(b.label, 2000, `${where}.label`, out);
        if (b.hint) textObj(b.hint, 2000, `${where}.hint`, out);
        element(b.element as Obj, `${where}.element`, out);
        break;
      case 'divider':
        break;
      default:
        out.push(`${where}: unexpected block type`);
    }
  });
  return out;
}

export function viewProblems(view: Obj): string[] {
  const blocks = view.blocks as unknown[];
  const out = blockProblems(blocks, 100);
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) out.push('callback_id too long');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) out.push('private_metadata too long');
  if (view.type === 'modal') {
    textObj(view.title, 24, 'title', out);
    if (view.submit) textObj(view.submit, 24, 'submit', out);
    if (view.close) textObj(view.close, 24, 'close', out);
    if (blocks.some((b) => (b as Obj).type === 'input') && !view.submit) out.push('input blocks without submit');
  }
  return out;
}

/** All the text of a surface, for "does X appear anywhere" assertions. */
export function allText(x: unknown): string {
  return JSON.stringify(x);
}

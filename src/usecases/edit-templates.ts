// Managing an inbox's templates (`/mailroom templates`): add, edit, delete, with the checks a
// person needs to hear about (name taken, nothing written). Membership is checked by the caller.
import { cleanHeaderText } from '../core/addresses.ts';
import { errorCode } from '../errors.ts';
import { TEMPLATE_NAME_MAX } from '../core/template-render.ts';
import type { Store } from '../store/index.ts';

export interface SaveTemplateRequest {
  inboxId: number;
  /** Absent when adding one. */
  templateId?: number;
  name: string;
  body: string;
  userId: string;
  /** The edit modal's "Delete this template" box was ticked. */
  remove?: boolean;
}

export type SaveTemplateOutcome =
  | { ok: true; action: 'created' | 'updated' | 'deleted'; templateId: number }
  | { ok: false; field: 'name' | 'body'; error: string };

/** A template's body may be long (a whole answer), but must fit a Slack text input. */
export const TEMPLATE_BODY_MAX = 3000;

export function saveTemplate(store: Store, req: SaveTemplateRequest): SaveTemplateOutcome {
  const existing = req.templateId !== undefined ? store.templates.byId(req.templateId) : undefined;
  if (req.templateId !== undefined && (!existing || existing.inboxId !== req.inboxId)) {
    return { ok: false, field: 'name', error: 'This template no longer exists (someone deleted it).' };
  }
  if (existing && req.remove) {
    store.templates.delete(existing.id);
    return { ok: true, action: 'deleted', templateId: existing.id };
  }
  const name = cleanHeaderText(req.name);
  if (!name) return { ok: false, field: 'name', error: 'Give the template a name.' };
  if (name.length > TEMPLATE_NAME_MAX) return { ok: false, field: 'name', error: `At most ${TEMPLATE_NAME_MAX} characters.` };
  const body = req.body.replace(/\s+$/, '');
  if (!body.trim()) return { ok: false, field: 'body', error: 'Write the text of the template.' };
  if (body.length > TEMPLATE_BODY_MAX) return { ok: false, field: 'body', error: `At most ${TEMPLATE_BODY_MAX} characters.` };
  try {
    if (existing) {
      store.templates.update(existing.id, { name, body, updatedBy: req.userId });
      return { ok: true, action: 'updated', templateId: existing.id };
    }
    const created = store.templates.create(req.inboxId, { name, body, updatedBy: req.userId });
    return { ok: true, action: 'created', templateId: created.id };
  } catch (err) {
    if (errorCode(err) === 'template.duplicate_name') return { ok: false, field: 'name', error: `This inbox already has a template called "${name}".` };
    throw err;
  }
}

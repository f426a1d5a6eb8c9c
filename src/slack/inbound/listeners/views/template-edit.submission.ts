// Saving the template edit modal: add, change or delete one template of an inbox, then redraw
// the list underneath (Slack returns to it when the edit modal closes).
import { describeError } from '../../../../errors.ts';
import { saveTemplate } from '../../../../usecases/edit-templates.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { DELETE_TEMPLATE_VALUE, readTemplateEditMetadata } from '../../../ui/views/templates.view.ts';
import { selectedValues, textValue, type ViewValues } from '../../view-state.ts';
import { templatesListView } from '../actions/templates.action.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { inboxById, isInboxMember, memberInboxes, notMemberText } from '../inbox-access.ts';

export function registerTemplateEditSubmission(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/template-edit' });

  app.view(Views.templateEdit, async ({ ack, body, view, client }) => {
    const meta = readTemplateEditMetadata(view.private_metadata);
    const inbox = meta ? inboxById(deps, meta.inboxId) : undefined;
    const userId = body.user.id;
    if (!meta || !inbox) {
      await ack({ response_action: 'errors', errors: { [Fields.templateName.block]: 'This inbox is no longer configured.' } });
      return;
    }
    if (!(await isInboxMember(deps, inbox.inbox.id, userId))) {
      await ack({ response_action: 'errors', errors: { [Fields.templateName.block]: notMemberText(inbox.inbox.name, 'change its templates') } });
      return;
    }
    const values = view.state.values as ViewValues;
    const outcome = saveTemplate(deps.store, {
      inboxId: inbox.inbox.id,
      ...(meta.templateId !== undefined ? { templateId: meta.templateId } : {}),
      name: textValue(values, Fields.templateName),
      body: textValue(values, Fields.templateBody),
      userId,
      remove: selectedValues(values, Fields.templateDelete).includes(DELETE_TEMPLATE_VALUE),
    });
    if (!outcome.ok) {
      const block = outcome.field === 'name' ? Fields.templateName.block : Fields.templateBody.block;
      await ack({ response_action: 'errors', errors: { [block]: outcome.error } });
      return;
    }
    await ack();
    log.info({ inbox: inbox.inbox.key, template: outcome.templateId, action: outcome.action }, 'template saved');
    const listId = (view as { previous_view_id?: string | null }).previous_view_id;
    if (!listId) return;
    try {
      const mine = await memberInboxes(deps, userId);
      await client.views.update({ view_id: listId, view: templatesListView(deps, inbox, mine) });
    } catch (err) {
      log.warn({ err: describeError(err) }, 'could not redraw the templates list');
    }
  });
}

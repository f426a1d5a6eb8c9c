// The templates list modal (`/mailroom templates`): open it for the right inbox, switch inbox,
// and push the edit modal for Add and Edit. Only members of an inbox see or change its templates.
import type { WebClient } from '@slack/web-api';
import { TEMPLATE_VARIABLE_HINTS } from '../../../../core/template-render.ts';
import { describeError } from '../../../../errors.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions, Views } from '../../../ui/ids.ts';
import { modal, notice } from '../../../ui/views/common.ts';
import { templateEditModal, templatesListModal } from '../../../ui/views/templates.view.ts';
import type { InboxRuntime, ListenerDeps } from '../register-listeners.ts';
import { inboxById, inboxOfChannel, isInboxMember, memberInboxes, NO_INBOX_TEXT, notMemberText } from '../inbox-access.ts';

const variables = TEMPLATE_VARIABLE_HINTS;

/** The list modal of one inbox, with a switcher over the user's other inboxes. */
export function templatesListView(deps: ListenerDeps, inbox: InboxRuntime, mine: readonly InboxRuntime[]) {
  return templatesListModal({
    inbox: { id: inbox.inbox.id, name: inbox.inbox.name },
    inboxes: mine.map((i) => ({ id: i.inbox.id, name: i.inbox.name })),
    templates: deps.store.templates.list(inbox.inbox.id).map((t) => ({ id: t.id, name: t.name, body: t.body })),
    variables,
  });
}

/**
 * Opens the list for the inbox of the channel the command was typed in (else the user's first
 * inbox). Returns what to tell the user privately instead, or null when the modal is open.
 */
export async function openTemplatesList(
  deps: ListenerDeps,
  client: WebClient,
  req: { triggerId: string; userId: string; channelId?: string | null },
): Promise<string | null> {
  const here = inboxOfChannel(deps, req.channelId);
  if (here && !(await isInboxMember(deps, here.inbox.id, req.userId))) return notMemberText(here.inbox.name, 'manage its templates');
  const mine = await memberInboxes(deps, req.userId);
  const inbox = here ?? mine[0];
  if (!inbox) return NO_INBOX_TEXT;
  await client.views.open({ trigger_id: req.triggerId, view: templatesListView(deps, inbox, mine) });
  return null;
}

function refusal(text: string) {
  return modal({ callbackId: Views.templatesList, title: 'Templates', close: 'Close', blocks: [notice(text)], metadata: {} });
}

export function registerTemplateActions(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/templates' });

  /** Add (value: inbox id) and Edit (value: template id) push the edit modal on top of the list. */
  async function pushEditor(client: WebClient, triggerId: string, userId: string, inboxId: number, templateId: number | null): Promise<void> {
    const inbox = inboxById(deps, inboxId);
    const template = templateId !== null ? deps.store.templates.byId(templateId) : undefined;
    let view;
    if (!inbox || (templateId !== null && template?.inboxId !== inboxId)) view = refusal('This template no longer exists.');
    else if (!(await isInboxMember(deps, inbox.inbox.id, userId))) view = refusal(notMemberText(inbox.inbox.name, 'change its templates'));
    else view = templateEditModal({ inbox: { id: inbox.inbox.id, name: inbox.inbox.name }, template: template ?? null, variables });
    await client.views.push({ trigger_id: triggerId, view });
  }

  app.action(Actions.templateAdd, async ({ ack, body, action, client }) => {
    await ack();
    const inboxId = Number((action as { value?: string }).value);
    const b = body as { trigger_id: string; user: { id: string } };
    await pushEditor(client, b.trigger_id, b.user.id, inboxId, null).catch((err: unknown) => log.error({ err: describeError(err) }, 'could not open the new template modal'));
  });

  app.action(Actions.templateEdit, async ({ ack, body, action, client }) => {
    await ack();
    const template = deps.store.templates.byId(Number((action as { value?: string }).value));
    const b = body as { trigger_id: string; user: { id: string } };
    await pushEditor(client, b.trigger_id, b.user.id, template?.inboxId ?? 0, template?.id ?? -1).catch((err: unknown) =>
      log.error({ err: describeError(err) }, 'could not open the template editor'),
    );
  });

  app.action(Actions.templateInbox, async ({ ack, body, action, client }) => {
    await ack();
    const b = body as { user: { id: string }; view?: { id: string; hash?: string } };
    const inbox = inboxById(deps, Number((action as { selected_option?: { value?: string } }).selected_option?.value));
    if (!inbox || !b.view) return;
    try {
      const mine = await memberInboxes(deps, b.user.id);
      const view = mine.some((i) => i.inbox.id === inbox.inbox.id) ? templatesListView(deps, inbox, mine) : refusal(notMemberText(inbox.inbox.name, 'manage its templates'));
      await client.views.update({ view_id: b.view.id, ...(b.view.hash ? { hash: b.view.hash } : {}), view });
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not switch the templates inbox');
    }
  });
}

// Choosing a template in the compose or reply modal: the template is rendered (the recipient's
// name, the conversation number…) and added to the end of the body, and the modal is redrawn with
// everything typed so far. The body's block id gets a new revision: Slack keeps what was typed in
// an input whose block id is unchanged, whatever the new initial value says.
import type { BlockAction, StaticSelectAction } from '@slack/bolt';
import { parseAddressList } from '../../../../core/addresses.ts';
import { renderTemplate, type TemplateContext } from '../../../../core/template-render.ts';
import { describeError } from '../../../../errors.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { readComposeMetadata } from '../../../ui/views/compose.view.ts';
import { parseFromValue } from '../../../ui/views/email-fields.ts';
import { readReplyMetadata } from '../../../ui/views/reply.view.ts';
import { bodyValue, selectedValue, selectedValues, textValue, type ViewValues } from '../../view-state.ts';
import { composeView, replyView } from '../email-modals.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { inboxById, isInboxMember, memberInboxes } from '../inbox-access.ts';

/** The template goes after what is already written, a blank line between. */
export function appendToBody(current: string, addition: string): string {
  const before = current.replace(/\s+$/, '');
  return before ? `${before}\n\n${addition}` : addition;
}

export function registerTemplateInsertion(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/insert-template' });

  /** The first recipient typed or picked in the compose modal, with the name we know for it. */
  function firstRecipient(values: ViewValues): TemplateContext['contact'] {
    const typed = parseAddressList(textValue(values, Fields.to)).addresses[0];
    if (typed) return { name: typed.name || deps.store.contacts.byEmail(typed.address)?.name || '', email: typed.address };
    const picked = selectedValues(values, Fields.toContacts)[0];
    const contact = picked ? deps.store.contacts.byId(Number(picked)) : undefined;
    return contact ? { name: contact.name, email: contact.email } : null;
  }

  app.action<BlockAction<StaticSelectAction>>(Fields.template.action, async ({ ack, body, action, client }) => {
    await ack();
    const view = body.view;
    const userId = body.user.id;
    const template = deps.store.templates.byId(Number(action.selected_option?.value));
    if (!view || !template) return;
    const inbox = inboxById(deps, template.inboxId);
    if (!inbox || !(await isInboxMember(deps, inbox.inbox.id, userId))) return;
    const values = view.state.values as ViewValues;
    const current = bodyValue(values).text;
    const kept = { to: textValue(values, Fields.to), cc: textValue(values, Fields.cc), bcc: textValue(values, Fields.bcc) };
    const teammateName = await deps.directory.displayName(userId).catch(() => '');
    let next;
    if (view.callback_id === Views.compose) {
      const meta = readComposeMetadata(view.private_metadata);
      const subject = textValue(values, Fields.subject);
      // The conversation number exists once the email is sent: that placeholder stays until then.
      const text = renderTemplate(template.body, { contact: firstRecipient(values), subject, inboxName: inbox.inbox.name, teammateName }, { missing: 'keep' });
      next = composeView(deps, await memberInboxes(deps, userId), {
        defaultFrom: parseFromValue(selectedValue(values, Fields.from)),
        channelId: meta?.channelId ?? null,
        initial: { ...kept, subject, body: appendToBody(current, text) },
        bodyRevision: (meta?.bodyRevision ?? 0) + 1,
        userId,
      });
    } else if (view.callback_id === Views.reply) {
      const meta = readReplyMetadata(view.private_metadata);
      const c = meta ? deps.store.conversations.byId(meta.conversationNumber) : undefined;
      if (!meta || !c || c.inboxId !== inbox.inbox.id) return;
      const contact = c.contactId ? deps.store.contacts.byId(c.contactId) : undefined;
      const text = renderTemplate(template.body, {
        contact: contact ? { name: contact.name, email: contact.email } : null,
        conversationNumber: c.id,
        subject: c.subject,
        inboxName: inbox.inbox.name,
        teammateName,
      });
      next = replyView(deps, c, inbox, {
        defaultFrom: parseFromValue(selectedValue(values, Fields.from)),
        initial: { ...kept, body: appendToBody(current, text) },
        bodyRevision: meta.bodyRevision + 1,
        userId,
      });
    } else {
      return;
    }
    try {
      await client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: next });
    } catch (err) {
      // hash_conflict: the modal changed meanwhile (another insertion); the user can pick again.
      log.warn({ err: describeError(err) }, 'could not insert a template');
    }
  });
}

// Sending the compose modal: check every field (errors under each input), store the new
// conversation and its email before the modal closes, then show it in the inbox channel and send
// it. Also serves the To contact picker's type-ahead.
import type { Contact } from '../../../../core/types.ts';
import { validateEmailForm } from '../../../../core/email-form.ts';
import { isOwnAddress } from '../../../../core/loop-guard.ts';
import { describeError } from '../../../../errors.ts';
import { composeEmail, storeComposedEmail } from '../../../../usecases/compose-email.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { readComposeMetadata } from '../../../ui/views/compose.view.ts';
import { contactOptions, parseFromValue } from '../../../ui/views/email-fields.ts';
import { bodyValue, fileValues, selectedValue, selectedValues, textValue, type ViewValues } from '../../view-state.ts';
import { fieldErrors, fromAddressOf, readWhen, resolveFiles, threadPoster } from '../email-modals.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { allOurAddresses, isInboxMember, memberInboxes, notMemberText } from '../inbox-access.ts';

const SOMETHING_WRONG = 'Something went wrong on Mailroom’s side; nothing was sent. Please try again.';

/** A name lookup must not hold the modal past Slack's 3 s: fall back to no name. */
function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);
}

export function registerComposeSubmission(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/compose-submit' });

  app.view(Views.compose, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const values = view.state.values as ViewValues;
    const meta = readComposeMetadata(view.private_metadata);
    const chosen = fromAddressOf(deps, parseFromValue(selectedValue(values, Fields.from)));
    const member = chosen ? await isInboxMember(deps, chosen.inbox.inbox.id, userId) : false;
    const picked = selectedValues(values, Fields.toContacts)
      .map((id) => deps.store.contacts.byId(Number(id)))
      .filter((c): c is Contact => !!c)
      .map((c) => ({ name: c.name, address: c.email }));
    const text = bodyValue(values);
    const rawFiles = fileValues(values, Fields.files);
    const checked = validateEmailForm({
      fromAddress: member ? chosen!.address : null,
      to: textValue(values, Fields.to),
      toContacts: picked,
      cc: textValue(values, Fields.cc),
      bcc: textValue(values, Fields.bcc),
      subject: textValue(values, Fields.subject),
      body: text.text,
      fileCount: rawFiles.length,
      ourAddresses: allOurAddresses(deps),
    });
    if (!checked.ok) {
      const errors = fieldErrors(checked.errors, text.blockId);
      if (chosen && !member) errors[Fields.from.block] = notMemberText(chosen.inbox.inbox.name, 'send email from it');
      await ack({ response_action: 'errors', errors });
      return;
    }
    const inbox = chosen!.inbox;
    const when = readWhen(values, Date.now());
    if (!when.ok) {
      await ack({ response_action: 'errors', errors: { [when.block]: when.error } });
      return;
    }
    let files;
    try {
      files = await resolveFiles(client, rawFiles);
    } catch (err) {
      log.warn({ err: describeError(err) }, 'could not read the files of a composed email');
      await ack({ response_action: 'errors', errors: { [Fields.files.block]: 'Slack did not give me these files; remove them and add them again.' } });
      return;
    }
    const teammateName = await within(deps.directory.displayName(userId), 1000, '');
    const req = {
      userId,
      teammateName,
      inbox: { id: inbox.inbox.id, name: inbox.inbox.name, channelId: inbox.inbox.channelId },
      form: checked.form,
      files,
      sendAt: when.sendAt,
      withoutSignature: selectedValues(values, Fields.noSignature).includes('off'),
    };
    let stored;
    try {
      stored = storeComposedEmail(deps, req);
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not store a composed email');
      await ack({ response_action: 'errors', errors: { [text.blockId]: SOMETHING_WRONG } });
      return;
    }
    await ack();
    if (when.sendAt) deps.timekeeper.timersChanged();
    const outcome = await composeEmail(
      { store: deps.store, logger: log, postParent: deps.postParent, postInThread: threadPoster(client), kickOutbox: deps.kickOutbox },
      req,
      stored,
    );
    if (!outcome.shown) {
      const where = meta?.channelId ?? inbox.inbox.channelId;
      await client.chat
        .postEphemeral({ channel: where, user: userId, text: `Your email (#${outcome.conversation.id}) is being sent, but Slack would not show it in <#${inbox.inbox.channelId}> right now.` })
        .catch(() => undefined);
    }
  });

  // The To picker's type-ahead: known contacts by name or address, for inbox members only.
  app.options(Fields.toContacts.action, async ({ ack, body }) => {
    const query = String((body as { value?: unknown }).value ?? '').trim();
    const userId = (body as { user?: { id?: string } }).user?.id ?? '';
    const allowed = query.length > 0 && (await memberInboxes(deps, userId)).length > 0;
    const ours = allOurAddresses(deps);
    const found = allowed ? deps.store.contacts.search(query, 50).filter((c) => !isOwnAddress(c.email, ours)) : [];
    await ack(contactOptions(found.map((c) => ({ id: c.id, name: c.name, email: c.email }))));
  });
}

// Sending the reply modal: check From (an address of the conversation's inbox), the extra people
// and the text; store the reply before the modal closes; show it in the thread and send it.
// Closing the modal without sending clears "… is replying".
import { validateEmailForm } from '../../../../core/email-form.ts';
import { describeError } from '../../../../errors.ts';
import { replyRefusal, sendReplyWithOptions, storeReplyWithOptions, type StoredReply } from '../../../../usecases/reply-with-options.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { parseFromValue } from '../../../ui/views/email-fields.ts';
import { readReplyMetadata } from '../../../ui/views/reply.view.ts';
import { bodyValue, fileValues, selectedValue, selectedValues, textValue, type ViewValues } from '../../view-state.ts';
import { fieldErrors, fromAddressOf, readWhen, resolveFiles, threadPoster } from '../email-modals.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { allOurAddresses, inboxById, isInboxMember, notMemberText } from '../inbox-access.ts';

const SOMETHING_WRONG = 'Something went wrong on Mailroom’s side; nothing was sent. Please try again.';

export function registerReplySubmission(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/reply-submit' });

  app.view({ callback_id: Views.reply, type: 'view_closed' }, async ({ ack, body, view }) => {
    await ack();
    const meta = readReplyMetadata(view.private_metadata);
    if (meta) deps.collision?.clearReplying(meta.conversationNumber, body.user.id);
  });

  app.view({ callback_id: Views.reply, type: 'view_submission' }, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const values = view.state.values as ViewValues;
    const text = bodyValue(values);
    const meta = readReplyMetadata(view.private_metadata);
    const c = meta ? deps.store.conversations.byId(meta.conversationNumber) : undefined;
    const inbox = c ? inboxById(deps, c.inboxId) : undefined;
    const refuse = (block: string, message: string) => ack({ response_action: 'errors', errors: { [block]: message } });
    if (!c || !inbox) return refuse(text.blockId, 'This conversation no longer exists.');
    if (c.movedToId) return refuse(text.blockId, 'This conversation moved to another inbox: reply there.');
    if (!(await isInboxMember(deps, inbox.inbox.id, userId))) return refuse(Fields.from.block, notMemberText(inbox.inbox.name, 'reply by email'));

    const chosen = fromAddressOf(deps, parseFromValue(selectedValue(values, Fields.from)));
    const rawFiles = fileValues(values, Fields.files);
    const when = readWhen(values, Date.now());
    if (!when.ok) return refuse(when.block, when.error);
    const checked = validateEmailForm({
      fromAddress: chosen && chosen.inbox.inbox.id === inbox.inbox.id ? chosen.address : null,
      to: textValue(values, Fields.to),
      cc: textValue(values, Fields.cc),
      bcc: textValue(values, Fields.bcc),
      subject: null,
      body: text.text,
      fileCount: rawFiles.length,
      ourAddresses: allOurAddresses(deps),
      recipientsImplied: true,
    });
    if (!checked.ok) {
      const errors = fieldErrors(checked.errors, text.blockId);
      if (errors[Fields.from.block]) errors[Fields.from.block] = `Choose one of the ${inbox.inbox.name} inbox's addresses.`;
      return ack({ response_action: 'errors', errors });
    }
    let files;
    try {
      files = await resolveFiles(client, rawFiles);
    } catch (err) {
      log.warn({ err: describeError(err) }, 'could not read the files of a reply');
      return refuse(Fields.files.block, 'Slack did not give me these files; remove them and add them again.');
    }
    const teammateName = await Promise.race([
      deps.directory.displayName(userId).catch(() => ''),
      new Promise<string>((r) => setTimeout(() => r(''), 1000).unref()),
    ]);
    const withoutSignature = selectedValues(values, Fields.noSignature).includes('off');
    const req = { conversation: c, userId, teammateName, inbox: { id: inbox.inbox.id, name: inbox.inbox.name, addresses: inbox.addresses }, form: checked.form, files, sendAt: when.sendAt, remindAfterMs: when.remindAfterMs, withoutSignature };
    let stored: StoredReply;
    try {
      stored = storeReplyWithOptions(deps.store, req);
    } catch (err) {
      const told = replyRefusal(err);
      if (!told) log.error({ err: describeError(err) }, 'could not store a reply');
      return refuse(told ? Fields.to.block : text.blockId, told ?? SOMETHING_WRONG);
    }
    await ack();
    if (when.sendAt || when.remindAfterMs) deps.timekeeper.timersChanged();
    await sendReplyWithOptions({ store: deps.store, postInThread: threadPoster(client), kickOutbox: deps.kickOutbox, logger: log }, req, stored);
    deps.collision?.clearReplying(c.id, userId);
  });
}

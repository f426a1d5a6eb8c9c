// `/mailroom signature` (the modal), `… set TEXT`, `… show`, `… clear`, and the same with
// `inbox` for the signature of the inbox whose channel this is (its members only). Answers are
// private lines; the modal saves both signatures at once.
import type { WebClient } from '@slack/web-api';
import { AppError, describeError } from '../../../../errors.ts';
import { inboxSignature, setSignature } from '../../../../usecases/signatures.ts';
import { slackStoredText } from '../../../../usecases/outgoing-email.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Fields, Views } from '../../../ui/ids.ts';
import { readSignatureMetadata, signatureModal } from '../../../ui/views/signature.view.ts';
import { textValue, type ViewValues } from '../../view-state.ts';
import { inboxOfChannel, isInboxMember, notMemberText } from '../inbox-access.ts';
import type { InboxRuntime, ListenerDeps } from '../register-listeners.ts';

/** Slack's stored text back to what a person typed, for a text input. */
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const quoted = (s: string) => s.split('\n').map((l) => `>${l}`).join('\n');

export async function signatureCommand(deps: ListenerDeps, client: WebClient, o: { text: string; userId: string; channelId: string; triggerId: string; command: string }): Promise<string | null> {
  const words = o.text.trim();
  const first = words.split(/\s+/)[0] ?? '';
  const forInbox = first.toLowerCase() === 'inbox';
  const after = forInbox ? words.slice(first.length).trim() : words;
  const verbWord = after.split(/\s+/)[0] ?? '';
  const verb = verbWord.toLowerCase();
  // What follows the verb, line breaks kept (a signature has several lines).
  const text = after.slice(verbWord.length).replace(/^[ \t]+/, '').trim();
  const here = inboxOfChannel(deps, o.channelId);
  const member = here ? await isInboxMember(deps, here.inbox.id, o.userId) : false;

  if (!verb && !forInbox) {
    const inbox = here && member ? { id: here.inbox.id, name: here.inbox.name, signature: unescape(inboxSignature(deps.store, here.config) ?? '') } : null;
    await client.views.open({ trigger_id: o.triggerId, view: signatureModal({ mine: unescape(deps.store.signatures.get('user', o.userId) ?? ''), inbox }) });
    return null;
  }
  let owner: { scope: 'user' | 'inbox'; key: string; label: string; inbox?: InboxRuntime } = { scope: 'user', key: o.userId, label: 'Your signature' };
  if (forInbox) {
    if (!here) return `Type \`${o.command} signature inbox …\` in an inbox's channel.`;
    if (!member) return notMemberText(here.inbox.name, 'change its signature');
    owner = { scope: 'inbox', key: here.inbox.key, label: `The signature of *${here.inbox.name}*`, inbox: here };
  }
  try {
    if (verb === 'show') {
      const current = owner.inbox ? inboxSignature(deps.store, owner.inbox.config) : deps.store.signatures.get('user', o.userId);
      const inboxToo = !forInbox && here && member ? inboxSignature(deps.store, here.config) : null;
      const lines = [current ? `${owner.label}:\n${quoted(current)}` : `${owner.label}: none. Set one with \`${o.command} signature ${forInbox ? 'inbox ' : ''}set …\`.`];
      if (inboxToo) lines.push(`Then the inbox's (*${here!.inbox.name}*):\n${quoted(inboxToo)}`);
      return lines.join('\n');
    }
    if (verb === 'set') {
      if (!text) return `Say what it is: \`${o.command} signature ${forInbox ? 'inbox ' : ''}set Ana Lima · Acme Support\`.`;
      setSignature(deps.store, { scope: owner.scope, owner: owner.key, text, by: o.userId });
      return `${owner.label} is now:\n${quoted(deps.store.signatures.get(owner.scope, owner.key)!)}`;
    }
    if (verb === 'clear') {
      const had = deps.store.signatures.clear(owner.scope, owner.key);
      const fallback = owner.inbox?.config.signature ? ' The one in the configuration file applies again.' : '';
      return had ? `${owner.label} is cleared.${fallback}` : `${owner.label} was not set.`;
    }
    return `I know \`${o.command} signature\` (a form), \`signature set TEXT\`, \`signature show\`, \`signature clear\`, and the same with \`signature inbox …\`.`;
  } catch (err) {
    if (err instanceof AppError && err.userMessage) return err.userMessage;
    deps.logger.error({ err: describeError(err) }, '/mailroom signature failed');
    return 'Something went wrong; the error is in the Mailroom log.';
  }
}

export function registerSignatureSubmission(app: BoltApp, deps: ListenerDeps): void {
  app.view(Views.signature, async ({ ack, body, view }) => {
    const values = view.state.values as ViewValues;
    const meta = readSignatureMetadata(view.private_metadata);
    const inbox = meta?.inboxId ? deps.inboxes.byId(meta.inboxId) : undefined;
    if (inbox && !(await isInboxMember(deps, inbox.inbox.id, body.user.id)))
      return void (await ack({ response_action: 'errors', errors: { [Fields.inboxSignature.block]: notMemberText(inbox.inbox.name, 'change its signature') } }));
    try {
      setSignature(deps.store, { scope: 'user', owner: body.user.id, text: slackStoredText(textValue(values, Fields.mySignature)), by: body.user.id });
      if (inbox) setSignature(deps.store, { scope: 'inbox', owner: inbox.inbox.key, text: slackStoredText(textValue(values, Fields.inboxSignature)), by: body.user.id });
    } catch (err) {
      const text = err instanceof AppError && err.userMessage ? err.userMessage : 'Something went wrong; please try again.';
      return void (await ack({ response_action: 'errors', errors: { [Fields.mySignature.block]: text } }));
    }
    await ack();
  });
}

// Compose: /compose and the global shortcut open the modal; sending it starts a conversation in
// the inbox channel (parent + the email in its thread) and sends the email through the outbox to
// the real SMTP server; the customer's answer comes back into the thread.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Fields, Shortcuts, Views } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { blockActions, sendCommand, sendInteraction, slashCommand, triggerId, viewSubmission } from '../../support/slack-requests.ts';
import { DEFAULT_IDENTITY } from '../../support/fake-slack-state.ts';
import { waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let url: string;
const OUTSIDER = 'U0OUTSIDE1';

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  app = rig.build({ MAILROOM_ALIASES: 'help@example.com' });
  url = `http://127.0.0.1:${(await app.start()).port!}/slack/events`;
  await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

const text = (value: string | null) => ({ type: 'plain_text_input', value });

interface Form {
  from?: string;
  to?: string;
  contacts?: string[];
  cc?: string;
  bcc?: string;
  subject?: string;
  body?: string;
  bodyBlock?: string;
  files?: Record<string, unknown>[];
}

function values(f: Form) {
  return {
    [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: f.from === undefined ? { value: '1:0' } : f.from ? { value: f.from } : null } },
    [Fields.to.block]: { [Fields.to.action]: text(f.to ?? null) },
    [Fields.toContacts.block]: { [Fields.toContacts.action]: { type: 'multi_external_select', selected_options: (f.contacts ?? []).map((value) => ({ value })) } },
    [Fields.cc.block]: { [Fields.cc.action]: text(f.cc ?? null) },
    [Fields.bcc.block]: { [Fields.bcc.action]: text(f.bcc ?? null) },
    [Fields.subject.block]: { [Fields.subject.action]: text(f.subject ?? null) },
    [f.bodyBlock ?? Fields.body.block]: { [Fields.body.action]: text(f.body ?? null) },
    [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: f.files ?? [] } },
  };
}

function submit(f: Form, user = MEMBER, metadata = JSON.stringify({ bodyRevision: 0, channelId: CHANNEL })) {
  return sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.compose, user, values: values(f), privateMetadata: metadata }));
}

const parents = () => rig.slack.messagesIn(CHANNEL).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
const reactionsOf = (parentTs: string, ts: string) => (rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.ts === ts)?.reactions ?? []).map((r) => r.name);
const addressesOf = (field: unknown) => (field && !Array.isArray(field) ? (field as { value: { address: string }[] }).value.map((a) => a.address) : []);

describe('opening the compose modal', () => {
  it('/compose in the inbox channel opens it with the inbox preselected as From', async () => {
    const res = await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/compose', user: MEMBER, channel: CHANNEL }));
    expect(res.status).toBe(200);
    const open = await waitFor(() => rig.slack.calls('views.open').find((c) => (c.args.view as { callback_id?: string }).callback_id === Views.compose));
    const view = open.args.view as { blocks: { block_id?: string; element?: { initial_option?: { value: string }; options?: { value: string }[] } }[] };
    const from = view.blocks.find((b) => b.block_id === Fields.from.block)!.element!;
    expect(from.initial_option?.value).toBe('1:0');
    expect(from.options!.map((o) => o.value)).toEqual(['1:0', '1:1']); // support@ and the help@ alias
  });

  const globalShortcut = (user: string) => ({ type: 'shortcut', callback_id: Shortcuts.compose, trigger_id: triggerId(), user: { id: user, username: user.toLowerCase(), team_id: DEFAULT_IDENTITY.teamId }, team: { id: DEFAULT_IDENTITY.teamId, domain: DEFAULT_IDENTITY.teamDomain }, api_app_id: DEFAULT_IDENTITY.appId, token: 'legacy-verification-token', action_ts: '1.2' });

  it('the global shortcut opens it too; for someone in no inbox, the modal only explains', async () => {
    const before = rig.slack.calls('views.open').length;
    await sendInteraction(url, SIGNING_SECRET, globalShortcut(MEMBER));
    const open = await waitFor(() => rig.slack.calls('views.open')[before]);
    expect((open.args.view as { callback_id: string }).callback_id).toBe(Views.compose);
    expect(JSON.stringify(open.args.view)).toContain('support@example.com');

    await sendInteraction(url, SIGNING_SECRET, globalShortcut(OUTSIDER));
    const refused = await waitFor(() => rig.slack.calls('views.open')[before + 1]);
    const view = refused.args.view as { submit?: unknown; blocks: unknown[] };
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('You are not a member of any inbox');
  });

  it('a non-member typing /compose in the inbox channel is told privately, and no modal opens', async () => {
    const before = rig.slack.calls('views.open').length;
    const responseUrl = rig.slack.responseUrl('compose-outsider');
    await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/compose', user: OUTSIDER, channel: CHANNEL, responseUrl }));
    const told = await waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === 'compose-outsider'));
    expect(told.args).toMatchObject({ response_type: 'ephemeral', text: 'Only members of the *Acme Support* inbox can send email from it. Ask a member, or an admin to add you to the inbox.' });
    expect(rig.slack.calls('views.open')).toHaveLength(before);
    // A forged submission by the outsider is refused on the From field; nothing is stored.
    const conversations = parents().length;
    const res = await submit({ to: 'x@customer.example', subject: 'Hi', body: 'Hello' }, OUTSIDER);
    expect(JSON.parse(res.body).errors[Fields.from.block]).toMatch(/^Only members of the \*Acme Support\* inbox/);
    expect(parents()).toHaveLength(conversations);
  });
});

describe('sending a composed email', () => {
  it('starts a conversation in the channel and sends the email, which the customer can answer', async () => {
    const res = await submit({
      from: '1:1',
      to: 'Carla Cliente <carla@customer.example>',
      cc: 'Dan <dan@customer.example>',
      bcc: 'boss@partner.example',
      subject: 'Your invoice',
      body: 'Hi {{first_name}}, the invoice for #{{conversation_number}} is *attached* & paid.',
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');

    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    const c = app.store.conversations.byId(Math.max(...parents().map((p) => app.store.conversations.byParent(CHANNEL, p.ts)?.id ?? 0)))!;
    const p = sent!.parsed;
    expect(p.from?.value[0]).toEqual({ name: 'Ana Lima (Acme Support)', address: 'help@example.com' });
    expect(addressesOf(p.to)).toEqual(['carla@customer.example']);
    expect(addressesOf(p.cc)).toEqual(['dan@customer.example']);
    expect(p.bcc).toBeUndefined();
    expect(sent!.to.sort()).toEqual(['boss@partner.example', 'carla@customer.example', 'dan@customer.example']);
    expect(p.subject).toBe('Your invoice');
    expect(p.messageId).toMatch(new RegExp(`^<mr\\.${c.token}\\.[A-Za-z0-9_-]+@example\\.com>$`));
    expect(p.inReplyTo).toBeUndefined();
    expect(p.text).toContain(`Hi Carla, the invoice for #${c.id} is *attached* & paid.`);
    expect(p.html).toContain('<strong>attached</strong> &#38; paid');

    // The store: a conversation started and owned by the teammate, with the recipient as contact.
    expect(c).toMatchObject({ inboxId: 1, subject: 'Your invoice', ourAddress: 'help@example.com', startedByUserId: MEMBER, assigneeUserId: MEMBER, channelId: CHANNEL });
    expect(app.store.contacts.byId(c.contactId!)).toMatchObject({ email: 'carla@customer.example', name: 'Carla Cliente' });
    expect(app.store.contacts.byEmail('dan@customer.example')?.name).toBe('Dan');
    const events = app.store.events.between(0, Date.now() + 1).filter((e) => e.conversationId === c.id);
    expect(events.find((e) => e.type === 'conversation.created')).toMatchObject({ actorUserId: MEMBER, data: { origin: 'compose', startedByUserId: MEMBER } });
    await waitFor(() => app.store.events.between(0, Date.now() + 1).find((e) => e.conversationId === c.id && e.type === 'reply.sent' && e.data.kind === 'compose'));

    // Slack: the parent in the channel, the email in its thread with ✅ once the server took it.
    const parent = parents().find((m) => m.ts === c.slackTs)!;
    expect(parent.metadata?.event_payload).toMatchObject({ conversation_id: c.id });
    expect(JSON.stringify(parent.blocks)).toContain('carla@customer.example');
    const thread = rig.slack.threadOf(CHANNEL, parent.ts);
    const shown = thread.find((m) => m.ts !== parent.ts && JSON.stringify(m.blocks ?? []).includes('the invoice for'))!;
    const shownBlocks = JSON.stringify(shown.blocks);
    expect(shownBlocks).toContain(`by <@${MEMBER}>`);
    expect(shownBlocks).toContain('*BCC*');
    expect(shownBlocks).toContain('&amp; paid');
    await waitFor(() => reactionsOf(parent.ts, shown.ts).includes('white_check_mark'));
    expect(app.store.conversations.byId(c.id)?.status).toBe('pending');

    // The customer answers: the reply lands in the same thread and reopens the conversation.
    await rig.deliver(email({ subject: 'Re: Your invoice', inReplyTo: p.messageId!, references: p.messageId!, body: 'compose-answer-marker' }));
    await waitFor(() => rig.slack.threadOf(CHANNEL, parent.ts).find((m) => JSON.stringify(m.blocks ?? []).includes('compose-answer-marker')), { timeoutMs: 10_000 });
    expect(parents().filter((m) => m.ts === parent.ts)).toHaveLength(1);
    await waitFor(() => app.store.conversations.byId(c.id)?.status === 'open');
  });

  it('answers field errors for a bad address, our own address and an empty subject, and sends nothing', async () => {
    const conversations = parents().length;
    const res = await submit({ to: 'carla@customer', cc: 'support@example.com', subject: '   ', body: 'Hello', bodyBlock: 'mr_body_r2' });
    expect(JSON.parse(res.body)).toEqual({
      response_action: 'errors',
      errors: {
        [Fields.to.block]: 'Not an email address: "carla@customer". Separate addresses with commas.',
        [Fields.cc.block]: 'support@example.com is our own address: Mailroom never emails itself.',
        [Fields.subject.block]: 'Write a subject.',
      },
    });
    const empty = await submit({ to: '', subject: 'Hi', body: '', bodyBlock: 'mr_body_r2' });
    expect(JSON.parse(empty.body).errors).toEqual({ [Fields.to.block]: 'Add at least one recipient.', mr_body_r2: 'Write a message (or attach a file).' });
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.smtp.messages).toHaveLength(0);
    expect(parents()).toHaveLength(conversations);
  });

  it('sends to a contact picked in the To picker, with a file attached', async () => {
    const contact = app.store.contacts.upsert('erik@customer.example', 'Erik Eriksson').contact;
    const suggest = await sendInteraction(url, SIGNING_SECRET, {
      type: 'block_suggestion',
      user: { id: MEMBER, username: 'ana', team_id: DEFAULT_IDENTITY.teamId },
      team: { id: DEFAULT_IDENTITY.teamId, domain: DEFAULT_IDENTITY.teamDomain },
      api_app_id: DEFAULT_IDENTITY.appId,
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: 'V0VIEW0001' },
      action_id: Fields.toContacts.action,
      block_id: Fields.toContacts.block,
      value: 'erik',
      view: { id: 'V0VIEW0001', callback_id: Views.compose, type: 'modal' },
    });
    expect(JSON.parse(suggest.body).options).toEqual([{ text: { type: 'plain_text', text: 'Erik Eriksson <erik@customer.example>', emoji: true }, value: String(contact.id) }]);

    const file = rig.slack.addFile({ name: 'quote.pdf', mimetype: 'application/pdf', content: Buffer.from('%PDF-1.4 quote') });
    // Only the id, as the payload may give it: the app asks files.info for the rest.
    await submit({ contacts: [String(contact.id)], subject: 'Your quote', body: 'Here it is.', files: [{ id: file.id, name: file.name }] });
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(addressesOf(sent!.parsed.to)).toEqual(['erik@customer.example']);
    expect(sent!.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['quote.pdf', '%PDF-1.4 quote']]);
    expect(rig.slack.calls('files.info').some((c) => c.args.file === file.id)).toBe(true);
  });
});

describe('inserting a template', () => {
  it('redraws the compose modal with the template rendered for the recipient typed so far', async () => {
    const t = app.store.templates.create(1, { name: 'Welcome', body: 'Hi {{first_name}}, I am {{teammate_first_name}} from {{inbox_name}}. Ref #{{conversation_number}}.', updatedBy: MEMBER });
    await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/compose', user: MEMBER, channel: CHANNEL }));
    const open = await waitFor(() => rig.slack.calls('views.open').filter((c) => (c.args.view as { callback_id?: string }).callback_id === Views.compose).at(-1));
    const opened = (open.response as { view: { id: string; hash: string; private_metadata: string } }).view;
    expect(JSON.stringify(open.args.view)).toContain('Welcome');
    const state = values({ from: '1:1', to: 'Fay Fischer <fay@customer.example>', subject: 'Hello', body: 'Dear customer,' });
    const action = blockActions({
      actionId: Fields.template.action,
      blockId: Fields.template.block,
      user: MEMBER,
      view: { id: opened.id, hash: opened.hash, callback_id: Views.compose, private_metadata: opened.private_metadata, state: { values: state } },
      action: { type: 'static_select', selected_option: { value: String(t.id), text: { type: 'plain_text', text: 'Welcome' } } },
    });
    await sendInteraction(url, SIGNING_SECRET, action);
    const update = await waitFor(() => rig.slack.calls('views.update').find((c) => c.args.view_id === opened.id));
    const view = update.args.view as { private_metadata: string; blocks: { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } }[] };
    const body = view.blocks.find((b) => b.block_id === 'mr_body_r1');
    expect(body?.element?.initial_value).toBe('Dear customer,\n\nHi Fay, I am Ana from Acme Support. Ref #{{conversation_number}}.');
    expect(view.blocks.find((b) => b.block_id === Fields.to.block)?.element?.initial_value).toBe('Fay Fischer <fay@customer.example>');
    expect(view.blocks.find((b) => b.block_id === Fields.subject.block)?.element?.initial_value).toBe('Hello');
    expect(view.blocks.find((b) => b.block_id === Fields.from.block)?.element?.initial_option?.value).toBe('1:1');
    expect(JSON.parse(view.private_metadata)).toEqual({ bodyRevision: 1, channelId: CHANNEL });
  });
});

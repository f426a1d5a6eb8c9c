// Signatures end to end: `/mailroom signature set` then a thread reply — the SMTP server gets it
// after a "-- " line in the text part and in the HTML part, the teammate's then the inbox's
// (from YAML, then replaced by a member); the modal saves; the Reply modal shows it and leaves it
// off one email; compose gets it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, Views } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { blockActions, sendCommand, sendInteraction, slashCommand, viewSubmission } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';
import { latestView, mailroomAnswer, postedConversation } from '../actions/actions-rig.ts';

let rig: Rig;
let app: MailroomApp;
let url: string;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start({ MAILROOM_SIGNATURE: 'The {{inbox_name}} team' }));
  url = `http://127.0.0.1:${port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const mailroom = async (text: string, user = MEMBER) => String((await mailroomAnswer(rig, port, text, { user })).text);
async function replyAndReceive(parentTs: string, text: string) {
  const before = rig.smtp.messages.length;
  await rig.event(port, threadReply({ threadTs: parentTs, text }));
  await rig.smtp.waitForMessages(before + 1);
  return rig.smtp.messages[before]!.parsed;
}

describe('signatures', () => {
  it('a signature set with /mailroom signature is in the text and HTML of the next reply, before the inbox one', async () => {
    expect(await mailroom('signature set *{{teammate_name}}* · Customer care')).toBe('Your signature is now:\n>*{{teammate_name}}* · Customer care');
    expect(await mailroom('signature show')).toContain("Then the inbox's (*Acme Support*):\n>The {{inbox_name}} team");
    const c = await postedConversation(rig, app);
    const mail = await replyAndReceive(c.parentTs, 'Your parcel is on its way.');
    expect(mail.text).toBe('Your parcel is on its way.\n\n-- \n*Ana Lima* · Customer care\n\nThe Acme Support team\n');
    expect(mail.html).toMatch(/Your parcel is on its way\.[\s\S]*<div class="mailroom-signature"[^>]*>-- <br>[\s\S]*<strong>Ana Lima<\/strong> · Customer care[\s\S]*The Acme Support team/);
  });

  it('a member replaces the inbox signature; clear goes back to the configured one', async () => {
    expect(await mailroom('signature inbox set Acme Support · +34 900 000 000')).toContain('The signature of *Acme Support* is now');
    const c = await postedConversation(rig, app);
    expect((await replyAndReceive(c.parentTs, 'Hi!')).text).toBe('Hi!\n\n-- \n*Ana Lima* · Customer care\n\nAcme Support · +34 900 000 000\n');
    expect(await mailroom('signature inbox clear')).toBe('The signature of *Acme Support* is cleared. The one in the configuration file applies again.');
    expect(await mailroom('signature inbox set x', 'U0OUTSIDE1')).toContain('Only members of the *Acme Support* inbox');
  });

  it('the modal saves your signature; the Reply modal shows it and can leave it off once', async () => {
    await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/mailroom', text: 'signature', user: MEMBER, channel: CHANNEL }));
    const form = await waitFor(() => latestView(rig, Views.signature));
    expect(JSON.stringify(form.blocks)).toContain('"initial_value":"*{{teammate_name}}* · Customer care"');
    const input = (v: string) => ({ type: 'plain_text_input', value: v });
    const saved = await sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.signature, user: MEMBER, privateMetadata: form.private_metadata!, values: { [Fields.mySignature.block]: { [Fields.mySignature.action]: input('Ana & co <ana@example.com>') }, [Fields.inboxSignature.block]: { [Fields.inboxSignature.action]: input('') } } }));
    expect(saved.status).toBe(200);
    expect(app.store.signatures.get('user', MEMBER)).toBe('Ana &amp; co &lt;ana@example.com&gt;');

    const c = await postedConversation(rig, app);
    const values = (off: boolean) => ({
      [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: '1:0' } } },
      [Fields.body.block]: { [Fields.body.action]: input(off ? 'Without a signature.' : 'With a signature.') },
      [Fields.noSignature.block]: { [Fields.noSignature.action]: { type: 'checkboxes', selected_options: off ? [{ value: 'off' }] : [] } },
      [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [] } },
    });
    const meta = JSON.stringify({ conversationNumber: c.id, bodyRevision: 0 });
    const before = rig.smtp.messages.length;
    await sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.reply, user: MEMBER, values: values(true), privateMetadata: meta }));
    await rig.smtp.waitForMessages(before + 1);
    expect(rig.smtp.messages[before]!.parsed.text).toBe('Without a signature.\n');
    expect(rig.smtp.messages[before]!.parsed.html).not.toContain('mailroom-signature');
    await sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.reply, user: MEMBER, values: values(false), privateMetadata: meta }));
    await rig.smtp.waitForMessages(before + 2);
    expect(rig.smtp.messages[before + 1]!.parsed.text).toBe('With a signature.\n\n-- \nAna & co <ana@example.com>\n\nThe Acme Support team\n');
  });

  it('the Reply and Compose modals show the signature; a composed email carries it in text and HTML, or leaves it off once', async () => {
    await mailroom('signature set *{{teammate_name}}*, Acme');
    const c = await postedConversation(rig, app);
    const views = rig.slack.views().length;
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.reply, user: MEMBER, value: String(c.id), channel: CHANNEL, message: { ts: c.parentTs, type: 'message' } }));
    const reply = await waitFor(() => rig.slack.views().slice(views).find((v) => v.callback_id === Views.reply));
    expect(JSON.stringify(reply.blocks)).toContain('*Signature*\\n*{{teammate_name}}*, Acme\\n\\nThe {{inbox_name}} team');
    expect(JSON.stringify(reply.blocks)).toContain('Leave the signature off this email');

    await sendCommand(url, SIGNING_SECRET, slashCommand({ command: '/compose', user: MEMBER, channel: CHANNEL }));
    const compose = await waitFor(() => rig.slack.views().slice(views).find((v) => v.callback_id === Views.compose));
    expect(JSON.stringify(compose.blocks)).toContain('*Signature*\\n*{{teammate_name}}*, Acme');
    const input = (v: string | null) => ({ type: 'plain_text_input', value: v });
    const values = (subject: string, off: boolean) => ({
      [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: '1:0' } } },
      [Fields.to.block]: { [Fields.to.action]: input('dora@customer.example') },
      [Fields.toContacts.block]: { [Fields.toContacts.action]: { type: 'multi_external_select', selected_options: [] } },
      [Fields.cc.block]: { [Fields.cc.action]: input(null) },
      [Fields.bcc.block]: { [Fields.bcc.action]: input(null) },
      [Fields.subject.block]: { [Fields.subject.action]: input(subject) },
      [Fields.body.block]: { [Fields.body.action]: input('Your quote is attached below.') },
      [Fields.noSignature.block]: { [Fields.noSignature.action]: { type: 'checkboxes', selected_options: off ? [{ value: 'off' }] : [] } },
      [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [] } },
    });
    const meta = JSON.stringify({ bodyRevision: 0, channelId: CHANNEL });
    const before = rig.smtp.messages.length;
    await sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.compose, user: MEMBER, values: values('Your quote', false), privateMetadata: meta }));
    await rig.smtp.waitForMessages(before + 1);
    const signed = rig.smtp.messages[before]!.parsed;
    expect(signed.text).toBe('Your quote is attached below.\n\n-- \n*Ana Lima*, Acme\n\nThe Acme Support team\n');
    expect(signed.html).toMatch(/<div class="mailroom-signature"[^>]*>-- <br>[\s\S]*<strong>Ana Lima<\/strong>, Acme[\s\S]*The Acme Support team/);
    await sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.compose, user: MEMBER, values: values('Your other quote', true), privateMetadata: meta }));
    await rig.smtp.waitForMessages(before + 2);
    expect(rig.smtp.messages[before + 1]!.parsed.text).toBe('Your quote is attached below.\n');
    expect(rig.smtp.messages[before + 1]!.parsed.html).not.toContain('mailroom-signature');
  });

  it('/mailroom signature clear: replies carry only the inbox one', async () => {
    expect(await mailroom('signature clear')).toBe('Your signature is cleared.');
    const c = await postedConversation(rig, app);
    expect((await replyAndReceive(c.parentTs, 'Done.')).text).toBe('Done.\n\n-- \nThe Acme Support team\n');
  });
});

// Tags through the real receiver: `/mailroom tag|untag`, the ⋯ menu's picker (its options served
// by the app, the whole set saved), the "Tag conversation" shortcut, the parent showing them, the
// thread saying who did it, stats per tag, and an inbox with a fixed list refusing other words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, OverflowChoices, Shortcuts, Views, overflowValue } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, fieldErrors, interact, latestView, mailroomAnswer, optionsRequest, parentAction, parentOf, postedConversation, shortcutOn, submit } from './actions-rig.ts';

const OUTSIDER = 'U0OUTSIDE1';
let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  ({ app, port } = await rig.start());
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const mailroom = async (text: string, user = MEMBER) => String((await mailroomAnswer(rig, port, text, { user })).text);

const parentText = (ts: string) => blocksText(parentOf(rig, CHANNEL, ts));

describe('tags by command', () => {
  it('/mailroom tag #N adds normalised tags, shown on the parent; untag takes one off; the thread says who', async () => {
    const c = await postedConversation(rig, app);
    expect(await mailroom(`tag #${c.id} Billing urgent`)).toBe(`#${c.id} is tagged \`billing\`, \`urgent\`.`);
    await waitFor(() => parentText(c.parentTs).includes(':label: `billing` `urgent`'));
    expect(app.store.tags.of(c.id)).toEqual(['billing', 'urgent']);
    expect(await mailroom(`untag ${c.id} urgent`)).toBe(`#${c.id} is tagged \`billing\`.`);
    await waitFor(() => parentText(c.parentTs).includes(':label: `billing`') && !parentText(c.parentTs).includes('`urgent`'));
    const notes = await waitFor(() => {
      const ns = rig.slack.threadOf(CHANNEL, c.parentTs).filter((m) => m.ts !== c.parentTs && blocksText(m).includes(':label:'));
      return ns.length === 2 ? ns : undefined;
    });
    expect(blocksText(notes[0])).toContain(`Tagged \`billing\`, \`urgent\` by <@${MEMBER}>`);
    expect(blocksText(notes[1])).toContain(`Untagged \`urgent\` by <@${MEMBER}>`);
    expect(await mailroom(`tag #${c.id} billing`)).toBe(`Nothing changed: #${c.id} is tagged \`billing\`.`);
    const logged = app.store.events.between(0, Date.now() + 1).filter((e) => e.type === 'conversation.tagged' && e.conversationId === c.id);
    expect(logged.map((e) => [e.data.added, e.data.removed, e.actorUserId])).toEqual([[['billing', 'urgent'], [], MEMBER], [[], ['urgent'], MEMBER]]);
  });

  it('says what it needs, and refuses non-members and words that are no tag', async () => {
    const c = await postedConversation(rig, app);
    expect(await mailroom('tag billing')).toContain('`/mailroom tag #42 billing urgent`');
    expect(await mailroom(`tag #${c.id} !!!`)).toContain("can't be a tag");
    expect(await mailroom(`tag #${c.id} vip`, OUTSIDER)).toContain('Only members of the *Acme Support* inbox can tag');
    expect(await mailroom('tag #99999 vip')).toBe("Conversation #99999 doesn't exist.");
    expect(app.store.tags.of(c.id)).toEqual([]);
  });
});

describe('tags from the ⋯ menu and the shortcut', () => {
  it('opens the picker with the current tags, offers known and new words, saves the whole set', async () => {
    const c = await postedConversation(rig, app);
    await mailroom(`tag #${c.id} billing`);
    await interact(port, parentAction({ actionId: Actions.overflow, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.tags, c.id) } } }));
    const view = await waitFor(() => latestView(rig, Views.tags));
    expect(JSON.stringify(view.blocks)).toContain('"initial_options":[{"text":{"type":"plain_text","text":"billing"');
    const options = async (user: string, value: string) =>
      (JSON.parse((await interact(port, optionsRequest({ user, value, actionId: Fields.tags.action, blockId: Fields.tags.block, callbackId: Views.tags, privateMetadata: view.private_metadata! }))).body) as { options: { value: string; text: { text: string } }[] }).options;
    expect((await options(MEMBER, 'Bil')).map((o) => [o.value, o.text.text])).toEqual([['bil', 'bil (new tag)'], ['billing', 'billing']]);
    expect(await options(OUTSIDER, 'bil')).toEqual([]);
    // The person took billing off and created vip.
    const res = await submit(port, { callbackId: Views.tags, user: MEMBER, privateMetadata: view.private_metadata!, values: { [Fields.tags.block]: { [Fields.tags.action]: { type: 'multi_external_select', selected_options: [{ value: 'vip', text: { type: 'plain_text', text: 'vip (new tag)' } }] } } } });
    expect(res.status).toBe(200);
    expect(app.store.tags.of(c.id)).toEqual(['vip']);
    await waitFor(() => parentText(c.parentTs).includes(':label: `vip`') && !parentText(c.parentTs).includes('`billing`'));
    // A non-member's submission is refused in the modal.
    const errors = fieldErrors(await submit(port, { callbackId: Views.tags, user: OUTSIDER, privateMetadata: view.private_metadata!, values: { [Fields.tags.block]: { [Fields.tags.action]: { type: 'multi_external_select', selected_options: [] } } } }));
    expect(errors[Fields.tags.block]).toContain('Only members');
    expect(app.store.tags.of(c.id)).toEqual(['vip']);
  });

  it('the message shortcut on an email in the thread opens the same picker', async () => {
    const c = await postedConversation(rig, app);
    const before = rig.slack.views().filter((v) => v.callback_id === Views.tags).length;
    await interact(port, shortcutOn({ callbackId: Shortcuts.tags, user: MEMBER, ts: c.emailTs, threadTs: c.parentTs }));
    const view = await waitFor(() => (rig.slack.views().filter((v) => v.callback_id === Views.tags).length > before ? latestView(rig, Views.tags) : undefined));
    expect(JSON.parse(view.private_metadata!)).toEqual({ conversationNumber: c.id });
  });

  it('/mailroom stats counts conversations per tag, and how many of them are open', async () => {
    const a = await postedConversation(rig, app);
    const b = await postedConversation(rig, app);
    await mailroom(`tag #${a.id} counted`);
    await mailroom(`tag #${b.id} counted`);
    app.store.conversations.setStatus(b.id, 'closed', 'resolved');
    const answer = await mailroomAnswer(rig, port, 'stats');
    expect(String(answer.text)).toContain('Mailroom stats');
    expect(JSON.stringify(answer.blocks)).toMatch(/\*By tag\*\\n(`[a-z-]+` \d+ conversations? \(\d+ open\)\\n)*`counted` 2 conversations \(1 open\)/);
  });
});

describe('an inbox with a fixed list of tags', () => {
  it('refuses a word outside the list by name, and takes the listed ones', async () => {
    await app.stop();
    ({ app, port } = await rig.start({ MAILROOM_TAGS: 'billing,refund' }));
    const c = await postedConversation(rig, app);
    expect(await mailroom(`tag #${c.id} vip`)).toBe('`vip` is not a tag of the *Acme Support* inbox. Its tags are: `billing`, `refund`.');
    expect(await mailroom(`tag #${c.id} Refund`)).toBe(`#${c.id} is tagged \`refund\`.`);
  });

  it('regression: the picker refused to save when the conversation kept a tag from before the list', async () => {
    const c = await postedConversation(rig, app);
    app.store.tags.add(c.id, ['legacy'], MEMBER);
    const pick = (...tags: string[]) => ({ [Fields.tags.block]: { [Fields.tags.action]: { type: 'multi_external_select', selected_options: tags.map((t) => ({ value: t, text: { type: 'plain_text', text: t } })) } } });
    const meta = JSON.stringify({ conversationNumber: c.id });
    expect((await submit(port, { callbackId: Views.tags, user: MEMBER, privateMetadata: meta, values: pick('legacy', 'billing') })).body).toBe('');
    expect(app.store.tags.of(c.id)).toEqual(['legacy', 'billing']);
    expect(fieldErrors(await submit(port, { callbackId: Views.tags, user: MEMBER, privateMetadata: meta, values: pick('legacy', 'vip') }))[Fields.tags.block]).toContain('`vip` is not a tag');
    expect((await submit(port, { callbackId: Views.tags, user: MEMBER, privateMetadata: meta, values: pick('billing') })).body).toBe('');
    expect(app.store.tags.of(c.id)).toEqual(['billing']);
  });
});

// Automatic assignment: round-robin among the inbox's members (the channel's people, never its
// bots), each new conversation assigned as it is stored, with the note and the DM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, MEMBER, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, dmsTo, parentOf } from './actions-rig.ts';

const BOB = 'U0BOB00001';
const CAROL = 'U0CAROL001';
const HELPER_BOT = 'U0HELPBOT1';
let rig: Rig;
let app: MailroomApp;

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: BOB, name: 'bob', real_name: 'Bob Baker' });
  rig.slack.addUser({ id: CAROL, name: 'carol', real_name: 'Carol Chen' });
  rig.slack.addUser({ id: HELPER_BOT, name: 'helper', is_bot: true });
  // The channel also holds Mailroom's own bot (added by the fake) and another app's bot.
  rig.slack.state.channels.get(CHANNEL)!.members.push(BOB, CAROL, HELPER_BOT);
  ({ app } = await rig.start({ MAILROOM_ASSIGN: 'round-robin' }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

describe('round-robin assignment', () => {
  it('gives new conversations to the three people in turn (then starts over), with a note and a DM each', async () => {
    for (let i = 1; i <= 4; i++) await rig.deliver(email({ subject: `Auto ${i}`, from: `Customer ${i} <c${i}@customer.example>` }));
    const convs = await waitFor(() => {
      const all = [1, 2, 3, 4].map((i) => app.store.conversations.searchActive(`Auto ${i}`)[0]);
      return all.every((c) => c?.slackTs) ? all.map((c) => c!) : undefined;
    }, { timeoutMs: 15_000 });
    expect(convs.map((c) => c.assigneeUserId)).toEqual([BOB, CAROL, MEMBER, BOB]);
    for (const c of convs) {
      await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.slackTs!)).includes(`Assigned to <@${c.assigneeUserId}>`));
      const note = await waitFor(() => rig.slack.threadOf(CHANNEL, c.slackTs!).find((m) => blocksText(m).includes('(automatic assignment)')));
      expect(blocksText(note)).toContain(`Assigned to <@${c.assigneeUserId}>`);
    }
    await waitFor(() => dmsTo(rig, BOB).length === 2 && dmsTo(rig, CAROL).length === 1 && dmsTo(rig, MEMBER).length === 1);
    const [first] = dmsTo(rig, BOB);
    expect(blocksText(first)).toContain('Automatic assignment gave you conversation');
    expect(blocksText(first)).toContain(`/archives/${CHANNEL}/p${convs[0]!.slackTs!.replace('.', '')}|Open the conversation>`);
    expect(dmsTo(rig, HELPER_BOT)).toEqual([]);
    expect(app.store.inboxes.lastAssigned(1)).toBe(BOB);
    const logged = app.store.events.between(0, Date.now() + 1).filter((e) => e.type === 'conversation.assigned');
    expect(logged.map((e) => [e.conversationId, e.data.assigneeUserId, e.data.automatic, e.actorUserId])).toEqual(convs.map((c) => [c.id, c.assigneeUserId, true, null]));
  });
});

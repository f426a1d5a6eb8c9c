// "… is replying" on the parent while a teammate's reply waits in its undo window; gone when it
// is sent or cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, MEMBER, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { messageEvent } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, parentOf, postedConversation } from './actions-rig.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start({ MAILROOM_SEND_DELAY_SECONDS: '3' }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const replying = `<@${MEMBER}> is replying`;
const parentText = (ts: string) => blocksText(parentOf(rig, CHANNEL, ts));

describe('collision', () => {
  it('shows the teammate replying during the undo window, then clears it when the email has gone', async () => {
    const c = await postedConversation(rig, app);
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'On it!', thread_ts: c.parentTs });
    const queuedAt = Date.now();
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'On it!', ts: msg.ts }));
    await waitFor(() => parentText(c.parentTs).includes(replying), { timeoutMs: 3000 });
    await rig.smtp.waitForMessages(1, 10_000);
    await waitFor(() => !parentText(c.parentTs).includes(replying), { timeoutMs: 6000 });
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(3000);
  });

  it('clears it when the reply is deleted in the window', async () => {
    const c = await postedConversation(rig, app);
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'wrong thread', thread_ts: c.parentTs });
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'wrong thread', ts: msg.ts }));
    await waitFor(() => parentText(c.parentTs).includes(replying), { timeoutMs: 3000 });
    const deletedAt = Date.now();
    await rig.event(port, {
      ...messageEvent({ channel: CHANNEL, user: MEMBER, text: '' }),
      subtype: 'message_deleted',
      deleted_ts: msg.ts,
      previous_message: { type: 'message', user: MEMBER, text: 'wrong thread', ts: msg.ts, thread_ts: c.parentTs },
    });
    await waitFor(() => !parentText(c.parentTs).includes(replying), { timeoutMs: 3000 });
    // Cleared by the cancellation itself, well before the window would have ended.
    expect(Date.now() - deletedAt).toBeLessThan(1500);
  });
});

// Replies typed while Mailroom was stopped: Slack does not deliver their events again, so a start
// reads the threads back from when the app was last alive. A member's reply goes out once; a note,
// a non-member's message and a reply already sent stay as they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { sleep, waitFor } from '../../support/wait.ts';

const OUTSIDER = 'U0OUTSIDE2';
let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'oscar', real_name: 'Oscar Outside' });
});
afterAll(async () => {
  await rig?.close();
});

const sentTexts = () => rig.smtp.messages.map((m) => m.parsed.text ?? '');

describe('bug: a reply typed while Mailroom was stopped was never sent', () => {
  it('is sent once at the next start; notes, non-members and replies already sent are not', async () => {
    rig.smtp.clear();
    const { app, port } = await rig.start();
    await rig.deliver(email({ subject: 'Stopped while I typed', body: 'catch-up-marker' }));
    const parent = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => /Stopped while I typed/.test(m.text)), { timeoutMs: 15_000 });

    // Handled live, before the stop: sent once.
    const live = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'answered-live', thread_ts: parent.ts });
    expect((await rig.event(port, threadReply({ threadTs: parent.ts, text: 'answered-live', ts: live.ts }))).status).toBe(200);
    await rig.smtp.waitForMessages(1, 10_000);
    await app.stop();

    // Typed while stopped: no event reaches anyone.
    rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'typed-while-stopped', thread_ts: parent.ts });
    rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'note: internal-only', thread_ts: parent.ts });
    rig.slack.postAsUser(CHANNEL, { user: OUTSIDER, text: 'outsider-words', thread_ts: parent.ts });

    const second = await rig.start();
    const sent = await waitFor(() => rig.smtp.messages.find((m) => (m.parsed.text ?? '').includes('typed-while-stopped')), { timeoutMs: 15_000 });
    expect(sent.to).toContain('carla@customer.example');
    await sleep(1000);
    expect(sentTexts().filter((t) => t.includes('typed-while-stopped'))).toHaveLength(1);
    expect(sentTexts().filter((t) => t.includes('answered-live'))).toHaveLength(1);
    expect(sentTexts().some((t) => /internal-only|outsider-words/.test(t))).toBe(false);
    // Nobody is told off for a message typed while the app was away.
    expect(rig.slack.ephemerals().some((e) => e.user === OUTSIDER)).toBe(false);
    await second.app.stop();

    // A third start reads the same window again: nothing goes twice.
    const third = await rig.start();
    await sleep(1500);
    expect(rig.smtp.messages).toHaveLength(2);
    await third.app.stop();
  });
});

describe('bug: a reply deleted in Slack while Mailroom was stopped was sent all the same', () => {
  it('is not sent; one edited meanwhile goes out as edited', async () => {
    rig.smtp.clear();
    const undo = { MAILROOM_SEND_DELAY_SECONDS: '4' };
    const { app, port } = await rig.start(undo);
    await rig.deliver(email({ subject: 'Changed my mind', body: 'recheck-marker' }));
    const parent = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => /Changed my mind/.test(m.text)), { timeoutMs: 15_000 });
    const doomed = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'deleted-while-stopped', thread_ts: parent.ts });
    await rig.event(port, threadReply({ threadTs: parent.ts, text: 'deleted-while-stopped', ts: doomed.ts }));
    const edited = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'first-wording', thread_ts: parent.ts });
    await rig.event(port, threadReply({ threadTs: parent.ts, text: 'first-wording', ts: edited.ts }));
    await waitFor(() => app.store.pendingReplies.messages().length === 2 || undefined, { timeoutMs: 5000 });
    await app.stop();

    // While stopped: one deleted, one edited (their events go nowhere).
    const messages = rig.slack.state.messages.get(CHANNEL)!;
    messages.splice(messages.findIndex((m) => m.ts === doomed.ts), 1);
    messages.find((m) => m.ts === edited.ts)!.text = 'second-wording';

    // Back: both fall due within seconds, and only the edited one may go.
    const second = await rig.start({ MAILROOM_SEND_DELAY_SECONDS: '0' });
    await waitFor(() => rig.smtp.messages.find((m) => (m.parsed.text ?? '').includes('second-wording')), { timeoutMs: 15_000 });
    await sleep(1000);
    expect(sentTexts().some((t) => /deleted-while-stopped|first-wording/.test(t))).toBe(false);
    expect(rig.smtp.messages).toHaveLength(1);
    await second.app.stop();
  });
});


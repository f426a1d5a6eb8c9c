// Response targets of a few seconds against the real app: the parent shows the due time, a
// warning note names the assignee before it, the overdue mark, a note and a DM to the assignee
// after it; a conversation answered in time gets none of that. Stopping across a deadline loses
// and doubles nothing. Notes, reactions and a non-member's message don't stop the clock;
// auto-replies and bounces don't start one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, INBOX_ADDRESS, MEMBER, SIGNING_SECRET, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { sendCommand, slashCommand } from '../../support/slack-requests.ts';
import { deliveryReport } from '../../support/dsn.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { blocksText, dmsTo, parentOf, postedConversation } from '../actions/actions-rig.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;
const SLA = { MAILROOM_MEMBERS: MEMBER, MAILROOM_ASSIGN: 'round-robin', MAILROOM_SLA_FIRST_RESPONSE: '4s', MAILROOM_SLA_NEXT_RESPONSE: '4s', MAILROOM_SLA_WARN_BEFORE: '2s' };

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start(SLA));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const notes = (parentTs: string) => rig.slack.threadOf(CHANNEL, parentTs).filter((m) => m.metadata?.event_type === 'mailroom_note');
const noteText = (parentTs: string) => notes(parentTs).map((m) => blocksText(m)).join('\n');

describe('response targets', () => {
  it('shows the due time, warns before it naming the assignee, then marks it overdue with a note and a DM', async () => {
    const c = await postedConversation(rig, app, { subject: 'Late answer' });
    const parent = () => blocksText(parentOf(rig, CHANNEL, c.parentTs));
    await waitFor(() => parent().includes('reply due <!date^'), { description: 'the parent shows the due time in Slack date formatting' });
    const clock = app.store.slaClocks.current(c.id)!;
    expect(clock).toMatchObject({ kind: 'first', targetMs: 4_000 });
    expect(parent()).toContain(`<!date^${Math.floor(clock.dueAt! / 1000)}^`);

    await waitFor(() => noteText(c.parentTs).includes(':hourglass: Reply due'), { timeoutMs: 6_000, description: 'the warning note' });
    expect(noteText(c.parentTs)).toContain(`<@${MEMBER}>, this is yours.`);
    expect(Date.now()).toBeLessThan(clock.dueAt! + 500);

    await waitFor(() => noteText(c.parentTs).includes(':rotating_light: Reply overdue'), { timeoutMs: 6_000, description: 'the overdue note' });
    await waitFor(() => parent().includes('reply overdue by'), { description: 'the parent shows it overdue' });
    await waitFor(() => dmsTo(rig, MEMBER).some((m) => blocksText(m).includes(`*#${c.id}*`) && blocksText(m).includes('is overdue')), { description: 'the assignee gets a DM' });
    expect(app.store.slaClocks.current(c.id)?.breachedAt).toBe(clock.dueAt);

    // Over a minute overdue the parent is drawn again (not every second): the first step is 1m.
    const updates = () => rig.slack.calls('chat.update').filter((u) => u.args.ts === c.parentTs).length;
    const before = updates();
    await sleep(1_500);
    expect(updates()).toBe(before);
    expect(notes(c.parentTs).filter((m) => blocksText(m).includes('Reply overdue'))).toHaveLength(1);
    expect(notes(c.parentTs).filter((m) => blocksText(m).includes('Reply due'))).toHaveLength(1);

    // The late reply ends the clock as breached, by the time over the target.
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'Sorry for the wait!' }));
    await rig.smtp.waitForMessages(1, 10_000);
    await waitFor(() => app.store.slaClocks.current(c.id) === undefined);
    const [ended] = app.store.slaClocks.endedBetween(0, Date.now() + 1);
    expect(ended).toMatchObject({ conversationId: c.id, outcome: 'breached', answeredBy: MEMBER });
    expect(ended!.overMs).toBeGreaterThan(1_000);
    await waitFor(() => !parent().includes('reply overdue') && !parent().includes('reply due'), { description: 'the parent drops the clock' });
  });

  it('says nothing for a conversation answered in time, and starts a next-response clock when the customer writes again', async () => {
    rig.smtp.clear();
    const c = await postedConversation(rig, app, { subject: 'Quick answer' });
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'On it.' }));
    await rig.smtp.waitForMessages(1, 10_000);
    await waitFor(() => app.store.slaClocks.endedBetween(0, Date.now() + 1).some((k) => k.conversationId === c.id));
    await sleep(4_500);
    expect(noteText(c.parentTs)).not.toContain('Reply due');
    expect(noteText(c.parentTs)).not.toContain('Reply overdue');
    const met = app.store.slaClocks.endedBetween(0, Date.now() + 1).find((k) => k.conversationId === c.id);
    expect(met).toMatchObject({ outcome: 'met', overMs: 0 });
    expect(app.store.timers.waitingFor(c.id)).toEqual([]);

    // The customer answers our reply: a next-response clock.
    const sent = rig.smtp.messages[0]!.parsed;
    await rig.deliver(
      ['From: Carla Cliente <carla@customer.example>', `To: support@example.com`, `Subject: Re: ${sent.subject}`, `Message-ID: <next-${Date.now()}@customer.example>`, `In-Reply-To: ${sent.messageId}`, 'Content-Type: text/plain', '', 'One more thing.', ''].join('\r\n'),
    );
    await waitFor(() => app.store.slaClocks.current(c.id)?.kind === 'next', { timeoutMs: 10_000 });
  });

  it('fires a deadline that passed while Mailroom was stopped once, at start', async () => {
    const c = await postedConversation(rig, app, { subject: 'Across a restart' });
    await waitFor(() => app.store.slaClocks.current(c.id));
    await app.stop();
    await sleep(4_500);
    ({ app, port } = await rig.start(SLA));
    await waitFor(() => noteText(c.parentTs).includes('Reply overdue'), { timeoutMs: 8_000 });
    await sleep(1_000);
    // The warning is superseded by the breach that came due with it: one note, not two.
    expect(notes(c.parentTs).filter((m) => blocksText(m).includes('Reply overdue'))).toHaveLength(1);
    expect(noteText(c.parentTs)).not.toContain('Reply due');
  });

  it('reports attainment in /mailroom stats and the App Home: the share within target, time over it, by teammate, and what is overdue now', async () => {
    const name = 'sla-stats';
    await sendCommand(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, slashCommand({ command: '/mailroom', text: 'stats 1d', user: MEMBER, channel: CHANNEL, responseUrl: rig.slack.responseUrl(name) }));
    const said = await waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === name)?.args);
    const text = JSON.stringify(said.blocks);
    // One answered late (first test), one in time (second); the third is overdue, unanswered.
    expect(text).toContain('*Within response target*\\n50% (1 of 2)');
    expect(text).toContain(`<@${MEMBER}>: 50% (1 of 2)`);
    // Still overdue and unanswered: the one across the restart, and the second one's next-response clock.
    const overdue = /\*Overdue now\*([^"]*)/.exec(text)?.[1] ?? '';
    expect(overdue).toMatch(/#\d+ Across a restart · overdue by \d+s · <@U0MEMBER01>/);
    expect(overdue).toMatch(/#\d+ Quick answer · overdue by \d+s · <@U0MEMBER01>/);
    expect(overdue).not.toContain('Late answer');
    await rig.event(port, { type: 'app_home_opened', user: MEMBER, channel: 'D0HOME', tab: 'home' });
    await waitFor(() => rig.slack.views().some((v) => v.kind === 'home' && JSON.stringify(v.blocks).includes('Within response target')), { description: 'the App Home shows it' });
  });

  it('runs on through notes, a reaction and a non-member\'s message, ends at the email reply, and no auto-reply or bounce starts it again', async () => {
    rig.smtp.clear();
    const c = await postedConversation(rig, app, { subject: 'Noise around it' });
    const clock = await waitFor(() => app.store.slaClocks.current(c.id));
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'note: checking the warehouse' }));
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: ';; still checking' }));
    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'I think it shipped', user: 'U0OUTSIDE1' }));
    await rig.event(port, { type: 'reaction_added', user: MEMBER, reaction: 'eyes', item: { type: 'message', channel: CHANNEL, ts: c.parentTs }, item_user: 'U0BOT', event_ts: `${Date.now() / 1000}` });
    await sleep(300);
    expect(app.store.slaClocks.current(c.id)).toMatchObject({ id: clock.id, endedAt: null });
    expect(rig.smtp.messages).toHaveLength(0);

    await rig.event(port, threadReply({ threadTs: c.parentTs, text: 'Found it, it is on its way.' }));
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    await waitFor(() => app.store.slaClocks.current(c.id) === undefined, { description: 'the email reply ends the clock' });
    expect(app.store.slaClocks.endedBetween(0, Date.now() + 1).find((k) => k.id === clock.id)).toMatchObject({ answeredBy: MEMBER });

    const ours = sent!.parsed.messageId!;
    await rig.deliver(email({ subject: `Automatic reply: ${sent!.parsed.subject}`, inReplyTo: ours, headers: { 'Auto-Submitted': 'auto-replied' }, body: 'I am out of the office until Monday.' }));
    await rig.deliver(deliveryReport({ to: INBOX_ADDRESS, recipient: 'carla@customer.example', originalId: ours, status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' }));
    const kinds = () => app.store.messages.ofConversation(c.id).map((m) => m.kind);
    await waitFor(() => kinds().includes('auto-reply') && kinds().includes('bounce'), { timeoutMs: 10_000, description: 'both reach the conversation' });
    await sleep(300);
    expect(app.store.slaClocks.current(c.id)).toBeUndefined();
    expect(app.store.timers.waitingFor(c.id, ['sla-warn', 'sla-breach'])).toEqual([]);
  });
});

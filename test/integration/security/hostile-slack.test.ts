// Requests that are not Slack's are refused and change nothing; Slack text can't inject email
// headers; file names can't point anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { sendEvent, sendSigned } from '../../support/slack-requests.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;
let url: string;
let parentTs: string;
const EVIL = 'U0EVILNAME';

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: EVIL, name: 'evil', real_name: 'Eve\r\nBcc: spy@attacker.example\r\nX-Evil: 1' });
  rig.slack.state.channels.get(CHANNEL)!.members.push(EVIL);
  app = rig.build();
  port = (await app.start()).port!;
  url = `http://127.0.0.1:${port}/slack/events`;
  await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
  await rig.deliver(email({ subject: 'Hostile tests', body: 'hostile-marker' }));
  parentTs = (await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => JSON.stringify(m.blocks).includes('Hostile tests')), { timeoutMs: 10_000 })).ts;
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

function replyEvent(text: string) {
  const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text, thread_ts: parentTs });
  return threadReply({ threadTs: parentTs, text, ts: msg.ts });
}

describe('requests that are not from Slack', () => {
  it('refuses a bad signature and a stale timestamp, and does nothing', async () => {
    rig.smtp.clear();
    const bad = await sendEvent(url, 'not-the-secret-at-all', replyEvent('forged 1'));
    const stale = await sendEvent(url, SIGNING_SECRET, replyEvent('forged 2'), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(bad.status).toBe(401);
    expect(stale.status).toBe(401);
    await sleep(800);
    expect(rig.smtp.messages).toHaveLength(0);
    expect(app.store.outbox.due(Date.now() + 3_600_000)).toHaveLength(0);
  });

  it('ignores a replayed request', async () => {
    rig.smtp.clear();
    const event = replyEvent('sent once even if replayed');
    const body = JSON.stringify({ token: 'x', team_id: 'T0FAKE0001', api_app_id: 'A0APP00001', event, type: 'event_callback', event_id: 'EvREPLAY01', event_time: 1 });
    const first = await sendSigned(url, SIGNING_SECRET, body, 'application/json');
    const again = await sendSigned(url, SIGNING_SECRET, body, 'application/json');
    expect([first.status, again.status]).toEqual([200, 200]);
    await rig.smtp.waitForMessages(1, 10_000);
    await sleep(500);
    expect(rig.smtp.messages).toHaveLength(1);
  });
});

describe('oversized requests', () => {
  it('refuses a body over the limit, and keeps serving', async () => {
    const huge = await sendSigned(url, SIGNING_SECRET, JSON.stringify({ type: 'event_callback', padding: 'x'.repeat(2 * 1024 * 1024) }), 'application/json', {
      // The server stops reading at the limit; this connection is not reused afterwards.
      headers: { connection: 'close' },
    });
    expect(huge.status).toBe(413);
    const health = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } })).status);
    expect(health).toBe(200);
  });
});

describe('Slack text and email headers', () => {
  it('CR/LF in a display name or header-looking lines in the text inject nothing', async () => {
    rig.smtp.clear();
    const text = 'Hello\r\nBcc: spy2@attacker.example\r\nSubject: owned\r\n\r\nbody';
    const msg = rig.slack.postAsUser(CHANNEL, { user: EVIL, text, thread_ts: parentTs });
    await rig.event(port, threadReply({ threadTs: parentTs, text, ts: msg.ts, user: EVIL }));
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(sent!.to).toEqual(['carla@customer.example']);
    const head = sent!.raw.toString('utf8').split(/\r\n\r\n/)[0]!;
    expect(head).not.toMatch(/^(bcc|x-evil|subject: owned)/im);
    expect(sent!.parsed.subject).toBe('Re: Hostile tests');
    expect(sent!.parsed.from?.value[0]?.name).not.toMatch(/[\r\n]/);
  });

  it('a file named ../../etc/passwd is attached as "passwd" and written nowhere', async () => {
    rig.smtp.clear();
    const file = rig.slack.addFile({ name: '../../etc/passwd', mimetype: 'text/plain', content: 'root:x:0:0', user: MEMBER });
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'see file', thread_ts: parentTs, files: [file] });
    await rig.event(port, threadReply({ threadTs: parentTs, text: 'see file', ts: msg.ts, files: [file] }));
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(sent!.parsed.attachments.map((a) => a.filename)).toEqual(['passwd']);
    expect(sent!.raw.toString('utf8')).not.toContain('../');
  });
});

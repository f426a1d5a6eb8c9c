// The Sent folder on a server that keeps everything under "INBOX." and has none yet: doctor names
// the folder Mailroom will create, a reply typed in Slack creates exactly that one, flagged \Sent
// where the server takes CREATE-SPECIAL-USE (RFC 6154), and files its copy there.
import { afterEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { silentLogger } from '../../../src/logger.ts';
import { appendToSent } from '../../../src/mail/outbound/sent-folder.ts';
import { CHANNEL, IMAP_PASSWORD, INBOX_ADDRESS, MEMBER, SIGNING_SECRET, threadReply } from '../../helpers/mailroom.ts';
import { sendEvent } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';
import { taggedEmail, waitAllPosted } from '../inbound-faults/tally.ts';
import { startServerRig, type ServerRig } from './rig.ts';

let rig: ServerRig | undefined;
let app: MailroomApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await rig?.close();
  rig = undefined;
});

const COURIER_LIKE = { namespace: { prefix: 'INBOX.', delimiter: '.' }, mailboxes: [{ name: 'INBOX.Trash', specialUse: '\\Trash' }] };

describe('the Sent folder Mailroom creates', () => {
  it('bug: was created without \\Sent, and doctor named another folder; now doctor names "INBOX.Sent" and the reply creates it flagged \\Sent', async () => {
    rig = await startServerRig(COURIER_LIKE);
    const before = await rig.doctor();
    expect(before.sent).toMatchObject({ ok: true, warning: true, detail: 'no Sent folder yet: Mailroom will create "INBOX.Sent", marked \\Sent, for the first reply (or set MAILROOM_SENT_FOLDER to false)' });

    let port: number;
    ({ app, port } = await rig.start());
    rig.deliver(taggedEmail('s0'));
    await waitAllPosted(rig.slack, ['s0'], 10_000);
    const parent = rig.slack.messagesIn(CHANNEL).find((m) => m.metadata?.event_type === 'mailroom_conversation')!;
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'On its way', thread_ts: parent.ts });
    const res = await sendEvent(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, threadReply({ threadTs: parent.ts, text: 'On its way', ts: msg.ts }));
    expect(res.status).toBe(200);
    await waitFor(() => rig!.smtp.messages.length === 1, { timeoutMs: 10_000, description: 'the reply over SMTP' });
    const sent = await waitFor(() => rig!.imap.mailbox('INBOX.Sent')?.messages.length === 1 && rig!.imap.mailbox('INBOX.Sent'), { timeoutMs: 10_000, description: 'the copy in INBOX.Sent' });
    expect(sent.specialUse).toBe('\\Sent');
    expect(sent.messages[0]!.raw.equals(rig.smtp.messages[0]!.raw)).toBe(true);
    expect([...sent.messages[0]!.flags]).toEqual(['\\Seen']);
    expect(rig.imap.mailboxNames()).toEqual(['INBOX', 'INBOX.Trash', 'INBOX.Sent']);
    expect(rig.imap.commands('CREATE').map((c) => c.args)).toEqual(['INBOX.Sent (USE (\\Sent))']);

    const after = await rig.doctor();
    expect(after.sent).toMatchObject({ ok: true, warning: false, detail: 'copies of replies will go to "INBOX.Sent" (\\Sent)' });
  });

  const imap = (r: ServerRig) => ({ host: r.imap.host, port: r.imap.port, secure: false, user: INBOX_ADDRESS, password: IMAP_PASSWORD });

  it('on a server without CREATE-SPECIAL-USE: created plainly, and doctor says clients may not treat it as Sent', async () => {
    rig = await startServerRig({ ...COURIER_LIKE, createSpecialUse: false });
    expect((await rig.doctor()).sent?.detail).toMatch(/^no Sent folder yet: Mailroom will create "INBOX\.Sent" for the first reply, but this server can't mark it \\Sent \(no CREATE-SPECIAL-USE\)/);
    expect(await appendToSent({ imap: imap(rig), raw: Buffer.from('Subject: one\r\n\r\nx\r\n'), logger: silentLogger() })).toMatchObject({ ok: true, mailbox: 'INBOX.Sent', created: true });
    expect(rig.imap.mailbox('INBOX.Sent')).toMatchObject({ specialUse: null });
    expect(rig.imap.commands('CREATE').map((c) => c.args)).toEqual(['INBOX.Sent']);
    // Found by name from then on, not created again.
    expect(await appendToSent({ imap: imap(rig), raw: Buffer.from('Subject: two\r\n\r\ny\r\n'), logger: silentLogger() })).toMatchObject({ ok: true, mailbox: 'INBOX.Sent', created: false });
    expect((await rig.doctor()).sent?.detail).toBe('copies of replies will go to "INBOX.Sent" (found by name)');
  });

  it('on a server that refuses the use (NO [USEATTR]): created without it, and the copy still goes in', async () => {
    rig = await startServerRig({ ...COURIER_LIKE, refuseSpecialUse: true });
    expect(await appendToSent({ imap: imap(rig), raw: Buffer.from('Subject: one\r\n\r\nx\r\n'), logger: silentLogger() })).toMatchObject({ ok: true, mailbox: 'INBOX.Sent', created: true });
    expect(rig.imap.commands('CREATE').map((c) => c.args)).toEqual(['INBOX.Sent (USE (\\Sent))', 'INBOX.Sent']);
    expect(rig.imap.mailbox('INBOX.Sent')?.messages).toHaveLength(1);
  });
});

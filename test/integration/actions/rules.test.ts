// Routing rules from the YAML file acting on real email (Dovecot → the app → the fake Slack): a
// rule tags and assigns a matching email and the thread says which rule did it; a regex rule
// starts a conversation in another inbox; a bulk rule closes; `continue` lets a second rule add
// to the first; and `mailroom rules test` says the same of .eml files without running anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, IMAP_PASSWORD, INBOX_ADDRESS, MEMBER, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { runMailroom } from '../../helpers/run-cli.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, dmsTo, parentOf } from './actions-rig.ts';

const BILLING = 'C0BILLING1';
const BOB = 'U0BOB00001';
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'rules');
let rig: Rig;
let app: MailroomApp;
let file: string;

const RULES = [
  { name: 'Big customers', when: { from: '@bigcorp.example' }, then: { assign: BOB, tag: ['VIP'], priority: 'high', note: 'Renewal season: answer within the hour.' } },
  { name: 'Invoices', when: { subject: '/invoice|factura|fattura|factuur/i' }, then: { move: 'Billing', tag: 'billing', sla: '4h' } },
  { name: 'Attachments', when: { hasAttachment: true }, then: { tag: 'files' }, continue: true },
  { name: 'Screenshots', when: { body: 'screenshot' }, then: { tag: 'screenshot', waiting: true, sla: '2h' } },
  { name: 'Newsletters', when: { kind: 'bulk' }, then: { close: 'no-reply-needed' } },
];

beforeAll(async () => {
  rig = await startRig();
  await rig.dovecot.createMailbox(INBOX_ADDRESS, 'Billing');
  rig.slack.addUser({ id: BOB, name: 'bob', real_name: 'Bob Baker' });
  rig.slack.state.channels.get(CHANNEL)!.members.push(BOB);
  rig.slack.addChannel({ id: BILLING, name: 'billing', members: [MEMBER] });
  const imap = (mailbox: string) => ({ host: rig.dovecot.host, port: rig.dovecot.port, secure: false, user: INBOX_ADDRESS, password: IMAP_PASSWORD, mailbox });
  const smtp = { host: rig.smtp.host, port: rig.smtp.port };
  file = join(rig.dir, 'inboxes.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      inboxes: [
        { name: 'Acme Support', channel: CHANNEL, address: INBOX_ADDRESS, imap: imap('INBOX'), smtp, sentFolder: false, postBulk: true, rules: RULES, sla: { firstResponse: '1h' } },
        { name: 'Billing', channel: BILLING, address: 'billing@example.com', imap: imap('Billing'), smtp, sentFolder: false },
      ],
    }),
  );
  app = rig.build({ MAILROOM_CONFIG: file });
  await app.start();
  await waitFor(() => app.store.imapSync.get(1, 'INBOX') && app.store.imapSync.get(2, 'Billing'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

/** The conversation whose subject holds `marker`, once its parent is posted (in any channel). */
async function posted(marker: string) {
  return waitFor(() => {
    const rows = app.store.conversations.threadsInUse(0, 50).filter((c) => c.subject.includes(marker));
    return rows[0]?.slackTs ? rows[0] : undefined;
  }, { timeoutMs: 10_000 });
}
const notesOf = (channel: string, ts: string) => rig.slack.threadOf(channel, ts).filter((m) => m.ts !== ts && m.metadata?.event_type === 'mailroom_note');

describe('routing rules on new conversations', () => {
  it('a rule tags and assigns a matching email, opens a ticket, and the thread says which rule acted', async () => {
    await rig.deliver(email({ from: 'Boss <boss@bigcorp.example>', subject: 'Renewal R1' }));
    const c = await posted('Renewal R1');
    expect(c.assigneeUserId).toBe(BOB);
    expect(app.store.tags.of(c.id)).toEqual(['vip']);
    expect(app.store.tickets.openFor(c.id)?.priority).toBe('high');
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.slackTs!)).includes(':label: `vip`') && blocksText(parentOf(rig, CHANNEL, c.slackTs!)).includes(`Assigned to <@${BOB}>`));
    const notes = await waitFor(() => (notesOf(CHANNEL, c.slackTs!).length >= 3 ? notesOf(CHANNEL, c.slackTs!) : undefined));
    const text = notes.map(blocksText).join('\n');
    expect(text).toContain(`:gear: Routing rule _Big customers_: assigned it to <@${BOB}>, tagged it \`vip\`, opened ticket #`);
    expect(text).toContain('Note from rule _Big customers_: Renewal season: answer within the hour.');
    expect(text).toContain(`Assigned to <@${BOB}> (rule _Big customers_)`);
    await waitFor(() => dmsTo(rig, BOB).length === 1);
    const routed = app.store.events.between(0, Date.now() + 1).find((e) => e.type === 'conversation.routed' && e.conversationId === c.id);
    expect(routed?.data).toMatchObject({ rules: ['Big customers'], notApplied: [] });
  });

  it('a regex on the subject starts the conversation in the inbox a rule names, tagged there', async () => {
    await rig.deliver(email({ subject: 'Fattura R2 non ricevuta' }));
    const c = await posted('Fattura R2');
    expect(c.channelId).toBe(BILLING);
    expect(c.inboxId).toBe(2);
    expect(c.ourAddress).toBe('billing@example.com');
    expect(app.store.tags.of(c.id)).toEqual(['billing']);
    const notes = await waitFor(() => (notesOf(BILLING, c.slackTs!).length ? notesOf(BILLING, c.slackTs!) : undefined));
    expect(blocksText(notes[0])).toContain(':gear: Routing rule _Invoices_: started it here instead of *Acme Support*, tagged it `billing`. Not done: response target 4h: the inbox has no response targets.');
    expect(rig.slack.messagesIn(CHANNEL).some((m) => JSON.stringify(m.blocks ?? []).includes('Fattura R2'))).toBe(false);
  });

  it("regression: a rule's sla that can't be applied (no response targets) is in the conversation.routed event's notApplied, as in the thread note", async () => {
    await rig.deliver(email({ subject: 'Factura R6 pendiente' }));
    const c = await posted('Factura R6');
    expect(c.inboxId).toBe(2);
    const routed = app.store.events.between(0, Date.now() + 1).find((e) => e.type === 'conversation.routed' && e.conversationId === c.id);
    expect(routed?.data).toMatchObject({ rules: ['Invoices'], fromInboxId: 1, notApplied: ['response target 4h: the inbox has no response targets'] });
  });

  it('continue: true lets the next rule act too; waiting on the customer and a first-response target are set', async () => {
    const mid = `<r3.${Date.now()}@customer.example>`;
    const raw = [
      'From: Carla <carla@customer.example>', `To: ${INBOX_ADDRESS}`, 'Subject: Broken R3', `Message-ID: ${mid}`, `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Here is a screenshot.', '--b',
      'Content-Type: image/png', 'Content-Disposition: attachment; filename="s.png"', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', '--b--', '',
    ].join('\r\n');
    await rig.deliver(raw);
    const c = await posted('Broken R3');
    expect(app.store.tags.of(c.id)).toEqual(['files', 'screenshot']);
    expect(app.store.conversations.byId(c.id)?.status).toBe('pending');
    const notes = await waitFor(() => (notesOf(CHANNEL, c.slackTs!).length ? notesOf(CHANNEL, c.slackTs!) : undefined));
    expect(blocksText(notes[0])).toContain('Routing rules _Attachments_, _Screenshots_: tagged it `files`, `screenshot`, set it waiting on the customer, set its first-response target to 2h.');
    // The rule's 2h instead of the inbox's 1h; the clock waits while the conversation does.
    expect(app.store.slaClocks.current(c.id)).toMatchObject({ kind: 'first', targetMs: 2 * 3_600_000, runningSince: null });
    const waiting = app.store.events.between(0, Date.now() + 1).filter((e) => e.type === 'conversation.waiting' && e.conversationId === c.id);
    expect(waiting.map((e) => e.data)).toEqual([{ rule: 'Screenshots' }]);
    // The customer writing again makes it open, as after a teammate's "wait".
    await rig.deliver(email({ subject: 'Re: Broken R3', inReplyTo: mid, body: 'Any news?' }));
    await waitFor(() => app.store.conversations.byId(c.id)?.status === 'open');
    const clock = app.store.slaClocks.current(c.id)!;
    expect(clock.targetMs).toBe(2 * 3_600_000);
    expect(clock.dueAt! - clock.runningSince!).toBe(2 * 3_600_000);
  });

  it('a bulk email is closed by its rule, and an email no rule matches is left alone', async () => {
    await rig.deliver(email({ from: 'News <news@list.example>', subject: 'Widgets weekly R4', headers: { 'List-Id': '<widgets.list.example>', 'List-Unsubscribe': '<mailto:u@list.example>', Precedence: 'bulk' } }));
    await rig.deliver(email({ subject: 'Plain question R5' }));
    const bulk = await posted('Widgets weekly R4');
    const plain = await posted('Plain question R5');
    expect(app.store.conversations.byId(bulk.id)).toMatchObject({ status: 'closed', resolution: 'no-reply-needed', assigneeUserId: null });
    expect(plain).toMatchObject({ status: 'open', assigneeUserId: null, inboxId: 1 });
    expect(app.store.tags.of(plain.id)).toEqual([]);
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, bulk.slackTs!)).includes('Closed · No reply needed'));
    expect(app.store.events.between(0, Date.now() + 1).some((e) => e.type === 'conversation.routed' && e.conversationId === plain.id)).toBe(false);
  });
});

describe('mailroom rules test FILE.eml…', () => {
  it('says which rule would match each email and what it would do, touching nothing', async () => {
    const files = ['bigcorp.eml', 'factura.eml', 'newsletter.eml'].map((f) => join(FIXTURES, f));
    const r = await runMailroom(['rules', 'test', '--json', ...files, join(FIXTURES, 'missing.eml')], { env: { MAILROOM_CONFIG: file } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ file: files[0], inbox: 'Acme Support', rules: [{ name: 'Big customers', index: 0, continue: false }], actions: [`assign to ${BOB}`, 'tag vip', 'priority high', 'note: Renewal season: answer within the hour.'] });
    expect(lines[1]).toMatchObject({ rules: [{ name: 'Invoices', index: 1 }], actions: ['tag billing', 'move to Billing', 'first-response target 4h'] });
    expect(lines[2]).toMatchObject({ rules: [{ name: 'Newsletters' }], actions: ['close as no-reply-needed'] });
    expect(lines[3]).toMatchObject({ file: join(FIXTURES, 'missing.eml'), error: expect.stringContaining('ENOENT') });
    const human = await runMailroom(['rules', 'test', files[1]!], { env: { MAILROOM_CONFIG: file } });
    expect(human.stdout).toContain('Rule:        2. Invoices');
    expect(human.stdout).toContain('Would:       move to Billing');
  });

  it('a bad rule is a configuration error with its path', async () => {
    const bad = join(rig.dir, 'bad.yaml');
    writeFileSync(bad, JSON.stringify({ inboxes: [{ name: 'S', channel: CHANNEL, address: INBOX_ADDRESS, imap: { host: 'h', user: 'u', password: '${NOT_SET}' }, smtp: { host: 's' }, rules: [{ when: { subject: '/(a+)+$/' }, then: { tag: 'x' } }] }] }));
    const r = await runMailroom(['rules', 'test', join(FIXTURES, 'bigcorp.eml')], { env: { MAILROOM_CONFIG: bad } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: inboxes[0].rules[0].when.subject /(a+)+$/ can backtrack catastrophically`);
    expect(r.stderr).not.toContain('NOT_SET');
  });
});

// `/mailroom search` through the real receiver: email that came in over IMAP, a reply sent by
// SMTP, a note typed in the thread and tags are all found; the answer is private; only the
// inboxes the person is a member of are searched; "More results" gives the next page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, IMAP_PASSWORD, INBOX_ADDRESS, MEMBER, SIGNING_SECRET, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { blockActions, sendInteraction } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';
import { interact, mailroomAnswer, parentAction, postedConversation } from '../actions/actions-rig.ts';

const SALES = 'C0SALES001';
const SELMA = 'U0SELMA001';
let rig: Rig;
let app: MailroomApp;
let url: string;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  await rig.dovecot.createMailbox(INBOX_ADDRESS, 'Sales');
  rig.slack.addUser({ id: SELMA, name: 'selma', real_name: 'Selma Sales' });
  rig.slack.addChannel({ id: SALES, name: 'sales', members: [SELMA, MEMBER] });
  const imap = (mailbox: string) => ({ host: rig.dovecot.host, port: rig.dovecot.port, secure: false, user: INBOX_ADDRESS, password: IMAP_PASSWORD, mailbox });
  const smtp = { host: rig.smtp.host, port: rig.smtp.port };
  const file = join(rig.dir, 'inboxes.yaml');
  writeFileSync(file, JSON.stringify({ inboxes: [
    { name: 'Acme Support', channel: CHANNEL, address: INBOX_ADDRESS, imap: imap('INBOX'), smtp, sentFolder: false, sla: { firstResponse: '2s' } },
    { name: 'Sales', channel: SALES, address: 'sales@example.com', imap: imap('Sales'), smtp, sentFolder: false },
  ] }));
  app = rig.build({ MAILROOM_CONFIG: file });
  port = (await app.start()).port!;
  url = `http://127.0.0.1:${port}/slack/events`;
  await waitFor(() => app.store.imapSync.get(1, 'INBOX') && app.store.imapSync.get(2, 'Sales'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const search = (text: string, user = MEMBER) => mailroomAnswer(rig, port, `search ${text}`, { user });
const numbersIn = (answer: Record<string, unknown>) => [...JSON.stringify(answer.blocks ?? []).matchAll(/[*|]#(\d+) /g)].map((m) => Number(m[1]));

describe('/mailroom search', () => {
  let support: Awaited<ReturnType<typeof postedConversation>>;
  let sales: Awaited<ReturnType<typeof postedConversation>>;
  beforeAll(async () => {
    support = await postedConversation(rig, app, { subject: 'Kettle arrived broken', extraBody: '\nThe handle snapped off.' });
    sales = await postedConversation(rig, app, { subject: 'Kettle bulk order', channel: SALES, deliver: async (raw) => void (await rig.dovecot.append(INBOX_ADDRESS, 'Sales', raw)) });
  });

  it('finds by words of the email, privately, with number, sender, status, assignee and a link', async () => {
    const r = await search('handle snapped');
    expect(r.response_type).toBe('ephemeral');
    expect(numbersIn(r)).toEqual([support.id]);
    const text = JSON.stringify(r.blocks);
    expect(text).toContain('Carla Cliente &lt;carla@customer.example&gt;');
    expect(text).toContain(':large_green_circle: Open · Unassigned');
    expect(text).toContain(`/archives/${CHANNEL}/p${support.parentTs.replace('.', '')}|#${support.id} Kettle arrived broken>`);
  });

  it('finds a note typed in the thread and the text of a reply that was sent; by tag and by status', async () => {
    await rig.event(port, threadReply({ threadTs: support.parentTs, text: 'note: warehouse says batch 77 is faulty' }));
    await rig.event(port, threadReply({ threadTs: support.parentTs, text: 'Sorry! A replacement is on its way.' }));
    await rig.smtp.waitForMessages(1);
    await waitFor(async () => numbersIn(await search('batch 77')).includes(support.id));
    expect(numbersIn(await search('replacement'))).toEqual([support.id]);
    expect(numbersIn(await search('status:pending kettle'))).toEqual([support.id]);
    app.store.tags.add(sales.id, ['wholesale'], MEMBER);
    expect(numbersIn(await search('tag:wholesale'))).toEqual([sales.id]);
    expect(numbersIn(await search('kettle'))).toEqual([sales.id, support.id]);
  });

  it('never shows an inbox the person is not a member of', async () => {
    // Selma is in Sales only.
    expect(numbersIn(await search('kettle', SELMA))).toEqual([sales.id]);
    expect(numbersIn(await search('handle snapped', SELMA))).toEqual([]);
    expect(numbersIn(await search('assignee:none kettle', SELMA))).toEqual([sales.id]);
  });

  it('finds by assignee: me, @name and none, as assigned from the parent', async () => {
    await interact(port, parentAction({ actionId: Actions.assignSelect, user: MEMBER, parentTs: sales.parentTs, number: sales.id, action: { type: 'users_select', selected_user: SELMA } }));
    await waitFor(() => app.store.conversations.byId(sales.id)?.assigneeUserId === SELMA);
    expect(numbersIn(await search('kettle assignee:me', SELMA))).toEqual([sales.id]);
    expect(numbersIn(await search('kettle assignee:me'))).toEqual([]);
    expect(numbersIn(await search('kettle assignee:@selma'))).toEqual([sales.id]);
    expect(numbersIn(await search(`kettle assignee:<@${SELMA}>`))).toEqual([sales.id]);
    expect(numbersIn(await search('kettle assignee:none'))).toEqual([support.id]);
    expect((await search('kettle assignee:@nobodyknown')).text).toMatch(/I don't know who `@nobodyknown` is/);
  });

  it('"More results" gives the next page', async () => {
    for (let i = 0; i < 21; i++) {
      const c = app.store.conversations.create({ inboxId: 1, contactId: null, subject: `Teapot ${i}`, channelId: CHANNEL, ourAddress: INBOX_ADDRESS });
      app.store.search.started(c.id, { subject: `Teapot ${i}`, senders: '', text: 'spout' });
    }
    const first = await search('spout');
    expect(numbersIn(first)).toHaveLength(20);
    const button = (first.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.action_id).toBe(Actions.searchMore);
    const name = 'search-more';
    await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.searchMore, user: MEMBER, value: button.value, responseUrl: rig.slack.responseUrl(name) }));
    const next = await waitFor(() => rig.slack.calls('response_url').find((c) => c.args.response_url_name === name)?.args);
    expect(JSON.stringify(next.blocks)).toContain('Teapot 0');
    expect(numbersIn(next)).toHaveLength(1);
    expect(next.replace_original).toBe(false);
  });

  it('is:overdue finds what is past its response target; status:snoozed what is snoozed', async () => {
    const late = await postedConversation(rig, app, { subject: 'Teapot lid missing' });
    await waitFor(async () => numbersIn(await search('is:overdue')).includes(late.id), { timeoutMs: 8000 });
    expect(numbersIn(await search('is:overdue teapot lid'))).toEqual([late.id]);
    // Selma is not in Support, whose conversation it is.
    expect(numbersIn(await search('is:overdue', SELMA))).toEqual([]);
    await mailroomAnswer(rig, port, `snooze #${late.id} 2d`);
    await waitFor(() => app.store.conversations.byId(late.id)?.status === 'snoozed');
    expect(numbersIn(await search('status:snoozed'))).toEqual([late.id]);
  });

  it('says what it cannot do', async () => {
    expect((await search('')).text).toMatch(/Say what to look for/);
  });
});

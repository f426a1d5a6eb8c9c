// The compose use case and the pieces around it, on an in-memory store with hand-made Slack
// posters: what is stored before Slack is touched, and how the held email is let go.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmailForm } from '../../src/core/email-form.ts';
import { silentLogger } from '../../src/logger.ts';
import { fieldErrors } from '../../src/slack/inbound/listeners/email-modals.ts';
import { appendToBody } from '../../src/slack/inbound/listeners/actions/insert-template.action.ts';
import { parseMailroomText } from '../../src/slack/inbound/listeners/commands/mailroom.command.ts';
import { Fields } from '../../src/slack/ui/ids.ts';
import { closeDb, createStore, openDb, type Db, type Store } from '../../src/store/index.ts';
import { composeEmail, storeComposedEmail, type ComposeEmailRequest } from '../../src/usecases/compose-email.ts';
import { HOLD_MS } from '../../src/usecases/held-email.ts';
import type { ComposePayload } from '../../src/usecases/outbox-emails.ts';
import { slackStoredText } from '../../src/usecases/outgoing-email.ts';
import { outgoingEmailView } from '../../src/slack/ui/blocks/outgoing-email.ts';

let db: Db;
let store: Store;
const NOW = Date.UTC(2026, 3, 1, 9);

beforeEach(() => {
  db = openDb(':memory:');
  store = createStore(db);
  store.inboxes.sync([{ key: 'support', name: 'Acme Support', channelId: 'C1', address: 'support@acme.example' }]);
});
afterEach(() => closeDb(db));

const form: EmailForm = {
  fromAddress: 'help@acme.example',
  to: [{ name: 'Carla Cliente', address: 'carla@customer.example' }],
  cc: [{ name: '', address: 'dan@customer.example' }],
  bcc: [{ name: '', address: 'boss@partner.example' }],
  subject: 'Your invoice',
  body: 'Hi {{first_name}}, about #{{conversation_number}}: 2 < 3 & <@U1>',
};
const req: ComposeEmailRequest = { userId: 'U0ANA', teammateName: 'Ana Lima', inbox: { id: 1, name: 'Acme Support', channelId: 'C1' }, form, files: [] };

function deps(o: { postParent?: () => Promise<string>; postInThread?: () => Promise<string>; slackWaitMs?: number } = {}) {
  const posted: unknown[] = [];
  let kicks = 0;
  return {
    posted,
    kicks: () => kicks,
    d: {
      store,
      logger: silentLogger(),
      now: () => NOW,
      postParent: o.postParent ?? (async () => '111.000100'),
      postInThread: async (p: unknown) => {
        posted.push(p);
        return o.postInThread ? o.postInThread() : '111.000200';
      },
      kickOutbox: () => void kicks++,
      ...(o.slackWaitMs ? { slackWaitMs: o.slackWaitMs } : {}),
    },
  };
}

describe('storeComposedEmail', () => {
  it('stores contacts, the conversation, its events and the email held back, before anything is posted', () => {
    const { conversation, held } = storeComposedEmail({ store, now: () => NOW }, req);
    expect(conversation).toMatchObject({ inboxId: 1, subject: 'Your invoice', ourAddress: 'help@acme.example', startedByUserId: 'U0ANA', assigneeUserId: 'U0ANA', status: 'open', slackTs: null });
    expect(conversation.snippet).toBe('Hi Carla, about #: 2 < 3 & <@U1>');
    expect(store.contacts.byId(conversation.contactId!)?.email).toBe('carla@customer.example');
    expect(store.contacts.byEmail('dan@customer.example')).toBeTruthy();
    expect(store.contacts.byEmail('boss@partner.example')).toBeUndefined();
    expect(store.events.between(0, NOW + 1).map((e) => [e.type, e.data])).toEqual([
      ['conversation.created', { origin: 'compose', startedByUserId: 'U0ANA' }],
      ['conversation.assigned', { assigneeUserId: 'U0ANA', automatic: false }],
    ]);
    expect(held).toMatchObject({ kind: 'compose', status: 'pending', sendAt: NOW + HOLD_MS, slackTs: null, conversationId: conversation.id });
    expect(held.messageId).toMatch(new RegExp(`^mr\\.${conversation.token}\\.[A-Za-z0-9_-]+@acme\\.example$`));
    const payload = held.payload as ComposePayload;
    // Rendered with the number, and in Slack's stored-text form like a thread reply.
    expect(payload.text).toBe(`Hi Carla, about #${conversation.id}: 2 &lt; 3 &amp; &lt;@U1&gt;`);
    expect(payload).toMatchObject({ fromAddress: 'help@acme.example', to: form.to, cc: form.cc, bcc: form.bcc, subject: 'Your invoice' });
  });
});

describe('composeEmail', () => {
  it('posts the parent, then the email in its thread, then ties the held email to that message and lets it go', async () => {
    const t = deps();
    const heldBefore = () => store.outbox.byId(1);
    const out = await composeEmail(t.d, req);
    expect(out.shown).toBe(true);
    expect(t.posted).toHaveLength(1);
    expect(t.posted[0]).toMatchObject({ threadTs: '111.000100', conversation: { id: out.conversation.id } });
    expect(JSON.stringify((t.posted[0] as { email: unknown }).email)).toContain('boss@partner.example');
    // One row, the held one, now due at once and carrying the thread message's ts.
    expect(out.outboxId).toBe(1);
    expect(store.outbox.byId(2)).toBeUndefined();
    const row = heldBefore()!;
    expect([row.status, row.slackChannel, row.slackTs, row.sendAt]).toEqual(['pending', 'C1', '111.000200', NOW]);
    expect(row.messageId).toMatch(new RegExp(`^mr\\.${out.conversation.token}\\.`));
    expect(t.kicks()).toBe(1);
  });

  it('sends all the same when Slack fails or takes too long, without a Slack message to react on', async () => {
    const failing = deps({ postParent: () => Promise.reject(new Error('channel_not_found')) });
    const out = await composeEmail(failing.d, req);
    expect(out).toMatchObject({ shown: false, outboxId: 1 });
    expect(store.outbox.byId(1)).toMatchObject({ status: 'retry', nextAttemptAt: NOW, slackTs: null });

    const slow = deps({ postParent: () => new Promise<string>(() => undefined), slackWaitMs: 20 });
    const late = await composeEmail(slow.d, { ...req, form: { ...form, subject: 'Second' } });
    expect(late.shown).toBe(false);
    expect(store.outbox.byId(late.outboxId!)?.status).toBe('retry');
  });

  it('leaves an email that already went (the hold ran out) alone', async () => {
    const t = deps();
    const stored = storeComposedEmail({ store, now: () => NOW }, req);
    store.outbox.claim(stored.held.id);
    store.outbox.markSent(stored.held.id, NOW);
    const out = await composeEmail(t.d, req, stored);
    expect(out.outboxId).toBeNull();
    expect(store.outbox.byId(2)).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('parseMailroomText', () => {
    expect(parseMailroomText('')).toEqual({ name: 'help' });
    expect(parseMailroomText('  HELP ')).toEqual({ name: 'help' });
    expect(parseMailroomText('mine')).toEqual({ name: 'mine' });
    expect(parseMailroomText('stats')).toEqual({ name: 'stats', window: null });
    expect(parseMailroomText('stats 30d')).toEqual({ name: 'stats', window: '30d' });
    expect(parseMailroomText('Templates')).toEqual({ name: 'templates' });
    expect(parseMailroomText('frobnicate now')).toEqual({ name: 'help', unknown: 'frobnicate' });
  });

  it('appendToBody puts a blank line between what was written and the template', () => {
    expect(appendToBody('', 'T')).toBe('T');
    expect(appendToBody('  \n', 'T')).toBe('T');
    expect(appendToBody('Dear Carla,\n\n', 'T')).toBe('Dear Carla,\n\nT');
  });

  it('fieldErrors keys errors by block id, the body by its revision', () => {
    expect(fieldErrors({ to: 'a', body: 'b', from: 'c' }, 'mr_body_r2')).toEqual({ [Fields.to.block]: 'a', mr_body_r2: 'b', [Fields.from.block]: 'c' });
  });

  it('slackStoredText and the thread view: typed text is shown, never obeyed', () => {
    expect(slackStoredText('a < b && <!channel>')).toBe('a &lt; b &amp;&amp; &lt;!channel&gt;');
    const v = outgoingEmailView({
      from: { name: 'Ana Lima (Acme Support)', address: 'support@acme.example' },
      to: form.to,
      cc: [],
      bcc: form.bcc,
      subject: 'Re: x',
      conversationSubject: 'x',
      text: slackStoredText('hi <!here> @channel'),
      files: [{ id: 'F1', name: 'a.pdf', mimetype: 'application/pdf', size: 2048, url: 'https://files.example/a' }],
      userId: 'U0ANA',
      date: NOW,
    });
    const blocks = JSON.stringify(v.blocks);
    expect(blocks).not.toContain('<!here>');
    expect(blocks).toContain('&lt;!here&gt;');
    expect(blocks).not.toContain('@channel');
    expect(blocks).toContain('@\u2060channel');
    expect(blocks).toContain('a.pdf');
    expect(blocks).toContain('*BCC*');
  });
});

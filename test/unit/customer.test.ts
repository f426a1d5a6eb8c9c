// The customer at a glance: free-mail domains are never a company; the store's reads (their
// conversations in the person's inboxes, others at the domain); the modal escapes email text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyDomain, domainOf, isFreeMailDomain } from '../../src/core/free-mail.ts';
import { closeDb, createStore, openDb, type Db } from '../../src/store/index.ts';
import { customerView } from '../../src/usecases/customer.ts';
import { customerModal } from '../../src/slack/ui/views/customer.view.ts';
import { blockProblems } from './slack/block-kit-limits.ts';

describe('free mail', () => {
  it.each(['gmail.com', 'GMail.com', 'outlook.com', 'hotmail.co.uk', 'yahoo.es', 'live.fr', 'icloud.com', 'proton.me', 'web.de', 'gmx.at', 'qq.com', 'outlook.de'])('%s is free mail', (d) => expect(isFreeMailDomain(d)).toBe(true));
  it.each(['bigcorp.com', 'acme.co.uk', 'hotmailer.com', 'mail.bigcorp.com', 'yahoo-inc.com'])('%s is a company', (d) => expect(isFreeMailDomain(d)).toBe(false));
  it('companyDomain: none for free mail, our own domains, or no domain', () => {
    expect(companyDomain('Ana@BigCorp.com')).toBe('bigcorp.com');
    expect(companyDomain('ana@gmail.com')).toBeNull();
    expect(companyDomain('ana@acme.com', ['acme.com'])).toBeNull();
    expect(companyDomain('nobody')).toBeNull();
    expect(domainOf('a@b@c.io')).toBe('c.io');
  });
});

describe('customerView', () => {
  let db: Db;
  let store: ReturnType<typeof createStore>;
  let first: number;
  let current: number;
  beforeAll(() => {
    db = openDb(':memory:');
    store = createStore(db);
    store.inboxes.sync([
      { key: 'support', name: 'Support', channelId: 'C0SUP', address: 'support@acme.com' },
      { key: 'hr', name: 'HR', channelId: 'C0HR', address: 'hr@acme.com' },
    ]);
    const dora = store.contacts.upsert('dora@bigcorp.com', 'Dora <!channel>').contact;
    const eve = store.contacts.upsert('eve@bigcorp.com', 'Eve').contact;
    store.contacts.upsert('sub@mail.bigcorp.com', 'Sub');
    const conv = (contactId: number, inboxId: number, subject: string) => store.conversations.create({ inboxId, contactId, subject, channelId: inboxId === 1 ? 'C0SUP' : 'C0HR', ourAddress: 'x@acme.com' }).id;
    first = conv(dora.id, 1, 'First question');
    store.conversations.setStatus(first, 'closed', 'resolved');
    store.tags.add(first, ['billing'], 'U1');
    conv(dora.id, 2, 'Private HR matter');
    conv(eve.id, 1, 'Eve asks');
    current = conv(dora.id, 1, 'Second question');
  });
  afterAll(() => closeDb(db));

  it('name, address, first seen, their conversations in the inboxes the person is in, others at the company', () => {
    const vm = customerView({ store, teamUrl: () => 'https://acme.slack.com/', ourDomains: ['acme.com'] }, current, [1])!;
    expect(vm.contact).toMatchObject({ name: 'Dora <!channel>', address: 'dora@bigcorp.com' });
    expect(vm.total).toBe(2);
    expect(vm.conversations.map((c) => [c.number, c.status, c.tags, c.current])).toEqual([[current, 'open', [], true], [first, 'closed', ['billing'], false]]);
    expect(vm.company).toEqual({ domain: 'bigcorp.com', people: [{ name: 'Eve', address: 'eve@bigcorp.com', conversations: 1 }] });
    const all = customerView({ store, teamUrl: () => null, ourDomains: [] }, current, [1, 2])!;
    expect(all.total).toBe(3);
  });

  it('the modal shows it, escaped, within Slack limits', () => {
    const m = customerModal(customerView({ store, teamUrl: () => null, ourDomains: [] }, current, [1])!);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('*Dora &lt;!channel&gt;*');
    expect(text).toContain('*2 conversations*');
    expect(text).toContain(`#${first} First question · :white_check_mark: closed · \`billing\``);
    expect(text).toContain('*Others at bigcorp.com*\\nEve &lt;eve@bigcorp.com&gt; · 1 conversation');
    expect(blockProblems(m.blocks as never, 100)).toEqual([]);
  });

  it('never lists a company for free mail', () => {
    const g = store.contacts.upsert('gus@gmail.com', 'Gus').contact;
    store.contacts.upsert('other@gmail.com', 'Other');
    const id = store.conversations.create({ inboxId: 1, contactId: g.id, subject: 'Hi', channelId: 'C0SUP', ourAddress: 'x@acme.com' }).id;
    const vm = customerView({ store, teamUrl: () => null, ourDomains: [] }, id, [1])!;
    expect(vm.company).toBeNull();
    expect(JSON.stringify(customerModal(vm).blocks)).not.toContain('Others at');
  });
});

describe('regression: others at the company counted their own conversations', () => {
  it('counts each person’s conversations, not conversations whose number equals their contact id', () => {
    const db = openDb(':memory:');
    const store = createStore(db);
    store.inboxes.sync([{ key: 'support', name: 'Support', channelId: 'C0SUP', address: 'support@acme.com' }]);
    const a = store.contacts.upsert('a@co.example', 'A').contact;
    const b = store.contacts.upsert('b@co.example', 'B').contact;
    // Conversation 1 is A's, 2 and 3 are A's too: B (contact 2) has none.
    for (let i = 0; i < 3; i++) store.conversations.create({ inboxId: 1, contactId: a.id, subject: `s${i}`, channelId: 'C0SUP', ourAddress: 'x@acme.com' });
    expect(store.contacts.atDomain('co.example', a.id, [1])).toEqual([{ id: b.id, email: 'b@co.example', name: 'B', conversations: 0 }]);
    closeDb(db);
  });
});

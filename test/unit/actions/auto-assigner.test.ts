import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { createStore, openDb } from '../../../src/store/index.ts';
import { createAutoAssigner } from '../../../src/usecases/auto-assign.ts';

function rig(rule: 'round-robin' | 'least-open', members: () => Promise<string[]>) {
  const store = createStore(openDb(':memory:'));
  const [inbox] = store.inboxes.sync([{ key: 's', name: 'S', channelId: 'C1', address: 's@x.com' }]);
  const jobs: (() => Promise<void>)[] = [];
  const dms: string[] = [];
  const assigner = createAutoAssigner({
    store,
    rules: new Map([[inbox!.id, rule]]),
    members: () => members(),
    isPerson: async (u) => !u.startsWith('UB'),
    dm: async (u) => void dms.push(u),
    postNote: () => {},
    afterPosts: (_c, _k, job) => void jobs.push(job),
    teamUrl: () => null,
    logger: silentLogger(),
    firstLoadWaitMs: 200,
  });
  const create = () => store.conversations.create({ inboxId: inbox!.id, contactId: null, subject: '', channelId: 'C1', ourAddress: 's@x.com', assigneeUserId: assigner.pick(inbox!.id) });
  return { store, inbox: inbox!, assigner, jobs, dms, create };
}

describe('automatic assigner', () => {
  it('assigns nobody until members are known, and never a bot', async () => {
    const r = rig('round-robin', async () => ['U2', 'UBOT', 'U1']);
    expect(r.create().assigneeUserId).toBeNull();
    await r.assigner.prepare(r.inbox.id);
    expect([r.create(), r.create(), r.create()].map((c) => c.assigneeUserId)).toEqual(['U1', 'U2', 'U1']);
  });

  it('least-open gives the next one to whoever has the fewest active conversations', async () => {
    const r = rig('least-open', async () => ['U1', 'U2']);
    await r.assigner.prepare(r.inbox.id);
    for (let i = 0; i < 2; i++) r.store.conversations.create({ inboxId: r.inbox.id, contactId: null, subject: '', channelId: 'C1', ourAddress: 's@x.com', assigneeUserId: 'U1' });
    expect(r.create().assigneeUserId).toBe('U2');
    expect(r.create().assigneeUserId).toBe('U2');
    expect(r.create().assigneeUserId).toBe('U1'); // 2 and 2: the tie goes to the next in turn after U2
    for (const c of r.store.conversations.activeFor('U1').slice(0, 2)) r.store.conversations.setStatus(c.id, 'closed');
    expect(r.create().assigneeUserId).toBe('U1');
  });

  it('does not hold up storing an email when Slack is slow, and keeps the last list when it fails', async () => {
    let fail = false;
    const r = rig('round-robin', () => (fail ? Promise.reject(new Error('down')) : new Promise((res) => setTimeout(() => res(['U1']), 500))));
    const t = Date.now();
    await r.assigner.prepare(r.inbox.id);
    expect(Date.now() - t).toBeLessThan(400);
    await new Promise((res) => setTimeout(res, 400));
    expect(r.create().assigneeUserId).toBe('U1');
    fail = true;
    await r.assigner.prepare(r.inbox.id);
    expect(r.create().assigneeUserId).toBe('U1');
  });

  it('announces after the posts: logs the assignment, then DMs the assignee', async () => {
    const r = rig('round-robin', async () => ['U1']);
    await r.assigner.prepare(r.inbox.id);
    const c = r.create();
    r.assigner.announce(c.id);
    expect(r.dms).toEqual([]);
    await r.jobs[0]!();
    expect(r.dms).toEqual(['U1']);
    expect(r.store.events.between(0, Date.now() + 1).map((e) => [e.type, e.data])).toEqual([['conversation.assigned', { assigneeUserId: 'U1', automatic: true }]]);
  });
});

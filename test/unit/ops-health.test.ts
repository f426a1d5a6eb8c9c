// /healthz and /readyz from the parts' states: serving or not, every inbox caught up, Slack up.
import { describe, expect, it } from 'vitest';
import { createHealth, type WatcherState } from '../../src/ops/health.ts';
import type { Inboxes } from '../../src/usecases/inboxes.ts';

const ok = { failures: 0, failingSince: null };
const inbox = (id: number, key: string) => ({ inbox: { id, key, name: key, channelId: `C${id}`, address: `${key}@x.example` }, config: { signIn: 'password' }, addresses: [], members: { channelId: `C${id}` } });
const all = [inbox(1, 'support'), inbox(2, 'sales')];
const inboxes = { all, byId: (id: number) => all.find((i) => i.inbox.id === id) } as unknown as Inboxes;

function health(o: { serving?: boolean; watchers?: WatcherState[]; connected?: boolean } = {}) {
  const up: WatcherState = { connected: true, caughtUp: true, syncedAt: 1_700_000_000_000, lastError: null, health: ok };
  return createHealth({
    inboxes,
    watchers: o.watchers ?? [up, up],
    signIns: new Map(),
    slack: () => ({ mode: 'socket', connected: o.connected ?? true, lastEventAt: null }),
    outboxDepth: () => ({ pending: 1, sending: 0, retry: 0, waiting: 0 }),
    queueDepth: (c) => (c === 'C1' ? 2 : 0),
    serving: () => o.serving ?? true,
    role: () => ((o.serving ?? true) ? 'holder' : 'starting'),
  });
}

describe('health', () => {
  it('is 200 while serving, with each inbox', () => {
    const h = health().health();
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ ok: true, imap: { support: true, sales: true }, slack: true });
    expect((h.body.inboxes as Record<string, unknown>).support).toMatchObject({ postingBacklog: 2, outbox: { pending: 1 }, imap: { lastSyncAt: '2023-11-14T22:13:20.000Z' } });
  });

  it('is 503 when not serving (starting or stopping)', () => {
    expect(health({ serving: false }).health().status).toBe(503);
  });

  it('says the last error of an inbox that keeps failing', () => {
    const down: WatcherState = { connected: false, caughtUp: false, syncedAt: null, lastError: 'connect ECONNREFUSED 127.0.0.1:993', health: { failures: 3, failingSince: 1_700_000_000_000 } };
    const h = health({ watchers: [down, down] }).health();
    expect(h.status).toBe(200);
    expect((h.body.inboxes as Record<string, { lastError: string }>).sales?.lastError).toBe('connect ECONNREFUSED 127.0.0.1:993');
    expect(h.body.imapFailing).toEqual({ support: { failures: 3, since: '2023-11-14T22:13:20.000Z' }, sales: { failures: 3, since: '2023-11-14T22:13:20.000Z' } });
  });
});

describe('readiness', () => {
  it('is 200 only when every inbox caught up and Slack is connected', () => {
    expect(health().ready().status).toBe(200);
    const behind: WatcherState = { connected: true, caughtUp: false, syncedAt: null, lastError: null, health: ok };
    const up: WatcherState = { connected: true, caughtUp: true, syncedAt: 1, lastError: null, health: ok };
    const r = health({ watchers: [up, behind] }).ready();
    expect(r).toMatchObject({ status: 503, body: { inboxesNotCaughtUp: ['sales'] } });
    expect(health({ connected: false }).ready().status).toBe(503);
    expect(health({ serving: false }).ready().status).toBe(503);
  });
});

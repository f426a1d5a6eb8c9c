import { describe, expect, it } from 'vitest';
import { eventData, isEventType, type EventRow } from '../../src/core/event-types.ts';
import { computeSla, computeStats, formatDuration, median, parseWindow, percentile, type ClockStat } from '../../src/core/stats.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 1);
const window = { from: T0, to: T0 + 7 * DAY };

const ev = (at: number, type: string, conversationId: number, actorUserId: string | null = null, data?: EventRow['data']): EventRow => ({
  at,
  type,
  conversationId,
  actorUserId,
  ...(data !== undefined ? { data } : {}),
});

// A week of a small team, figures worked out by hand below.
const events: EventRow[] = [
  // c1: answered after 30 min by UA, again by UB, closed by UA.
  ev(T0 + 10 * MIN, 'conversation.created', 1, null, { origin: 'email' }),
  ev(T0 + 10 * MIN, 'email.received', 1),
  ev(T0 + 40 * MIN, 'reply.sent', 1, 'UA', { kind: 'reply' }),
  ev(T0 + 100 * MIN, 'reply.sent', 1, 'UB', { kind: 'reply' }),
  ev(T0 + 200 * MIN, 'conversation.closed', 1, 'UA', { resolution: 'resolved' }),
  // c2: origin absent (means email); answered after 2 h by UB, closed by UB.
  ev(T0 + HOUR, 'conversation.created', 2),
  ev(T0 + 3 * HOUR, 'reply.sent', 2, 'UB'),
  ev(T0 + 5 * HOUR, 'conversation.closed', 2, 'UB'),
  // c3: spam, closed by UA without a reply.
  ev(T0 + 2 * HOUR, 'conversation.created', 3, null, '{"origin":"email"}'),
  ev(T0 + 3 * HOUR, 'conversation.closed', 3, 'UA', { resolution: 'spam' }),
  // c4 moved to c5 before anyone answered; UA answered in c5 70 min after c4 began.
  ev(T0 + DAY, 'conversation.created', 4),
  ev(T0 + DAY + 10 * MIN, 'conversation.moved', 4, 'UB', '{"toConversationId":5,"toInboxId":2}'),
  ev(T0 + DAY + 10 * MIN, 'conversation.created', 5, 'UB', { origin: 'move' }),
  ev(T0 + DAY + 70 * MIN, 'reply.sent', 5, 'UA'),
  // c6: composed by UA: not "received", but its email is a reply sent.
  ev(T0 + 2 * DAY, 'conversation.created', 6, 'UA', { origin: 'compose' }),
  ev(T0 + 2 * DAY, 'reply.sent', 6, 'UA', { kind: 'compose' }),
  // c7 began before the window; UB's reply inside it counts as replied.
  ev(T0 - DAY, 'conversation.created', 7),
  ev(T0 + 30 * MIN, 'reply.sent', 7, 'UB'),
  // c8: answered only after the window ended.
  ev(T0 + 6 * DAY, 'conversation.created', 8),
  ev(T0 + 8 * DAY, 'reply.sent', 8, 'UA'),
  // c9: answered in 10 min by UA; closed by the system (no actor).
  ev(T0 + 3 * DAY, 'conversation.created', 9),
  ev(T0 + 3 * DAY + 10 * MIN, 'reply.sent', 9, 'UA'),
  ev(T0 + 4 * DAY, 'conversation.closed', 9, null),
  // Bounces of our emails: two full mailboxes, one unknown address; a delay warning and one
  // outside the window do not count.
  ev(T0 + 1 * HOUR, 'email.bounced', 1, null, { reason: 'mailboxfull', status: '5.2.2' }),
  ev(T0 + 2 * DAY, 'email.bounced', 6, null, { reason: 'userunknown', status: '5.1.1' }),
  ev(T0 + 3 * DAY, 'email.bounced', 9, null, { reason: 'mailboxfull', status: '4.2.2' }),
  ev(T0 + 3 * DAY, 'email.bounced', 9, null, { reason: 'expired', delayed: true }),
  ev(T0 + 9 * DAY, 'email.bounced', 8, null, { reason: 'spamdetected' }),
  // Noise that changes no figure.
  ev(T0 + 4 * DAY, 'email.ignored', 9, null, 'not json'),
  ev(T0 + 4 * DAY, 'reply.failed', 9, 'UA', { reason: '550' }),
];

describe('computeStats', () => {
  const backlog = [
    { status: 'open' as const, assigneeUserId: 'UA', createdAt: T0 + 5 * DAY },
    { status: 'open' as const, assigneeUserId: null, createdAt: T0 + 2 * DAY },
    { status: 'pending' as const, assigneeUserId: null, createdAt: T0 + 4 * DAY },
    { status: 'closed' as const, assigneeUserId: null, createdAt: T0 },
  ];
  // Shuffled input must not matter.
  const report = computeStats({ events: [...events].reverse(), window, backlog });

  it('counts received (customer-started), replied, replies sent and closed', () => {
    expect(report.received).toBe(6); // c1 c2 c3 c4 c8 c9
    expect(report.replied).toBe(6); // c1 c2 c5 c6 c7 c9
    expect(report.repliesSent).toBe(7); // c1×2 c2 c5 c6 c7 c9
    expect(report.closed).toBe(4); // c1 c2 c3 c9
  });

  it('times first responses, following moves, with median and p90', () => {
    // c9 10m, c1 30m, c4→c5 70m, c2 120m; c3 and c8 without reply in the window.
    expect(report.firstResponse).toEqual({ count: 4, medianMs: 50 * MIN, p90Ms: 120 * MIN, withoutReply: 2 });
  });

  it('credits replies and closes per teammate, most active first', () => {
    expect(report.perTeammate).toEqual([
      { userId: 'UA', replies: 4, closes: 2 },
      { userId: 'UB', replies: 3, closes: 1 },
    ]);
  });

  it('summarises the open backlog', () => {
    expect(report.backlog).toEqual({ open: 2, pending: 1, snoozed: 0, unassigned: 2, oldestCreatedAt: T0 + 2 * DAY });
  });

  it('counts bounces by reason, most first; delay warnings are not bounces', () => {
    expect(report.bounces).toEqual({ total: 3, byReason: [{ reason: 'mailboxfull', count: 2 }, { reason: 'userunknown', count: 1 }] });
  });

  it('a narrower window sees only its own events', () => {
    const day1 = computeStats({ events, window: { from: T0, to: T0 + DAY - 1 } });
    expect(day1.received).toBe(3);
    expect(day1.replied).toBe(3); // c1 c2 c7
    expect(day1.firstResponse).toEqual({ count: 2, medianMs: 75 * MIN, p90Ms: 120 * MIN, withoutReply: 1 });
    expect(day1.backlog).toEqual({ open: 0, pending: 0, snoozed: 0, unassigned: 0, oldestCreatedAt: null });
  });

  it('an empty log gives zeros and no times', () => {
    const empty = computeStats({ events: [], window });
    expect(empty.received).toBe(0);
    expect(empty.firstResponse).toEqual({ count: 0, medianMs: null, p90Ms: null, withoutReply: 0 });
    expect(empty.perTeammate).toEqual([]);
    expect(empty.bounces).toEqual({ total: 0, byReason: [] });
  });
});

describe('median and percentile', () => {
  it('median averages the middle pair; p90 is nearest-rank', () => {
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile(Array.from({ length: 11 }, (_, i) => i + 1), 0.9)).toBe(10);
    expect(percentile([7], 0.9)).toBe(7);
    expect(median([])).toBeNull();
  });
});

describe('parseWindow and formatDuration', () => {
  it('reads 24h, 7d, 30d, 2w and refuses the rest', () => {
    expect(parseWindow('24h')).toEqual({ ms: DAY, label: 'last 24 hours' });
    expect(parseWindow(' 7D ')).toEqual({ ms: 7 * DAY, label: 'last 7 days' });
    expect(parseWindow('30d')?.ms).toBe(30 * DAY);
    expect(parseWindow('2w')?.ms).toBe(14 * DAY);
    expect(parseWindow('1d')?.label).toBe('last 1 day');
    for (const bad of ['', '7', 'd7', '0d', '-1d', '400d', '7 days', null, undefined]) expect(parseWindow(bad)).toBeNull();
  });

  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(17 * MIN)).toBe('17m');
    expect(formatDuration(3 * HOUR + 5 * MIN)).toBe('3h 5m');
    expect(formatDuration(2 * DAY + 4 * HOUR)).toBe('2d 4h');
    expect(formatDuration(DAY)).toBe('1d');
  });
});

describe('event types', () => {
  it('knows the vocabulary and reads data in either form', () => {
    expect(isEventType('reply.sent')).toBe(true);
    expect(isEventType('reply.sen')).toBe(false);
    expect(eventData({ data: '{"a":1}' })).toEqual({ a: 1 });
    expect(eventData({ data: '[1]' })).toEqual({});
    expect(eventData({ data: 'nope' })).toEqual({});
    expect(eventData({ data: null })).toEqual({});
  });
});

describe('computeSla (response targets)', () => {
  const clock = (o: Partial<ClockStat>): ClockStat => ({ conversationId: 1, inboxId: 1, outcome: 'met', overMs: 0, answeredBy: 'U0AAA1', assigneeUserId: 'U0AAA1', ...o });

  it('counts the share within target among met and missed clocks, leaves dropped ones out, and times the misses', () => {
    const s = computeSla(
      [
        clock({}),
        clock({ conversationId: 2 }),
        clock({ conversationId: 3, outcome: 'breached', overMs: 10 * MIN }),
        clock({ conversationId: 4, outcome: 'breached', overMs: 30 * MIN, inboxId: 2, answeredBy: null, assigneeUserId: 'U0BBB2' }),
        clock({ conversationId: 5, outcome: 'breached', overMs: 90 * MIN, answeredBy: 'U0BBB2' }),
        clock({ conversationId: 6, outcome: 'dropped' }),
      ],
      [
        { conversationId: 8, inboxId: 1, overMs: 5 * MIN, assigneeUserId: null },
        { conversationId: 7, inboxId: 2, overMs: 50 * MIN, assigneeUserId: 'U0AAA1' },
      ],
      { 1: 'Support', 2: 'Billing' },
    );
    expect(s).toMatchObject({ counted: 5, within: 2, share: 0.4, overMedianMs: 30 * MIN, overP90Ms: 90 * MIN });
    expect(s.perInbox).toEqual([
      { inboxId: 2, name: 'Billing', counted: 1, within: 0, share: 0 },
      { inboxId: 1, name: 'Support', counted: 4, within: 2, share: 0.5 },
    ]);
    // By who answered, else the assignee of a clock that missed without an answer.
    expect(s.perTeammate).toEqual([
      { userId: 'U0AAA1', counted: 3, within: 2, share: 2 / 3 },
      { userId: 'U0BBB2', counted: 2, within: 0, share: 0 },
    ]);
    expect(s.overdue.map((o) => o.conversationId)).toEqual([7, 8]);
  });

  it('has no share before anything is counted, and is part of the report only when asked', () => {
    expect(computeSla([], [])).toMatchObject({ counted: 0, share: null, overMedianMs: null, perInbox: [], overdue: [] });
    expect(computeStats({ events: [], window: { from: 0, to: 1 } }).sla).toBeNull();
    expect(computeStats({ events: [], window: { from: 0, to: 1 }, sla: { clocks: [clock({})], overdue: [] } }).sla?.share).toBe(1);
  });
});

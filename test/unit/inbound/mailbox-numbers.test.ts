import { describe, expect, it } from 'vitest';
import { assertStorable, countOf, needsHighestUid, reconcileSync, uidOf, uidValidityOf, type OpenedMailbox, type SyncState } from '../../../src/mail/inbound/mailbox-numbers.ts';

const NOW = Date.UTC(2026, 2, 1, 12);
const DAY = 86_400_000;
const opened = (o: Partial<OpenedMailbox> = {}): OpenedMailbox => ({ uidValidity: '7', exists: 3, uidNext: 11, ...o });
const state = (o: Partial<SyncState> = {}): SyncState => ({ uidValidity: '7', lastUid: 10, startedAt: NOW - DAY, rescanPending: false, ...o });

describe('numbers read from an IMAP server', () => {
  it('takes UIDs and UIDNEXT from 1 to 2^32 − 1, as numbers, bigints or digits', () => {
    expect(uidOf(1)).toBe(1);
    expect(uidOf(4_294_967_295)).toBe(4_294_967_295);
    expect(uidOf(42n)).toBe(42);
    expect(uidOf('17')).toBe(17);
  });

  it('refuses what is missing, zero, negative, fractional, too big or not a number', () => {
    for (const bad of [undefined, null, Number.NaN, 0, -1, 1.5, 4_294_967_296, Infinity, '', 'abc', '12abc', '99999999999', {}, true])
      expect(uidOf(bad), String(bad)).toBeNull();
  });

  it('keeps UIDVALIDITY as decimal text', () => {
    expect(uidValidityOf(3_857_529_045n)).toBe('3857529045');
    expect(uidValidityOf(undefined)).toBeNull();
    expect(uidValidityOf(0n)).toBeNull();
  });

  it('takes message counts from 0', () => {
    expect(countOf(0)).toBe(0);
    expect(countOf(undefined)).toBeNull();
    expect(countOf(-3)).toBeNull();
  });

  it('never lets a NaN or a missing UIDVALIDITY reach the store', () => {
    expect(() => assertStorable(state({ lastUid: Number.NaN }))).toThrow(/last UID "NaN"/);
    expect(() => assertStorable(state({ uidValidity: 'undefined' }))).toThrow(/UIDVALIDITY "undefined"/);
    expect(() => assertStorable(state({ startedAt: Number.NaN }))).toThrow(/start time/);
    expect(assertStorable(state())).toEqual(state());
  });
});

describe('the sync state when the mailbox opens', () => {
  const o = { now: NOW, backfillDays: 0 };

  it('first start: the mark is UIDNEXT − 1', () => {
    expect(reconcileSync(undefined, opened(), o)).toEqual({ state: { uidValidity: '7', lastUid: 10, startedAt: NOW, rescanPending: false }, event: 'first-start', source: 'uidnext' });
  });

  it('first start without UIDNEXT: the highest UID the server gave', () => {
    expect(needsHighestUid(undefined, opened({ uidNext: null }), 0)).toBe(true);
    const r = reconcileSync(undefined, opened({ uidNext: null }), { ...o, highest: { uid: 40, source: 'search' } });
    expect(r).toMatchObject({ state: { lastUid: 40, rescanPending: false }, event: 'first-start', source: 'search' });
  });

  it('first start on an empty mailbox without UIDNEXT: 0, asking nothing more', () => {
    expect(needsHighestUid(undefined, opened({ uidNext: null, exists: 0 }), 0)).toBe(false);
    expect(reconcileSync(undefined, opened({ uidNext: null, exists: 0 }), o)).toMatchObject({ state: { lastUid: 0, rescanPending: false }, source: 'empty' });
  });

  it('first start when no answer tells the highest UID: a date-filtered pass from now, so nothing old is posted', () => {
    const r = reconcileSync(undefined, opened({ uidNext: null, exists: null }), { ...o, highest: { uid: null, source: 'dates' } });
    expect(r).toMatchObject({ state: { lastUid: 0, startedAt: NOW, rescanPending: true }, source: 'dates' });
  });

  it('first start with a backfill: everything of the window, by date', () => {
    expect(needsHighestUid(undefined, opened({ uidNext: null }), 3)).toBe(false);
    expect(reconcileSync(undefined, opened({ uidNext: null }), { now: NOW, backfillDays: 3 })).toMatchObject({ state: { lastUid: 0, startedAt: NOW - 3 * DAY, rescanPending: true }, event: 'backfill' });
  });

  it('a new UIDVALIDITY on a mailbox with mail: rescan since the first start', () => {
    expect(reconcileSync(state(), opened({ uidValidity: '8' }), o)).toEqual({ state: { uidValidity: '8', lastUid: 0, startedAt: NOW - DAY, rescanPending: true }, event: 'renumbered' });
  });

  it('bug: a new UIDVALIDITY at every login on an empty mailbox is taken as it is, without a rescan', () => {
    expect(reconcileSync(state(), opened({ uidValidity: '8', exists: 0, uidNext: null }), o)).toEqual({
      state: { uidValidity: '8', lastUid: 0, startedAt: NOW - DAY, rescanPending: false },
      event: 'renumbered-empty',
    });
    expect(reconcileSync(state(), opened({ uidValidity: '9', exists: 0, uidNext: 5 }), o).state.lastUid).toBe(4);
  });

  it('the same UIDVALIDITY: unchanged, or an unfinished pass resumed', () => {
    expect(reconcileSync(state(), opened(), o)).toEqual({ state: state(), event: 'unchanged' });
    expect(reconcileSync(state({ rescanPending: true }), opened(), o).event).toBe('resumed');
    expect(needsHighestUid(state(), opened({ uidNext: null }), 0)).toBe(false);
  });
});

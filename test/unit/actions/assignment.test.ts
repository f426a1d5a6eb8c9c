import { describe, expect, it } from 'vitest';
import { chooseAssignee, turnOrder } from '../../../src/core/assignment.ts';

describe('round-robin', () => {
  it('takes turns in a stable order, wrapping around', () => {
    const candidates = ['U3', 'U1', 'U2'];
    let last: string | null = null;
    const picks: string[] = [];
    for (let i = 0; i < 5; i++) {
      last = chooseAssignee({ rule: 'round-robin', candidates, lastAssigned: last });
      picks.push(last!);
    }
    expect(picks).toEqual(['U1', 'U2', 'U3', 'U1', 'U2']);
  });

  it('continues after where someone who left the inbox was', () => {
    expect(chooseAssignee({ rule: 'round-robin', candidates: ['U1', 'U3', 'U5'], lastAssigned: 'U4' })).toBe('U5');
    expect(chooseAssignee({ rule: 'round-robin', candidates: ['U1', 'U3'], lastAssigned: 'U9' })).toBe('U1');
  });

  it('assigns nobody without candidates or without a rule', () => {
    expect(chooseAssignee({ rule: 'round-robin', candidates: [], lastAssigned: 'U1' })).toBeNull();
    expect(chooseAssignee({ rule: 'none', candidates: ['U1'], lastAssigned: null })).toBeNull();
  });

  it('turn order ignores duplicates', () => {
    expect(turnOrder(['U2', 'U1', 'U2'], 'U1')).toEqual(['U2', 'U1']);
  });
});

describe('least-open', () => {
  it('picks the one with the fewest active conversations', () => {
    const openCounts = new Map([['U1', 4], ['U2', 1], ['U3', 2]]);
    expect(chooseAssignee({ rule: 'least-open', candidates: ['U1', 'U2', 'U3'], lastAssigned: null, openCounts })).toBe('U2');
  });

  it('counts a member missing from the counts as having none', () => {
    const openCounts = new Map([['U1', 1], ['U2', 1]]);
    expect(chooseAssignee({ rule: 'least-open', candidates: ['U1', 'U2', 'U3'], lastAssigned: null, openCounts })).toBe('U3');
  });

  it('breaks ties by taking turns', () => {
    const openCounts = new Map([['U1', 2], ['U2', 2], ['U3', 2]]);
    expect(chooseAssignee({ rule: 'least-open', candidates: ['U1', 'U2', 'U3'], lastAssigned: 'U1', openCounts })).toBe('U2');
    expect(chooseAssignee({ rule: 'least-open', candidates: ['U1', 'U2', 'U3'], lastAssigned: 'U3', openCounts })).toBe('U1');
  });
});

import { describe, expect, it } from 'vitest';
import { baseSubject, forwardSubject, hasForwardPrefix, hasReplyPrefix, replySubject } from '../../../src/core/subject.ts';

describe('baseSubject', () => {
  const cases: Array<[string, string]> = [
    ['Re: Order 12', 'Order 12'],
    ['RE: RE: re: Order 12', 'Order 12'],
    ['AW: WG: [EXT] Re: Order 12', 'Order 12'],
    ['Aw: Antw: SV: VS: Rif: R: RV: Order 12', 'Order 12'],
    ['Re[2]: Order 12', 'Order 12'],
    ['Re(3): Re^2: Order 12', 'Order 12'],
    ['Fwd: FW: Fw: TR: ENC: I: PD: VB: VL: Order 12', 'Order 12'],
    ['Redir.: Order 12', 'Order 12'],
    ['İLT: Order 12', 'Order 12'],
    ['YNT: Odp: Odg: Order 12', 'Order 12'],
    ['回复：转发: Order 12', 'Order 12'],
    ['Отв: Пересл: Order 12', 'Order 12'],
    ['Re : Commande 12', 'Commande 12'],
    ['[EXTERNAL] RE: Order 12', 'Order 12'],
    ['*EXTERNAL* Order 12', 'Order 12'],
    ['[#42] Order 12', '[#42] Order 12'],
    ['[Kunde] Order 12', '[Kunde] Order 12'],
    ['Review: Q3 plan', 'Review: Q3 plan'],
    ['Reply needed', 'Reply needed'],
    ['Re:', ''],
    ['  Re:\r\n  folded   subject ', 'folded subject'],
  ];
  for (const [input, base] of cases) it(JSON.stringify(input), () => expect(baseSubject(input)).toBe(base));
});

describe('reply and forward subjects', () => {
  it('replySubject puts one Re: before the base subject', () => {
    expect(replySubject('AW: WG: Order 12')).toBe('Re: Order 12');
    expect(replySubject('')).toBe('Re:');
    expect(forwardSubject('Re: Order 12')).toBe('Fwd: Order 12');
  });

  it('tells forward prefixes from reply prefixes', () => {
    for (const s of ['Fwd: x', 'WG: x', 'TR: x', 'RV: x', 'I: x', 'ENC: x', 'PD: x', 'VB: x', 'VL: x', 'Redir.: x', '[EXT] FW: x']) {
      expect(hasForwardPrefix(s), s).toBe(true);
    }
    for (const s of ['Re: x', 'AW: x', 'SV: x', 'Order 12', 'Fwdx: y']) expect(hasForwardPrefix(s), s).toBe(false);
    expect(hasReplyPrefix('AW: x')).toBe(true);
    expect(hasReplyPrefix('WG: x')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  MessageIdError,
  newMessageId,
  normaliseMessageId,
  parseMessageIdList,
  tokenFromMessageId,
  tokenFromMessageIds,
} from '../../../src/core/message-id.ts';

describe('newMessageId', () => {
  it('carries the token at our domain, bare', () => {
    const id = newMessageId({ token: 'c7Xk2', domain: 'Acme.COM' });
    expect(id).toMatch(/^mr\.c7Xk2\.[A-Za-z0-9_-]{20}@acme\.com$/);
    expect(id).not.toMatch(/[<>\s]/);
  });

  it('is unique per call', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId({ token: 't1', domain: 'acme.com' })));
    expect(ids.size).toBe(1000);
  });

  it('round-trips through tokenFromMessageId and normaliseMessageId', () => {
    const id = newMessageId({ token: 'tok_42-a', domain: 'mail.acme.com' });
    expect(normaliseMessageId(`<${id}>`)).toBe(id);
    expect(tokenFromMessageId(id)).toBe('tok_42-a');
  });

  it.each([
    ['token with a dot', { token: 'a.b', domain: 'acme.com' }],
    ['empty token', { token: '', domain: 'acme.com' }],
    ['token with CRLF', { token: 'a\r\nBcc: x', domain: 'acme.com' }],
    ['domain with space', { token: 'a', domain: 'acme .com' }],
    ['domain with angle bracket', { token: 'a', domain: 'acme.com>' }],
    ['domain with @', { token: 'a', domain: 'x@acme.com' }],
    ['random part with @', { token: 'a', domain: 'acme.com', random: 'abc@def' }],
  ])('refuses %s', (_name, input) => {
    expect(() => newMessageId(input)).toThrow(MessageIdError);
    try {
      newMessageId(input);
    } catch (error) {
      expect((error as MessageIdError).code).toBe('message_id.invalid');
    }
  });
});

describe('tokenFromMessageId', () => {
  it('finds ours anywhere in a References value, newest first', () => {
    const refs = '<CAF=abc@mail.gmail.com>\r\n <mr.old.aaaaaaaa@acme.com> <x@y.org> <mr.new.bbbbbbbb@acme.com> <z@y.org>';
    expect(tokenFromMessageId(refs)).toBe('new');
  });

  it('is case-insensitive on the prefix and ignores foreign ids', () => {
    expect(tokenFromMessageId('<MR.Tok9.abcdefgh@Acme.com>')).toBe('Tok9');
    expect(tokenFromMessageId('<abc.def@acme.com>')).toBeNull();
    expect(tokenFromMessageId('<mr.tok@acme.com>')).toBeNull();
    expect(tokenFromMessageId('')).toBeNull();
  });

  it('can be limited to our domains', () => {
    const id = 'mr.tok.abcdefgh@evil.example';
    expect(tokenFromMessageId(id)).toBe('tok');
    expect(tokenFromMessageId(id, { domains: ['acme.com'] })).toBeNull();
    expect(tokenFromMessageId('mr.tok.abcdefgh@ACME.com', { domains: ['acme.com'] })).toBe('tok');
  });

  it('tokenFromMessageIds takes the first match of a list', () => {
    expect(tokenFromMessageIds(['a@b.c', '<mr.one.abcdefgh@acme.com>', 'mr.two.abcdefgh@acme.com'])).toBe('one');
    expect(tokenFromMessageIds(['garbage', 'a@b.c'])).toBeNull();
  });
});

describe('normaliseMessageId', () => {
  it.each([
    ['<abc@example.com>', 'abc@example.com'],
    ['  <abc@example.com>  ', 'abc@example.com'],
    ['abc@example.com', 'abc@example.com'],
    ['<abc@\r\n example.com>', 'abc@example.com'],
    ['<CAF+x=y_z/1@mail.gmail.com>', 'CAF+x=y_z/1@mail.gmail.com'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseMessageId(raw)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['<>'],
    ['<abc@example.com'],
    ['no-at-sign'],
    ['@example.com'],
    ['abc@'],
    ['<a@b> <c@d>'],
    ['hello world@x'],
    ['abc@exa\u00e9mple.com'],
    ['abc@example.com\r\nBcc: evil@x.com'],
    ['a\u0000b@c'],
    ['x'.repeat(300) + '@example.com'],
  ])('rejects %j', (raw) => {
    expect(normaliseMessageId(raw)).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(normaliseMessageId(null)).toBeNull();
    expect(normaliseMessageId(undefined)).toBeNull();
  });
});

describe('parseMessageIdList', () => {
  it('reads bracketed, folded and bare lists, dropping garbage and duplicates', () => {
    expect(parseMessageIdList('<a@x> <b@x>\r\n\t<a@x> <bad> <c@\r\n x>')).toEqual(['a@x', 'b@x', 'c@x']);
    expect(parseMessageIdList('a@x, b@x c@x')).toEqual(['a@x', 'b@x', 'c@x']);
    expect(parseMessageIdList(null)).toEqual([]);
  });
});

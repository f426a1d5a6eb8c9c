import { describe, expect, it } from 'vitest';
import {
  HeaderInjectionError,
  assertHeaderSafe,
  cleanHeaderText,
  displayName,
  formatAddress,
  hasUnsafeHeaderChars,
  isValidAddress,
  parseAddressList,
} from '../../../src/core/addresses.ts';

describe('parseAddressList', () => {
  it('reads names, bare addresses and mixed separators', () => {
    const result = parseAddressList('Ana <ana@x.com>, bob@y.org; "Smith, J" <j@z.com>\ncy@w.net');
    expect(result.ok).toBe(true);
    expect(result.invalid).toEqual([]);
    expect(result.addresses).toEqual([
      { name: 'Ana', address: 'ana@x.com' },
      { name: '', address: 'bob@y.org' },
      { name: 'Smith, J', address: 'j@z.com' },
      { name: '', address: 'cy@w.net' },
    ]);
  });

  it('reads space-separated addresses and Slack mailto/entity forms', () => {
    expect(parseAddressList('a@x.com b@y.org').addresses.map((a) => a.address)).toEqual(['a@x.com', 'b@y.org']);
    expect(parseAddressList('<mailto:ana@x.com|ana@x.com>, Bob &lt;bob@y.org&gt;').addresses).toEqual([
      { name: '', address: 'ana@x.com' },
      { name: 'Bob', address: 'bob@y.org' },
    ]);
  });

  it('removes duplicates case-insensitively, keeping the first', () => {
    expect(parseAddressList('Ana <ana@x.com>, ANA@X.COM').addresses).toEqual([{ name: 'Ana', address: 'ana@x.com' }]);
  });

  it('reports what it cannot read, as typed', () => {
    const result = parseAddressList('ana@x.com, not an address, bob@, @y.org, c@localhost, Ana <ana@x.com');
    expect(result.ok).toBe(false);
    expect(result.addresses).toEqual([{ name: '', address: 'ana@x.com' }]);
    expect(result.invalid).toEqual(['not an address', 'bob@', '@y.org', 'c@localhost', 'Ana <ana@x.com']);
  });

  it('an empty list is ok and empty', () => {
    expect(parseAddressList('  , ;\n')).toEqual({ ok: true, addresses: [], invalid: [] });
  });

  it('cannot smuggle a Bcc header through a line break', () => {
    const result = parseAddressList('ana@x.com\r\nBcc: evil@x.com');
    expect(result.ok).toBe(false);
    expect(result.invalid).toEqual(['Bcc: evil@x.com']);
    const quoted = parseAddressList('"Ana\r\nBcc: evil@x.com" <ana@x.com>');
    expect(quoted.ok).toBe(false);
    expect(quoted.addresses).toEqual([]);
  });
});

describe('isValidAddress', () => {
  it.each(['ana@x.com', 'a.b+tag@sub.example.co.uk', "o'neil@x.ie", 'user@bücher.de', 'x@xn--bcher-kva.de'])('accepts %s', (a) => {
    expect(isValidAddress(a)).toBe(true);
  });
  it.each(['ana', 'ana@', '@x.com', 'a@b', 'a..b@x.com', '.a@x.com', 'a b@x.com', 'a@-x.com', 'a@x.c0m', 'a@x.com\n', 'ä@x.com', `${'a'.repeat(65)}@x.com`])(
    'rejects %j',
    (a) => {
      expect(isValidAddress(a)).toBe(false);
    },
  );
});

describe('header safety', () => {
  it.each(['a\r\nBcc: x@y.z', 'a\nb', 'a\rb', 'a\u0000b', 'a\u001bb', 'a\u2028b', 'a\u0085b', 'a\u007fb'])('flags %j', (value) => {
    expect(hasUnsafeHeaderChars(value)).toBe(true);
    expect(() => assertHeaderSafe(value, 'subject')).toThrow(HeaderInjectionError);
  });

  it('passes ordinary text, tabs and non-ASCII', () => {
    for (const value of ['Re: Order #42', 'tab\there', 'Grüße — 你好 🎉']) {
      expect(hasUnsafeHeaderChars(value)).toBe(false);
      expect(() => assertHeaderSafe(value, 'subject')).not.toThrow();
    }
  });

  it('the error has a stable code and names the field', () => {
    try {
      assertHeaderSafe('x\ny', 'subject');
      expect.unreachable();
    } catch (error) {
      expect((error as HeaderInjectionError).code).toBe('email.header_injection');
      expect((error as HeaderInjectionError).field).toBe('subject');
    }
  });

  it('cleanHeaderText folds controls into single spaces', () => {
    expect(cleanHeaderText('  Hello\r\n\tBcc: x  world ')).toBe('Hello Bcc: x world');
    expect(hasUnsafeHeaderChars(cleanHeaderText('a\u2028b\u0000c'))).toBe(false);
  });
});

describe('displayName', () => {
  it('says who answered for which inbox', () => {
    expect(displayName('Ana', 'Acme Support')).toBe('Ana (Acme Support)');
  });
  it('falls back to whichever part exists', () => {
    expect(displayName('', 'Acme Support')).toBe('Acme Support');
    expect(displayName('Ana', '  ')).toBe('Ana');
    expect(displayName('', '')).toBe('');
  });
  it('removes line breaks, bidi overrides and angle brackets, and caps the length', () => {
    expect(displayName('Ana\r\nBcc: evil@x.com', 'Support')).toBe('Ana Bcc: evil@x.com (Support)');
    expect(displayName('\u202eanA', 'S<up>port')).toBe('anA (Support)');
    const long = displayName('x'.repeat(500), 'Support');
    expect(long).toBe(`${'x'.repeat(64)} (Support)`);
    expect(hasUnsafeHeaderChars(displayName('a\u0000\u2029b', 'c\nd'))).toBe(false);
  });
});

describe('formatAddress', () => {
  it('formats bare, plain and quoted names', () => {
    expect(formatAddress({ name: '', address: 'a@x.com' })).toBe('a@x.com');
    expect(formatAddress({ name: 'Ana Lima', address: 'a@x.com' })).toBe('Ana Lima <a@x.com>');
    expect(formatAddress({ name: 'Smith, J "Jo"', address: 'j@x.com' })).toBe('"Smith, J \\"Jo\\"" <j@x.com>');
  });
  it('round-trips through parseAddressList', () => {
    const original = { name: 'Smith, J (Sales)', address: 'j@x.com' };
    expect(parseAddressList(formatAddress(original)).addresses).toEqual([original]);
  });
});

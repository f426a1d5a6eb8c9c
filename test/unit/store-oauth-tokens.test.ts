// Stored refresh tokens: kept per inbox, encrypted at rest with MAILROOM_SECRET_KEY, a wrong or
// missing key said at start, and the database file readable by its owner only.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, createStore, openDb } from '../../src/store/index.ts';
import { configuredHash } from '../../src/store/oauth-tokens.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-store-'));
  dirs.push(dir);
  return join(dir, 'mailroom.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const KEY = 'a-long-enough-secret-key-0123456789';
const TOKEN = 'refresh-Token-9b1f7e';

describe('stored refresh tokens', () => {
  it('keeps one per inbox, replaced on save', () => {
    const store = createStore(openDb(':memory:'));
    expect(store.oauthTokens.get('support')).toBeUndefined();
    store.oauthTokens.save('support', { refreshToken: 'a', configuredHash: configuredHash('cfg'), source: 'config' }, 1);
    store.oauthTokens.save('support', { refreshToken: 'b', configuredHash: configuredHash('cfg'), source: 'rotated' }, 2);
    store.oauthTokens.save('sales', { refreshToken: 'c', configuredHash: null, source: 'auth' }, 3);
    expect(store.oauthTokens.get('support')).toEqual({ refreshToken: 'b', configuredHash: configuredHash('cfg'), source: 'rotated', updatedAt: 2 });
    expect(store.oauthTokens.get('sales')?.refreshToken).toBe('c');
  });

  it('the configured token is remembered by a hash, never itself', () => {
    expect(configuredHash(TOKEN)).not.toContain(TOKEN);
    expect(configuredHash(TOKEN)).toBe(configuredHash(TOKEN));
    expect(configuredHash(TOKEN)).not.toBe(configuredHash(`${TOKEN}x`));
    expect(configuredHash(null)).toBeNull();
  });

  it('with MAILROOM_SECRET_KEY the token is not in the file, and reads back', () => {
    const path = tempDb();
    const db = openDb(path);
    const store = createStore(db, { secretKey: KEY });
    expect(store.oauthTokens.keyProblem()).toBeNull();
    store.oauthTokens.save('support', { refreshToken: TOKEN, configuredHash: null, source: 'auth' });
    closeDb(db);
    const bytes = readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain(TOKEN);
    const again = createStore(openDb(path), { secretKey: KEY });
    expect(again.oauthTokens.keyProblem()).toBeNull();
    expect(again.oauthTokens.get('support')?.refreshToken).toBe(TOKEN);
  });

  it('a wrong key, or no key for encrypted tokens, is a clear start-up problem', () => {
    const path = tempDb();
    const db = openDb(path);
    const store = createStore(db, { secretKey: KEY });
    store.oauthTokens.keyProblem();
    store.oauthTokens.save('support', { refreshToken: TOKEN, configuredHash: null, source: 'auth' });
    closeDb(db);
    expect(createStore(openDb(path), { secretKey: `${KEY}-other` }).oauthTokens.keyProblem()).toMatch(
      /^MAILROOM_SECRET_KEY does not match the key the sign-in tokens in this database were encrypted with/,
    );
    expect(createStore(openDb(path)).oauthTokens.keyProblem()).toMatch(/^MAILROOM_SECRET_KEY is not set, but the sign-in tokens stored in this database are encrypted/);
  });

  it('a wrong key is caught even before any token is stored', () => {
    const path = tempDb();
    const db = openDb(path);
    expect(createStore(db, { secretKey: KEY }).oauthTokens.keyProblem()).toBeNull();
    closeDb(db);
    expect(createStore(openDb(path), { secretKey: `${KEY}-other` }).oauthTokens.keyProblem()).toMatch(/does not match/);
  });

  it('tokens stored before a key was set are encrypted once it is', () => {
    const path = tempDb();
    const db = openDb(path);
    createStore(db).oauthTokens.save('support', { refreshToken: TOKEN, configuredHash: null, source: 'auth' });
    const raw = () => db.$client.prepare('select refresh_token from oauth_tokens').pluck().get() as string;
    expect(raw()).toBe(TOKEN);
    const keyed = createStore(db, { secretKey: KEY });
    expect(keyed.oauthTokens.keyProblem()).toBeNull();
    expect(raw()).toMatch(/^enc:v1:/);
    expect(keyed.oauthTokens.get('support')?.refreshToken).toBe(TOKEN);
  });
});

describe('the database file', () => {
  it('is created readable by its owner only', () => {
    const path = tempDb();
    closeDb(openDb(path));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('an existing file open to others is tightened', () => {
    const path = tempDb();
    writeFileSync(path, '', { mode: 0o644 });
    closeDb(openDb(path));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

// The refresh tokens inboxes sign in with (OAuth2), one per inbox key, encrypted at rest when a
// secret key is configured. A row is written before the access token that came with it is used,
// so a crash never leaves the only valid refresh token in memory.
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { oauthTokens, settings } from './schema.ts';
import { createSecretBox, isSealed, type SecretBox } from './secret-box.ts';

export type TokenSource = 'config' | 'rotated' | 'auth';

export interface StoredRefreshToken {
  refreshToken: string;
  /** Hash of the configured refresh token when the row was written (null: none was configured). */
  configuredHash: string | null;
  source: TokenSource;
  updatedAt: number;
}

/** What a refresh token in the configuration is remembered by (never the token itself). */
export const configuredHash = (token: string | null): string | null =>
  token ? createHash('sha256').update(token).digest('base64url').slice(0, 22) : null;

const CHECK = 'mailroom';

function saltOf(db: Db): Buffer {
  const get = () => db.select({ v: settings.value }).from(settings).where(eq(settings.key, 'secret_salt')).get()?.v;
  if (!get()) db.insert(settings).values({ key: 'secret_salt', value: randomBytes(16).toString('base64url') }).onConflictDoNothing().run();
  return Buffer.from(get()!, 'base64url');
}

export function createOAuthTokenRepo({ db, secretKey }: { db: Db; secretKey: string | null }) {
  let box: SecretBox | null = null;
  // The salt and the scrypt key are made on first use: most installs never store a token.
  const secrets = () => (box ??= createSecretBox({ secret: secretKey, salt: saltOf(db) }));
  const setting = (key: string) => db.select({ v: settings.value }).from(settings).where(eq(settings.key, key)).get()?.v;

  return {
    /**
     * Why the configured MAILROOM_SECRET_KEY can't be used with this database, or null. Run once at
     * start: a wrong key stops Mailroom with this line instead of failing at every sign-in. With a
     * key, tokens stored before it was set are encrypted now.
     */
    keyProblem(): string | null {
      const rows = db.select().from(oauthTokens).all();
      const check = setting('secret_check');
      const sealed = rows.some((r) => isSealed(r.refreshToken)) || (check !== undefined && isSealed(check));
      if (!secretKey)
        return sealed ? 'MAILROOM_SECRET_KEY is not set, but the sign-in tokens stored in this database are encrypted: set it to the key they were stored with' : null;
      try {
        if (check !== undefined && secrets().open(check) !== CHECK) throw new Error('mismatch');
        for (const r of rows) secrets().open(r.refreshToken);
      } catch {
        return 'MAILROOM_SECRET_KEY does not match the key the sign-in tokens in this database were encrypted with: set it back to that key';
      }
      db.$client.transaction(() => {
        db.insert(settings).values({ key: 'secret_check', value: secrets().seal(CHECK) }).onConflictDoUpdate({ target: settings.key, set: { value: secrets().seal(CHECK) } }).run();
        for (const r of rows)
          if (!isSealed(r.refreshToken)) db.update(oauthTokens).set({ refreshToken: secrets().seal(r.refreshToken) }).where(eq(oauthTokens.inboxKey, r.inboxKey)).run();
      })();
      return null;
    },
    get(inboxKey: string): StoredRefreshToken | undefined {
      const r = db.select().from(oauthTokens).where(eq(oauthTokens.inboxKey, inboxKey)).get();
      if (!r) return undefined;
      return { refreshToken: secrets().open(r.refreshToken), configuredHash: r.configuredHash, source: r.source as TokenSource, updatedAt: r.updatedAt };
    },
    save(inboxKey: string, t: { refreshToken: string; configuredHash: string | null; source: TokenSource }, at = Date.now()): void {
      const row = { refreshToken: secrets().seal(t.refreshToken), configuredHash: t.configuredHash, source: t.source, updatedAt: at };
      db.insert(oauthTokens).values({ inboxKey, ...row }).onConflictDoUpdate({ target: oauthTokens.inboxKey, set: row }).run();
    },
    remove(inboxKey: string): void {
      db.delete(oauthTokens).where(eq(oauthTokens.inboxKey, inboxKey)).run();
    },
  };
}
export type OAuthTokenRepo = ReturnType<typeof createOAuthTokenRepo>;

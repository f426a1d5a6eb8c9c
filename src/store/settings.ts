import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { settings } from './schema.ts';

export function createSettingsRepo(db: Db) {
  const get = (key: string) => db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;
  return {
    get,
    set(key: string, value: string): void {
      db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
    },
    /**
     * This install's random id, made on first use. It goes into the metadata of every post, so
     * that reconciling after a crash never adopts a post made by another database (a second
     * install in the same channel, or this one before a reset).
     */
    installId(): string {
      const existing = get('install_id');
      if (existing) return existing;
      const id = randomBytes(9).toString('base64url');
      db.insert(settings).values({ key: 'install_id', value: id }).onConflictDoNothing().run();
      return get('install_id')!;
    },
  };
}

// Signatures: a teammate's own, and an inbox's when a member set one (else the YAML's, which the
// configuration holds). Text as Slack stores it.
import { and, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { signatures } from './schema.ts';

export type SignatureScope = 'user' | 'inbox';

export function createSignatureRepo(db: Db) {
  return {
    get(scope: SignatureScope, owner: string): string | null {
      return db.select({ body: signatures.body }).from(signatures).where(and(eq(signatures.scope, scope), eq(signatures.owner, owner))).get()?.body ?? null;
    },
    set(scope: SignatureScope, owner: string, body: string, by: string, at = Date.now()): void {
      db.insert(signatures)
        .values({ scope, owner, body, updatedBy: by, updatedAt: at })
        .onConflictDoUpdate({ target: [signatures.scope, signatures.owner], set: { body, updatedBy: by, updatedAt: at } })
        .run();
    },
    /** True when there was one. */
    clear(scope: SignatureScope, owner: string): boolean {
      return db.delete(signatures).where(and(eq(signatures.scope, scope), eq(signatures.owner, owner))).run().changes > 0;
    },
  };
}
export type SignatureRepo = ReturnType<typeof createSignatureRepo>;

import { eq, sql } from 'drizzle-orm';
import type { Contact } from '../core/types.ts';
import type { Db } from './db.ts';
import { contacts } from './schema.ts';

export function createContactRepo(db: Db) {
  return {
    /** The contact for this address, created on first sight; a name fills in an empty one. */
    upsert(email: string, name: string): { contact: Contact; created: boolean } {
      const address = email.trim().toLowerCase();
      const existing = db.select().from(contacts).where(eq(contacts.email, address)).get();
      if (existing) {
        if (!existing.name && name) {
          db.update(contacts).set({ name }).where(eq(contacts.id, existing.id)).run();
          existing.name = name;
        }
        return { contact: { id: existing.id, email: existing.email, name: existing.name }, created: false };
      }
      const row = db.insert(contacts).values({ email: address, name }).returning().get();
      return { contact: { id: row.id, email: row.email, name: row.name }, created: true };
    },
    byId(id: number): Contact | undefined {
      return db.select({ id: contacts.id, email: contacts.email, name: contacts.name }).from(contacts).where(eq(contacts.id, id)).get();
    },
    byEmail(email: string): Contact | undefined {
      return db
        .select({ id: contacts.id, email: contacts.email, name: contacts.name })
        .from(contacts)
        .where(eq(contacts.email, email.trim().toLowerCase()))
        .get();
    },
    /** A contact with when it was first seen (ms). */
    details(id: number): (Contact & { createdAt: number }) | undefined {
      return db.select({ id: contacts.id, email: contacts.email, name: contacts.name, createdAt: contacts.createdAt }).from(contacts).where(eq(contacts.id, id)).get();
    },
    /** Other contacts at this domain (exactly, not subdomains), with how many conversations each has in these inboxes, most first. */
    atDomain(domain: string, exceptId: number, inboxIds: readonly number[], limit = 10): Array<Contact & { conversations: number }> {
      const suffix = `%@${domain.toLowerCase().replace(/[%_]/g, '')}`;
      const inboxes = inboxIds.length ? sql.join(inboxIds.map((i) => sql`${i}`), sql`, `) : sql`null`;
      return db
        .select({ id: contacts.id, email: contacts.email, name: contacts.name, // Spelled out: drizzle writes a bare "id" here, which the subquery would read as its own.
          conversations: sql<number>`(select count(*) from conversations c where c.contact_id = "contacts"."id" and c.moved_to_id is null and c.inbox_id in (${inboxes}))` })
        .from(contacts)
        .where(sql`${contacts.email} like ${suffix} and ${contacts.id} != ${exceptId}`)
        .orderBy(sql`4 desc`, contacts.email)
        .limit(limit)
        .all();
    },
    /** Type-ahead for pickers: address or name containing the query. */
    search(query: string, limit = 20): Contact[] {
      const q = `%${query.toLowerCase().replace(/[%_]/g, '')}%`;
      return db
        .select({ id: contacts.id, email: contacts.email, name: contacts.name })
        .from(contacts)
        .where(sql`${contacts.email} like ${q} or lower(${contacts.name}) like ${q}`)
        .limit(limit)
        .all();
    },
  };
}
export type ContactRepo = ReturnType<typeof createContactRepo>;

// Templates and snippets of each inbox. Names are unique per inbox, ignoring case: two templates
// called "Refund" and "refund" would be told apart by nobody in a select.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import type { Db } from './db.ts';
import { templates } from './schema.ts';

export interface Template {
  id: number;
  inboxId: number;
  name: string;
  body: string;
  updatedBy: string;
  updatedAt: number;
}

export interface TemplateInput {
  name: string;
  body: string;
  /** Slack user id of who saved it. */
  updatedBy: string;
}

export class DuplicateTemplateError extends AppError {
  constructor(name: string) {
    super('template.duplicate_name', `a template named "${name}" already exists in this inbox`, `This inbox already has a template called "${name}".`);
    this.name = 'DuplicateTemplateError';
  }
}

export function createTemplateRepo(db: Db) {
  const taken = (inboxId: number, name: string, exceptId?: number) =>
    !!db
      .select({ id: templates.id })
      .from(templates)
      .where(
        and(
          eq(templates.inboxId, inboxId),
          sql`lower(${templates.name}) = lower(${name})`,
          exceptId !== undefined ? ne(templates.id, exceptId) : undefined,
        ),
      )
      .get();
  return {
    /** An inbox's templates, by name. */
    list(inboxId: number): Template[] {
      return db.select().from(templates).where(eq(templates.inboxId, inboxId)).orderBy(asc(sql`lower(${templates.name})`), asc(templates.id)).all();
    },
    byId(id: number): Template | undefined {
      return db.select().from(templates).where(eq(templates.id, id)).get();
    },
    /** Throws `template.duplicate_name` when the inbox has one of that name. */
    create(inboxId: number, t: TemplateInput): Template {
      if (taken(inboxId, t.name)) throw new DuplicateTemplateError(t.name);
      return db.insert(templates).values({ inboxId, ...t, updatedAt: Date.now() }).returning().get();
    },
    /** Undefined when there is no such template; throws `template.duplicate_name` on a clash. */
    update(id: number, t: TemplateInput): Template | undefined {
      const current = this.byId(id);
      if (!current) return undefined;
      if (taken(current.inboxId, t.name, id)) throw new DuplicateTemplateError(t.name);
      return db.update(templates).set({ ...t, updatedAt: Date.now() }).where(eq(templates.id, id)).returning().get();
    },
    /** True when something was deleted. */
    delete(id: number): boolean {
      return db.delete(templates).where(eq(templates.id, id)).run().changes > 0;
    },
  };
}
export type TemplateRepo = ReturnType<typeof createTemplateRepo>;

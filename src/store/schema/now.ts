// The default of the created/updated columns: the time of the insert, in integer milliseconds
// since the epoch, as SQLite computes it.
import { sql } from 'drizzle-orm';

export const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

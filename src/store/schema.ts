// The whole schema, one file per group of tables in schema/, exported from here: this is the one
// module drizzle-kit (drizzle.config.ts) and db.ts read. Migrations are generated from it by
// drizzle-kit (npm run db:generate) and are append-only. Times are integer milliseconds since the
// epoch.
export * from './schema/inboxes.ts';
export * from './schema/conversations.ts';
export * from './schema/messages.ts';
export * from './schema/outbox.ts';
export * from './schema/time-keeping.ts';
export * from './schema/saved-texts.ts';
export * from './schema/install.ts';

// Consistent copies of the database while Mailroom runs, through SQLite's online backup API
// (better-sqlite3's db.backup). The copy is written beside its final name, checked, then renamed
// into place, so a backup file is never half-written, whatever happens during the copy.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './db.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
  conversations: number;
}

/** The largest step better-sqlite3 takes: every remaining page at once. */
const ALL_PAGES = 0x7fffffff;
/** In-process backups copy this many pages (4 MB at SQLite's default page size) per turn. */
const PAGES_PER_STEP = 1000;

async function copyInto(source: Database.Database, file: string, pagesPerStep: number): Promise<BackupResult> {
  const started = Date.now();
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    // Owner-only from the first byte, like the database: it holds sign-in tokens and mail.
    closeSync(openSync(temp, 'wx', 0o600));
    await source.backup(temp, { progress: () => pagesPerStep });
    const copy = new Database(temp, { fileMustExist: true });
    let conversations: number;
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed SQLite's check: ${String(check)}`);
      // A reader of the backup needs no -wal file beside it.
      copy.pragma('journal_mode = DELETE');
      conversations = (copy.prepare('select count(*) as n from conversations').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    renameSync(temp, file);
    return { file, bytes: statSync(file).size, ms: Date.now() - started, conversations };
  } finally {
    for (const leftover of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]) rmSync(leftover, { force: true });
  }
}

/**
 * The running app's own backup, on its own connection: SQLite brings the copy up to date with
 * whatever this connection writes meanwhile, so it is copied a few pages per turn and the app
 * carries on between them.
 */
export function backupDb(db: Db, file: string): Promise<BackupResult> {
  return copyInto(db.$client, file, PAGES_PER_STEP);
}

/**
 * `mailroom backup`: another process's copy of a database a running Mailroom may be writing.
 * One step under one read transaction (WAL lets the app write meanwhile), so the copy is the
 * database as it was when the backup began, and the app's writes can't restart it.
 */
export async function backupDatabaseFile(databasePath: string, file: string): Promise<BackupResult> {
  const source = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    return await copyInto(source, file, ALL_PAGES);
  } finally {
    source.close();
  }
}

// `mailroom backup FILE`: a consistent copy of the database (DATABASE_PATH) while Mailroom runs,
// through SQLite's online backup. Restore: stop Mailroom, put the copy in DATABASE_PATH's place
// (README: Running in production).
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import { loadDatabasePath } from '../config/load.ts';
import { backupDatabaseFile } from '../store/backup.ts';

const USAGE = `Usage: mailroom backup FILE

Writes a consistent copy of the database (DATABASE_PATH) to FILE, also while Mailroom runs. An
existing FILE is replaced only once the new copy is complete and checked.
Restore: stop Mailroom, move the database and its -wal and -shm files aside, copy FILE to
DATABASE_PATH, start Mailroom.
`;

const MB = 1024 * 1024;

/** The real path of `p`, through symbolic links; for a file yet to be written, its directory's. */
function realPath(p: string): string {
  return existsSync(p) ? realpathSync(p) : join(realpathSync(dirname(resolve(p))), basename(p));
}

export async function backupCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const files = args.filter((a) => !a.startsWith('-'));
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown || files.length !== 1) {
    process.stderr.write(`mailroom backup: ${unknown ? `unknown argument ${unknown}` : 'name one file to write the backup to'}\n\n${USAGE}`);
    return 2;
  }
  const file = files[0]!;
  // The same .env as `mailroom start` reads, so this is the database it runs on.
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  let databasePath: string;
  try {
    databasePath = loadDatabasePath(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.problems) process.stderr.write(`mailroom: configuration error: ${line}\n`);
    return 1;
  }
  if (!existsSync(databasePath)) {
    process.stderr.write(`mailroom backup: there is no database at ${databasePath} (DATABASE_PATH)\n`);
    return 1;
  }
  if (!existsSync(dirname(resolve(file)))) {
    process.stderr.write(`mailroom backup: the directory of ${file} does not exist\n`);
    return 1;
  }
  if (realPath(file) === realPath(databasePath)) {
    process.stderr.write(`mailroom backup: ${file} is the database itself; name another file\n`);
    return 2;
  }
  try {
    const r = await backupDatabaseFile(databasePath, file);
    process.stdout.write(`Backed up ${databasePath} to ${file}: ${r.conversations} conversations, ${(r.bytes / MB).toFixed(1)} MB, in ${r.ms} ms.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`mailroom backup: the backup failed: ${(err as Error).message}\n`);
    return 1;
  }
}

// Rotating daily backups taken by the running app (MAILROOM_BACKUP_DIR, MAILROOM_BACKUP_KEEP):
// soon after start and then every hour it looks whether today's backup exists, takes it if not,
// and deletes the oldest beyond `keep`. A restart never takes a second one the same day; a failed
// one (disk full, say) is logged and tried again at the next look.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { backupDay, backupName, backupsToRemove } from '../core/backups.ts';
import { describeError } from '../errors.ts';
import type { BackupResult } from '../store/backup.ts';

export interface DailyBackupsDeps {
  dir: string;
  keep: number;
  /** Writes a consistent copy of the database to `file`. */
  backup: (file: string) => Promise<BackupResult>;
  logger: Logger;
  now?: () => Date;
  /** First look after start (default 1 minute: start-up and catch-up go first). */
  firstDelayMs?: number;
  /** Later looks (default 1 hour). */
  everyMs?: number;
}

export function createDailyBackups(deps: DailyBackupsDeps) {
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = look().finally(() => {
        running = null;
        schedule(deps.everyMs ?? 60 * 60_000);
      });
    }, ms);
    timer.unref();
  };

  async function look(): Promise<void> {
    const name = backupName(now());
    try {
      mkdirSync(deps.dir, { recursive: true, mode: 0o700 });
      const present = readdirSync(deps.dir);
      if (!present.includes(name)) {
        const r = await deps.backup(join(deps.dir, name));
        deps.logger.info({ file: r.file, bytes: r.bytes, ms: r.ms, conversations: r.conversations }, 'daily backup written');
      }
      for (const old of backupsToRemove(readdirSync(deps.dir), deps.keep)) {
        rmSync(join(deps.dir, old), { force: true });
        deps.logger.info({ file: join(deps.dir, old), day: backupDay(old) }, 'old backup removed');
      }
    } catch (err) {
      deps.logger.error({ dir: deps.dir, err: describeError(err) }, 'daily backup failed; trying again within the hour');
    }
  }

  return {
    start(): void {
      schedule(deps.firstDelayMs ?? 60_000);
    },
    /** Stops looking; a backup under way is finished first (the database closes after this). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

// Daily backups' names and rotation: `mailroom-2026-12-03.db`, one a day (by UTC date), the
// newest `keep` kept. Pure: names and dates in, names out.

const NAME = /^mailroom-(\d{4}-\d{2}-\d{2})\.db$/;

/** The backup file name for the day of `at` (UTC). */
export function backupName(at: Date): string {
  return `mailroom-${at.toISOString().slice(0, 10)}.db`;
}

/** The day a backup's name stands for, or null for any other file. */
export function backupDay(name: string): string | null {
  return NAME.exec(name)?.[1] ?? null;
}

/** Of the files in the backup directory, the backups to delete so that the newest `keep` stay. */
export function backupsToRemove(names: readonly string[], keep: number): string[] {
  const backups = names.filter((n) => backupDay(n) !== null).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}

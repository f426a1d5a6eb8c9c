import { describe, expect, it } from 'vitest';
import { loadConfig, loadDatabasePath } from '../../src/config/load.ts';
import { backupDay, backupName, backupsToRemove } from '../../src/core/backups.ts';

describe('daily backup names and rotation', () => {
  it('names a backup by its UTC day', () => {
    expect(backupName(new Date('2026-12-03T23:59:59.000Z'))).toBe('mailroom-2026-12-03.db');
    expect(backupName(new Date('2026-12-04T00:00:00.000Z'))).toBe('mailroom-2026-12-04.db');
    expect(backupDay('mailroom-2026-12-03.db')).toBe('2026-12-03');
    for (const other of ['mailroom.db', 'mailroom-2026-12-03.db-wal', '.mailroom-2026-12-03.db.1a2b.partial', 'notes.txt']) expect(backupDay(other)).toBeNull();
  });

  it('removes the oldest backups beyond keep, and nothing that is not a backup', () => {
    const names = ['mailroom-2026-11-30.db', 'notes.txt', 'mailroom-2026-12-02.db', 'mailroom-2026-12-01.db', 'mailroom-2026-12-03.db', '.mailroom-2026-11-01.db.aa.partial'];
    expect(backupsToRemove(names, 2)).toEqual(['mailroom-2026-11-30.db', 'mailroom-2026-12-01.db']);
    expect(backupsToRemove(names, 4)).toEqual([]);
    expect(backupsToRemove(names, 7)).toEqual([]);
    expect(backupsToRemove(names, 1)).toEqual(['mailroom-2026-11-30.db', 'mailroom-2026-12-01.db', 'mailroom-2026-12-02.db']);
  });
});

describe('backup settings', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CHANNEL: 'C0123456789', MAILROOM_ADDRESS: 'a@b.co', IMAP_HOST: 'h', IMAP_USER: 'u', IMAP_PASSWORD: 'p', SMTP_HOST: 'h' };
  it('are off by default and keep 7 when on; a bad KEEP is named', () => {
    expect(loadConfig(env).backup).toEqual({ dir: null, keep: 7 });
    expect(loadConfig({ ...env, MAILROOM_BACKUP_DIR: '/var/backups/mailroom', MAILROOM_BACKUP_KEEP: '14' }).backup).toEqual({ dir: '/var/backups/mailroom', keep: 14 });
    expect(() => loadConfig({ ...env, MAILROOM_BACKUP_KEEP: '0' })).toThrow(/MAILROOM_BACKUP_KEEP must be a whole number/);
    expect(loadDatabasePath({})).toBe('./data/mailroom.db');
    expect(loadDatabasePath({ DATABASE_PATH: '/data/mailroom.db', SLACK_BOT_TOKEN: 'nonsense' })).toBe('/data/mailroom.db');
  });
});

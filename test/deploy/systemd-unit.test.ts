// deploy/mailroom.service as systemd itself reads it: `systemd-analyze verify` (which exits 0 even
// when it ignores a line it can't parse, so any output fails the test) and the offline security
// review, plus the settings the README promises.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/tmp.ts';

const UNIT = join(import.meta.dirname, '..', '..', 'deploy', 'mailroom.service');
const text = readFileSync(UNIT, 'utf8');
const dir = makeTempDir('mailroom-unit-');
afterAll(() => dir.remove());

/** The unit's settings, `Key` → values in order (comments and sections dropped). */
function settings(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

/** The unit as this machine can check it: verify also checks that ExecStart's program exists. */
function checkable(): string {
  const copy = join(dir.path, 'mailroom.service');
  if (existsSync('/usr/bin/node')) copyFileSync(UNIT, copy);
  else writeFileSync(copy, text.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
  return copy;
}

describe('deploy/mailroom.service', () => {
  it('passes systemd-analyze verify without a single warning', () => {
    const run = spawnSync('systemd-analyze', ['verify', checkable()], { cwd: dir.path, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });

  it('is hardened: its own user, a state directory, a read-only system, restarts on failure', () => {
    const s = settings();
    expect(s.get('DynamicUser')).toEqual(['yes']);
    expect(s.get('StateDirectory')).toEqual(['mailroom']);
    expect(s.get('ProtectSystem')).toEqual(['strict']);
    expect(s.get('Restart')).toEqual(['on-failure']);
    expect(s.get('NoNewPrivileges')).toEqual(['yes']);
    expect(s.get('CapabilityBoundingSet')).toEqual(['']);
    // The database and backups are in the state directory, the one place it may write.
    expect(s.get('Environment')).toEqual(expect.arrayContaining(['DATABASE_PATH=%S/mailroom/mailroom.db', 'MAILROOM_BACKUP_DIR=%S/mailroom/backups']));
    expect(s.get('ExecStart')?.[0]).toMatch(/ \/opt\/mailroom\/bin\/mailroom\.js start$/);
    expect(s.get('WorkingDirectory')).toEqual(['/opt/mailroom']);
    // Node's JIT needs writable executable memory: this one setting would stop it from starting.
    expect(s.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it("scores 2.0 or better (lower is safer) in systemd's offline security review", () => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', checkable()], { cwd: dir.path, encoding: 'utf8' });
    const score = Number(/Overall exposure level for mailroom\.service: ([\d.]+)/.exec(out)?.[1]);
    expect(score).toBeLessThanOrEqual(2.0);
  });
});

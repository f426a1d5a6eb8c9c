/** Temporary directories for tests, removed by the test or, failing that, when the process exits. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  path: string;
  /** Deletes the directory and everything in it. */
  remove(): void;
}

const leftovers = new Set<string>();
let exitHookInstalled = false;

/** Creates a fresh directory under the OS temp dir (mode 0700), removed at exit if not before. */
export function makeTempDir(prefix = 'mailroom-test-'): TempDir {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  leftovers.add(dir);
  return {
    path: dir,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(dir);
    },
  };
}

// Reading the app process's memory from outside: RSS as the OS sees it, steadied over a few
// readings, and what is left after a full GC, asked of the preload tools/heap-probe.mjs (which
// tells live memory, a leak, from garbage V8 has not collected yet).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRig } from './app-rig.ts';
import { sleep, waitFor } from '../test/support/wait.ts';

/** Preload for the app (NODE_OPTIONS=--import …): a full GC and a log line on SIGUSR2. */
export const HEAP_PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tools', 'heap-probe.mjs');

/** How long the app is left alone before "settled" readings: V8 gives unused heap back to the
 * OS only after ~30–40 s without much allocation (measured: 174 MB at 25 s, 123 MB at 40 s). */
export const SETTLE_MS = 45_000;

/** RSS samples every `everyMs` until stopped; returns the highest seen. */
export function sampler(read: () => number, everyMs: number) {
  let max = 0;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, read());
    } catch {
      // the process is gone; the caller will notice
    }
  }, everyMs);
  return { stop: () => (clearInterval(timer), max) };
}

/** The median of a few readings a little apart. */
export async function steadyRss(read: () => number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(read());
    await sleep(200);
  }
  return readings.sort((a, b) => a - b)[2]!;
}

export interface AfterGc {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Asks the app's heap probe for a full GC and returns what it reported. */
export async function afterFullGc(rig: BenchRig): Promise<AfterGc> {
  const before = rig.logs().filter((e) => e.msg === 'bench: memory after full GC').length;
  rig.app.child.kill('SIGUSR2');
  return waitFor(() => rig.logs().filter((e) => e.msg === 'bench: memory after full GC')[before] as AfterGc | undefined, {
    timeoutMs: 10_000,
    description: 'the heap probe to answer SIGUSR2',
  });
}

// Preload for the app in the memory benchmark: on SIGUSR2 it runs a full garbage collection and
// writes the memory figures as one JSON log line, so the benchmark can tell live memory (a leak)
// from garbage V8 has simply not collected yet. Adds a signal listener and nothing else.
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  const m = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ time: Date.now(), msg: 'bench: memory after full GC', ...m })}\n`);
});

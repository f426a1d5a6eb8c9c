// Preload for profiling the app under a benchmark (Node 20 refuses --cpu-prof in NODE_OPTIONS):
//   BENCH_APP_NODE_OPTIONS='--import ./bench/tools/cpu-profile.mjs' npm run bench -- --only memory
// Writes a .cpuprofile (open in Chrome DevTools or speedscope) to CPU_PROFILE_DIR (default
// /tmp) when the process exits.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () => {
  // A session on this thread answers synchronously, so this completes inside the exit handler.
  session.post('Profiler.stop', (err, result) => {
    if (err) return;
    const file = path.join(process.env.CPU_PROFILE_DIR ?? '/tmp', `mailroom-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(result.profile));
    process.stderr.write(`cpu profile written to ${file}\n`);
  });
});

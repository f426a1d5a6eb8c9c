// Preload for the app in the attachment benchmark: writes the process's memory every
// MEMORY_TRACE_MS (default 25) as one JSON log line, so a peak can be put next to the app's own
// log lines (fetched, ingested, posted...) and split into JS heap, Buffers and the rest.
//   BENCH_APP_NODE_OPTIONS='--import ./bench/tools/memory-trace.mjs' npm run bench -- --only attachment
const every = Number(process.env.MEMORY_TRACE_MS ?? 25);
const timer = setInterval(() => {
  const m = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ time: Date.now(), msg: 'bench: memory', rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
}, every);
timer.unref();

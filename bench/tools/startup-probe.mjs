// Start-up split, run as its own process by the start-up benchmark: how long Node takes to boot,
// to register tsx (as bin/mailroom.js does), and to import the modules named in PROBE_MODULES
// (comma-separated; paths starting with ./ are from the project root). Prints one JSON line; all
// times are ms since the process started (performance.now()).
const boot = performance.now();
if (process.env.PROBE_TSX) {
  const { register } = await import('tsx/esm/api');
  register();
}
const registered = performance.now();
const root = new URL('../../', import.meta.url);
for (const m of (process.env.PROBE_MODULES ?? '').split(',').filter(Boolean)) await import(m.startsWith('./') ? new URL(m, root).href : m);
const imported = performance.now();
process.stdout.write(`${JSON.stringify({ boot, tsx: registered - boot, modules: imported - registered, total: imported })}\n`);

// Preload for the soak: the app renews IDLE every 25 minutes (imapflow's maxIdleTime, set from the
// watcher's idleRestartMs); this shortens it to BENCH_IDLE_RENEWAL_MS for every client the app
// makes, so a run of minutes goes through many renewals. It also counts the IDLE commands sent and
// logs the count on SIGUSR2 (as heap-probe.mjs logs memory), so the bench can see renewals happen.
import { ImapFlow } from 'imapflow';

const renewalMs = Number(process.env.BENCH_IDLE_RENEWAL_MS);
if (!(renewalMs > 0)) throw new Error('idle-renewal.mjs needs BENCH_IDLE_RENEWAL_MS');
let sent = 0;
const { idle, exec } = ImapFlow.prototype;
ImapFlow.prototype.idle = function (...args) {
  this.maxIdleTime = renewalMs;
  return idle.apply(this, args);
};
ImapFlow.prototype.exec = function (command, ...args) {
  if (command === 'IDLE') sent++;
  return exec.call(this, command, ...args);
};
process.on('SIGUSR2', () => {
  process.stderr.write(`${JSON.stringify({ time: Date.now(), msg: 'bench: IDLE commands', sent, renewalMs })}\n`);
});

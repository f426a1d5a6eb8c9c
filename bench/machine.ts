// The machine a run was made on, printed with the table so figures can be compared.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  dovecot: string | null;
  /** 1-minute load average when the run started and when it ended: others' work skews figures. */
  load: { start: number; end: number };
}

export function describeMachine(loadAtStart: number): MachineInfo {
  let dovecot: string | null = null;
  try {
    dovecot = execFileSync('/usr/sbin/dovecot', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    dovecot = null;
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    dovecot,
    load: { start: round1(loadAtStart), end: round1(os.loadavg()[0]!) },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function machineLine(m: MachineInfo): string {
  const busy = Math.max(m.load.start, m.load.end) > m.cores ? ' (busy: other work competed for the CPU; latencies and rates are pessimistic)' : '';
  return [
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}${m.dovecot ? `, Dovecot ${m.dovecot}` : ''}`,
    `load average (1 min): ${m.load.start} at start, ${m.load.end} at end${busy}`,
  ].join('\n');
}

// `mailroom doctor [--json]`: run the checks and print one line each, then a summary. Exit 0 when
// nothing failed (warnings allowed), 1 otherwise; 2 for a bad command line.
import { existsSync } from 'node:fs';
import { runDoctor, type DoctorCheck, type DoctorReport } from '../doctor/run-doctor.ts';

const USAGE = `Usage: mailroom doctor [--json]

Checks the configuration and every connection: IMAP login, mailbox and IDLE, the Sent folder,
SMTP login, the Slack bot token and its scopes, the bot in each inbox channel, Socket Mode.
`;

export function formatCheck(check: DoctorCheck): string {
  const mark = !check.ok ? '✘' : check.warning ? '!' : '✔';
  return `${mark} ${check.name} — ${check.detail}`;
}

export function formatSummary(report: DoctorReport): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const counts = `${n(report.passed, 'check')} passed (${n(report.warnings, 'warning')}), ${report.failed} failed`;
  return report.ok ? `All good: ${counts}.` : `Problems found: ${counts}. Fix the ✘ lines above and run mailroom doctor again.`;
}

export function formatReport(report: DoctorReport): string {
  return `${[...report.checks.map(formatCheck), '', formatSummary(report)].join('\n')}\n`;
}

export async function doctorCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let json = false;
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      return 0;
    } else {
      process.stderr.write(`mailroom doctor: unknown argument ${a}\n\n${USAGE}`);
      return 2;
    }
  }
  // The same .env as `mailroom start` reads, so doctor checks what start would run with.
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const report = await runDoctor({ env });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.ok ? 0 : 1;
}

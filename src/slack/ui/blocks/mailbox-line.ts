// The line an inbox's channel gets when its IMAP connection has kept failing for a while (after
// 10 minutes, once), and again when it works: which mailbox, for how long, the last reason, and
// that nothing is lost meanwhile.
import { esc } from './text.ts';

export type MailboxLineVM =
  | { kind: 'failing'; inboxName: string; address: string; host: string; failures: number; minutes: number; lastError: string | null }
  | { kind: 'restored'; inboxName: string; address: string; host: string };

export function mailboxLine(vm: MailboxLineVM): string {
  const who = `*${esc(vm.inboxName, 100)}* (${esc(vm.address, 200)})`;
  const server = esc(vm.host, 200);
  if (vm.kind === 'restored') return `:white_check_mark: ${who} reaches its mailbox at ${server} again: mail that waited is on its way.`;
  const why = vm.lastError ? ` (last: ${esc(vm.lastError, 300)})` : '';
  return `:warning: ${who} has not been able to read its mailbox at ${server} for ${vm.minutes} minutes: ${vm.failures} connections in a row failed${why}. Mail that arrives meanwhile stays in the mailbox and is posted once the connection works again. \`mailroom doctor\` checks the settings.`;
}

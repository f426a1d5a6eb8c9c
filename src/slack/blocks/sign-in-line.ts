// The line an inbox's channel gets when its mailbox sign-in (OAuth2) stops working, and again
// when it works: which mailbox, the provider's reason in plain words, and what to do about it.
import { esc } from './text.ts';

export type SignInLineVM =
  | { kind: 'refused'; inboxName: string; address: string; reason: string; grant: 'refresh_token' | 'client_credentials' | 'service_account' }
  | { kind: 'restored'; inboxName: string; address: string };

const FIX: Record<Extract<SignInLineVM, { kind: 'refused' }>['grant'], (inbox: string) => string> = {
  refresh_token: (inbox) => `To sign in again, run \`mailroom auth --inbox ${inbox}\` where Mailroom runs.`,
  client_credentials: () => 'Check the app registration’s client secret and its permission on the mailbox (see the README, Microsoft 365 app-only).',
  service_account: () => 'Check the service account’s key file and its domain-wide delegation in the Google Workspace admin console.',
};

export function signInLine(vm: SignInLineVM): string {
  const who = `*${esc(vm.inboxName, 100)}* (${esc(vm.address, 200)})`;
  if (vm.kind === 'restored') return `:unlocked: ${who} signs in to its mailbox again: new mail and waiting replies are on their way.`;
  const inbox = /^[\w.-]+$/.test(vm.inboxName) ? vm.inboxName : `"${vm.inboxName.replace(/["`]/g, '')}"`;
  return `:lock: ${who} can't sign in to its mailbox: ${esc(vm.reason, 500)}. Mail that arrives meanwhile stays in the mailbox and is posted once the sign-in works again; replies wait in the outbox. ${FIX[vm.grant](inbox)}`;
}

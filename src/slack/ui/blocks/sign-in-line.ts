// The line an inbox's channel gets when its mailbox sign-in (OAuth2) stops working, and again
// when it works: which mailbox, the provider's reason in plain words, and what to do about it.
import { signInFix, type Grant } from '../../../core/sign-in.ts';
import { esc } from './text.ts';

export type SignInLineVM =
  | { kind: 'refused'; inboxName: string; address: string; reason: string; grant: Grant }
  | { kind: 'restored'; inboxName: string; address: string };

export function signInLine(vm: SignInLineVM): string {
  const who = `*${esc(vm.inboxName, 100)}* (${esc(vm.address, 200)})`;
  if (vm.kind === 'restored') return `:unlocked: ${who} signs in to its mailbox again: new mail and waiting replies are on their way.`;
  return `:lock: ${who} can't sign in to its mailbox: ${esc(vm.reason, 500)}. Mail that arrives meanwhile stays in the mailbox and is posted once the sign-in works again; replies wait in the outbox. ${signInFix(vm.grant, vm.inboxName)}`;
}

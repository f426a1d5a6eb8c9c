// The thread message that shows a bounce: what happened in plain words, the status code and the
// server's own line, what to do, and — when sending the same email again may help — a
// "Send again" button (once). The server's words and the addresses come from email: escaped.
import type { ActionsBlock, Button, ContextBlock, KnownBlock } from '@slack/types';
import { bounceWords } from '../../../core/bounce-words.ts';
import type { Address, BounceReason } from '../../../core/types.ts';
import type { BounceInfo } from '../../../mail/types.ts';
import { Actions, Blocks } from '../ids.ts';
import { toFallback } from './fallback.ts';
import { isUserId, userMention } from './mentions.ts';
import { Limits, addressMrkdwn, esc, md, plain, slackDate } from './text.ts';

export interface BounceNoteVM {
  /** The reporting system (mailer-daemon, postmaster…). */
  from: Address;
  recipients: readonly string[];
  reason: BounceReason;
  retryable: boolean;
  status: string | null;
  /** The remote server's own line, as received. */
  diagnostic: string | null;
  /** Only a warning: the sending side is still trying. */
  delayed: boolean;
  /** The email of ours it is about, when it is one. */
  ours?: { sentByUserId: string | null; sentAt: number } | null;
  /** "Send again" is offered (retryable, ours, not sent again yet): the bounce's row id is its value. */
  sendAgain?: { bounceRowId: number } | null;
  /** It was already sent again, by whom. */
  resentBy?: string | null;
}

const SERVER_LINE = 500;

export function bounceNote(vm: BounceNoteVM): { text: string; blocks: KnownBlock[] } {
  const words = bounceWords(vm.reason, vm.retryable);
  const to = vm.recipients.length ? ` to ${esc(vm.recipients.join(', '), 300)}` : '';
  const what = vm.ours ? `${ourEmail(vm.ours)} was not delivered${to}` : `Not delivered${to}`;
  const headline = vm.delayed
    ? `:hourglass_flowing_sand: *Delivery delayed*${to}: their server hasn't taken it yet (${esc(words.what, 200)}). The sending server keeps trying: nothing to do yet.`
    : `:warning: *${what}*: ${esc(words.what, 200)}.\n${esc(words.advice, 400)}`;

  const facts: string[] = [];
  if (vm.status) facts.push(`Status ${esc(vm.status, 20)}`);
  if (vm.diagnostic) facts.push(`the server said: _${esc(vm.diagnostic, SERVER_LINE)}_`);
  facts.push(`report from ${addressMrkdwn(vm.from, 200)}`);

  const blocks: KnownBlock[] = [{ type: 'section', text: md(headline) }, context(capitalise(facts.join(' · ')))];
  if (vm.resentBy !== undefined && vm.resentBy !== null) blocks.push(resentLine(vm.resentBy));
  else if (vm.sendAgain && !vm.delayed) blocks.push(sendAgainActions(vm.sendAgain.bounceRowId));
  return { text: toFallback(vm.delayed ? `Delivery delayed${to}` : `${what}: ${esc(words.what, 200)}`), blocks };
}

/** The note once its "Send again" was used: the button gives way to who sent it again. */
export function withSentAgain(blocks: readonly KnownBlock[], userId: string): KnownBlock[] {
  return [...blocks.filter((b) => b.block_id !== Blocks.sendAgain), resentLine(userId)];
}

function ourEmail(o: { sentByUserId: string | null; sentAt: number }): string {
  const by = o.sentByUserId && isUserId(o.sentByUserId) ? ` by ${userMention(o.sentByUserId)}` : '';
  return `The email${by} of ${slackDate(o.sentAt)}`;
}

function sendAgainActions(bounceRowId: number): ActionsBlock {
  const button: Button = {
    type: 'button',
    action_id: Actions.sendAgain,
    text: plain('Send again', Limits.buttonText),
    value: String(bounceRowId),
    style: 'primary',
  };
  return { type: 'actions', block_id: Blocks.sendAgain, elements: [button] };
}

function resentLine(userId: string): ContextBlock {
  const by = isUserId(userId) ? ` by ${userMention(userId)}` : '';
  return context(`:repeat: Sent again${by}. It goes out once more; a new bounce would show here.`);
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [md(text)] };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The line shown under one of our emails that bounced: what happened, and the code. */
export function undeliveredLine(bounce: Pick<BounceInfo, 'reason' | 'retryable' | 'status'>): string {
  const words = bounceWords(bounce.reason, bounce.retryable);
  const code = bounce.status ? ` (${esc(bounce.status, 20)})` : '';
  return `:warning: *Not delivered*: ${esc(words.what, 200)}${code}. The note below says what to do.`;
}

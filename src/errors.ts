// One error type with a stable code. `userMessage` is safe to show to a Slack user. Every code
// is in ErrorCode, so a code compared or matched elsewhere is checked by the compiler.
export type ErrorCode =
  // conversations and the actions on them
  | 'conversation.not_found'
  | 'conversation.moved'
  | 'inbox.not_found'
  | 'inbox.not_member'
  | 'assign.bad_assignee'
  | 'move.bad_inbox'
  | 'ticket.exists'
  | 'template.duplicate_name'
  | 'tag.invalid'
  | 'tag.not_allowed'
  | 'tag.too_many'
  | 'signature.too_long'
  | 'forward.no_email'
  | 'forward.bad_recipient'
  | 'reply.no_recipients'
  | 'reply.no_parent'
  | 'outbox.unknown_kind'
  // time in the queue: snoozes, waits, reminders, scheduled sends
  | 'conversation.closed'
  | 'time.bad_time'
  | 'schedule.gone'
  // an email we write
  | 'email.no_recipients'
  | 'email.invalid_address'
  | 'email.invalid_message_id'
  | 'email.bad_from'
  | 'email.header_injection'
  | 'email.attachment_too_large'
  | 'message_id.invalid'
  // sending it
  | 'smtp.verify_failed'
  | 'smtp.deferred'
  | 'smtp.rejected'
  | 'smtp.auth'
  | 'smtp.bad_message'
  | 'smtp.connection'
  // signing in to the mailbox
  | 'auth.signin_refused'
  | 'auth.signin_unavailable'
  | 'auth.consent_failed'
  // Slack
  | 'slack.file_download'
  | 'slack.file_unreadable'
  | 'slack.upload_failed'
  | 'slack.too_many_blocks'
  | 'slack.metadata_too_large'
  // configuration and tools
  | 'lease.lost'
  | 'config.invalid'
  | 'doctor.timeout';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly userMessage?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The `code` of anything thrown: ours (an ErrorCode), a library's (nodemailer's 'EAUTH'), or none. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A message safe for logs: the error's own text, never a payload. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

// One error type with a stable code. `userMessage` is safe to show to a Slack user.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly userMessage?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A message safe for logs: the error's own text, never a payload. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

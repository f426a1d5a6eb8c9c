// An inbox's mail side, as the outbox sends through it: its SMTP sender (with the inbox's OAuth2
// tokens when it has them) and its Sent folder, filed and searched over the inbox's IMAP account.
import type { Logger } from 'pino';
import type { InboxConfig } from '../../config/load.ts';
import type { AccessTokens } from '../auth/token-source.ts';
import type { ImapAccount } from '../imap-client.ts';
import { appendToSent, findInSent } from './sent-folder.ts';
import { createSmtpSender, type SmtpSenderOptions } from './smtp-sender.ts';
import { smtpSenderOptions } from './smtp-settings.ts';

export interface InboxMailOptions {
  config: Pick<InboxConfig, 'key' | 'smtp' | 'sentFolder'>;
  /** The inbox's IMAP account, signed in as its other connections are. */
  imap: ImapAccount;
  tokens: AccessTokens | null;
  /** Extra TLS settings for SMTP (tests: a self-signed STARTTLS certificate). */
  smtpTls?: SmtpSenderOptions['tls'] | undefined;
  logger: Logger;
}

export function createInboxMail({ config, imap, tokens, smtpTls, logger }: InboxMailOptions) {
  const sentLogger = logger.child({ part: 'sent-folder', inbox: config.key });
  return {
    sender: createSmtpSender({
      ...smtpSenderOptions(config.smtp),
      ...(tokens ? { tokens } : {}),
      ...(smtpTls ? { tls: smtpTls } : {}),
      logger: logger.child({ part: 'smtp', inbox: config.key }),
    }),
    fileInSent: config.sentFolder ? (raw: Buffer) => appendToSent({ imap, raw, logger: sentLogger }) : null,
    foundInSent: (messageId: string) => findInSent({ imap, messageId, logger: sentLogger }),
  };
}

// The composition root: builds every part from the configuration and wires them together.
// `main` (and every integration test) calls buildApp, then start() and stop().
import { createReplyCatchUp } from './usecases/catch-up-replies.ts';
import { receiveThreadReply } from './usecases/queue-reply.ts';
import { createThreadReader } from './slack/outbound/thread-reader.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError, type Config, type InboxConfig } from './config/load.ts';
import { createTokenSource, type TokenSource } from './mail/auth/token-source.ts';
import { configuredHash } from './store/oauth-tokens.ts';
import { signInLine } from './slack/ui/blocks/sign-in-line.ts';
import { describeError } from './errors.ts';
import { escapeMrkdwn } from './core/slack-text.ts';
import { isBusy } from './store/retry.ts';
import { createLogger, defaultLogFormat } from './logger.ts';
import { createImapWatcher, type ImapWatcher } from './mail/inbound/imap-watcher.ts';
import type { ParseEmail } from './mail/types.ts';
import { createBoltApp } from './slack/inbound/bolt-app.ts';
import { createIdentity } from './slack/outbound/identity.ts';
import { registerListeners, type ListenerDeps } from './slack/inbound/listeners/index.ts';
import { createPostQueue } from './slack/outbound/post-queue.ts';
import { createWebClient } from './slack/outbound/web.ts';
import { closeDb, createStore, openDb } from './store/index.ts';
import { ingestEmail, type InboxIdentity } from './usecases/ingest-email.ts';
import { createEmailPoster } from './slack/outbound/email-poster.ts';
import { createOutboxWorker, type OutboxInbox } from './usecases/send-outbox.ts';
import { markUndelivered } from './usecases/undelivered.ts';
import { createSlackFeedback } from './slack/outbound/feedback.ts';
import { appendToSent, findInSent } from './mail/outbound/sent-folder.ts';
import { createSmtpSender } from './mail/outbound/smtp-sender.ts';
import { smtpSenderOptions } from './mail/outbound/smtp-settings.ts';
import { createDirectory, type MembershipRule } from './slack/outbound/directory.ts';
import { downloadFile } from './slack/outbound/files.ts';
import { withOriginal } from './mail/inbound/fetch-original.ts';
import { rawFromBytes, type WithRaw } from './mail/raw.ts';
import { createPersonCheck, sendAssignmentDm } from './slack/outbound/people.ts';
import { createAutoAssigner } from './usecases/auto-assign.ts';
import { createCollisionTracker } from './usecases/collision.ts';
import { createForwardBuilder } from './usecases/forward.ts';
import { ticketView } from './usecases/tickets.ts';
import { createDailyBackups } from './usecases/daily-backups.ts';
import { backupDb } from './store/backup.ts';

export interface AppOverrides {
  logger?: Logger;
  parse?: ParseEmail;
  /** Whether Bolt runs listeners before answering Slack (default true: see bolt-app.ts). */
  processBeforeResponse?: boolean;
  imapPollIntervalMs?: number;
  imapBackoffMs?: (attempt: number) => number;
  /** While an OAuth2 sign-in is refused, how often IMAP and the outbox look again (default 1 min). */
  signInRetryMs?: number;
  /** Extra TLS settings for SMTP (tests: smtp-server's self-signed STARTTLS certificate). */
  smtpTls?: { rejectUnauthorized?: boolean };
  slackRetryDelayMs?: (attempt: number) => number;
  outboxRetryDelaysMs?: readonly number[];
  /** Between two threads read back at start (default 1.2 s, Slack's pace). */
  catchUpPauseMs?: number;
  /** When the daily backup first looks whether today's exists (default 1 minute after start). */
  backupFirstDelayMs?: number;
}

export interface RunningApp {
  /** HTTP port actually listened on (HTTP mode), e.g. when PORT=0. */
  port: number | null;
}

function addressesOf(inbox: InboxConfig): string[] {
  return [inbox.address, ...inbox.aliases].map((a) => a.toLowerCase());
}

export function buildApp(config: Config, overrides: AppOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat ?? defaultLogFormat() });
  // The parser (mailparser, html-to-text…) loads with the first email, not at start.
  const parse: ParseEmail = overrides.parse ?? (async (raw) => (await import('./mail/parse/index.ts')).parseEmail(raw));
  const db = openDb(config.databasePath);
  const store = createStore(db, { secretKey: config.secretKey });
  const keyProblem = store.oauthTokens.keyProblem();
  if (keyProblem) {
    closeDb(db);
    throw new ConfigError([keyProblem]);
  }
  const inboxes = store.inboxes.sync(
    config.inboxes.map((i) => ({ key: i.key, name: i.name, channelId: i.channel, address: i.address })),
  );
  const web = createWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger: logger.child({ part: 'slack' }) });
  const identity = createIdentity(web, logger.child({ part: 'slack' }));
  const queue = createPostQueue({
    postsPerSecond: config.postsPerSecond,
    burst: config.postsBurst,
    logger: logger.child({ part: 'post-queue' }),
    ...(overrides.slackRetryDelayMs ? { retryDelayMs: overrides.slackRetryDelayMs } : {}),
  });
  // "… is replying": reply modals open (marked by the Reply modal) and replies in the undo window.
  const collision = createCollisionTracker({
    onChange: (id) => poster.refreshParent(id),
    pendingReplies: (now) => store.pendingReplies.inUndoWindow(now),
  });
  const withRaw: WithRaw = async (m, use, o = {}) => {
    const spooled = store.messages.spool.get(m.id)?.raw;
    if (spooled) return use(rawFromBytes(spooled));
    const where = store.mailLocations.of(m.id);
    const runtime = where && runtimes.find((r) => r.inbox.id === where.inboxId);
    if (!where || !runtime) return null;
    const timeout = o.timeoutMs ? { timeoutMs: o.timeoutMs } : {};
    return withOriginal({ imap: runtime.imap, location: where.location, messageId: m.messageId, logger: logger.child({ part: 'imap-fetch' }), ...timeout }, use);
  };
  const poster = createEmailPoster({
    store,
    withRaw,
    openAttachment: async (raw, index) => (await import('./mail/parse/index.ts')).openAttachment(raw, index),
    web,
    queue,
    parse,
    logger: logger.child({ part: 'poster' }),
    teamUrl: () => identity.get()?.url ?? null,
    replying: (id) => collision.replying(id),
    ticketOf: (id) => ticketView(store, id),
  });

  // Each configured inbox with its store row, its addresses, who may act on it, and its sign-in.
  const runtimes = config.inboxes.map((c, i) => {
    const inbox = inboxes[i]!;
    const tokens = c.oauth ? signInOf(c, inbox.id) : null;
    return {
      config: c,
      inbox,
      addresses: addressesOf(c),
      rule: { channelId: c.channel, members: c.members, usergroup: c.usergroup } satisfies MembershipRule,
      tokens,
      /** The mailbox account as every IMAP connection of this inbox signs in. */
      imap: { ...c.imap, ...(tokens ? { tokens } : {}) },
    };
  });
  /** An inbox's OAuth2 token source; a refused sign-in is said once in its channel, and again when it works. */
  function signInOf(c: InboxConfig, inboxId: number): TokenSource {
    const oauth = c.oauth!;
    let notes = 0;
    return createTokenSource({
      inboxKey: c.key,
      oauth,
      user: c.imap.user,
      store: store.oauthTokens,
      configuredHash,
      logger: logger.child({ part: 'sign-in', inbox: c.key }),
      onStatus: (status, previous) => {
        if (status.state === 'failed' && status.failure)
          feedback.channelLine(c.channel, `signin:${inboxId}:${++notes}`, signInLine({ kind: 'refused', inboxName: c.name, address: c.address, reason: status.failure.reason, grant: oauth.grant }));
        if (status.state === 'ok' && previous === 'failed') {
          feedback.channelLine(c.channel, `signin:${inboxId}:${++notes}`, signInLine({ kind: 'restored', inboxName: c.name, address: c.address }));
          outbox.signedIn(inboxId);
        }
      },
    });
  }
  const ruleOf = (inboxId: number) => runtimes.find((r) => r.inbox.id === inboxId)!.rule;
  const ourAddresses = new Set(runtimes.flatMap((r) => r.addresses));
  const ourDomains = [...new Set([...ourAddresses].map((a) => a.split('@')[1]!))];
  const ingestDeps = {
    store,
    parse,
    ourAddresses,
    ourDomains,
    autoAssign: (inboxId: number) => autoAssigner.pick(inboxId),
    logger: logger.child({ part: 'ingest' }),
  };

  const watchers: ImapWatcher[] = runtimes.map(({ config: inboxConfig, inbox, addresses, imap }) => {
    const identityOfInbox: InboxIdentity = { inbox, addresses, postBulk: inboxConfig.postBulk };
    const mailbox = inboxConfig.imap.mailbox;
    return createImapWatcher({
      imap,
      backfillDays: inboxConfig.backfillDays,
      logger: logger.child({ part: 'imap', inbox: inbox.key }),
      state: {
        get: () => store.imapSync.get(inbox.id, mailbox),
        reset: (s) => store.imapSync.reset(inbox.id, mailbox, s),
      },
      deliver: async (m) => {
        await autoAssigner.prepare(inbox.id);
        const outcome = await ingestEmail(ingestDeps, { identity: identityOfInbox, raw: m.raw, location: m.location, live: m.live });
        if (outcome.status === 'stored' && outcome.undeliveredMessageRowId !== null) void markUndelivered({ store, feedback }, outcome.undeliveredMessageRowId, outcome.email.bounce);
        if (outcome.status === 'stored')
          poster.enqueue({
            messageRowId: outcome.messageRowId,
            priority: m.live ? 'live' : 'backlog',
            email: outcome.email,
            statusChanged: outcome.statusChanged && !outcome.created,
            reopened: outcome.reopened,
          });
        if (outcome.status === 'stored' && outcome.created) autoAssigner.announce(outcome.conversationId, m.live ? 'live' : 'backlog');
      },
      isTransient: isBusy,
      skip: async (m, err) => {
        store.transaction(() => {
          store.imapSync.advance(inbox.id, m.location.mailbox, m.location.uidValidity, m.location.uid);
          store.events.record({ type: 'email.unreadable', inboxId: inbox.id, data: { uid: m.location.uid, mailbox: m.location.mailbox, error: describeError(err).slice(0, 300) } });
        });
        feedback.channelLine(
          inbox.channelId,
          `skipped:${inbox.id}:${m.location.uid}`,
          `:warning: An email could not be read and was skipped (${m.location.mailbox}, UID ${m.location.uid}): ${escapeMrkdwn(describeError(err).slice(0, 300))}. It is still in the mailbox.`,
        );
      },
      ...(overrides.imapPollIntervalMs ? { pollIntervalMs: overrides.imapPollIntervalMs } : {}),
      ...(overrides.imapBackoffMs ? { backoffMs: overrides.imapBackoffMs } : {}),
      ...(overrides.signInRetryMs ? { signInRetryMs: overrides.signInRetryMs } : {}),
    });
  });

  // Outbound: the outbox worker sends what teammates write; Slack hears how it went.
  const directory = createDirectory(web, logger.child({ part: 'directory' }));
  const senders = runtimes.map(({ config: c, tokens }) =>
    createSmtpSender({
      ...smtpSenderOptions(c.smtp),
      ...(tokens ? { tokens } : {}),
      ...(overrides.smtpTls ? { tls: overrides.smtpTls } : {}),
      logger: logger.child({ part: 'smtp', inbox: c.key }),
    }),
  );
  const outboxInboxes = new Map<number, OutboxInbox>(
    runtimes.map(({ config: c, inbox, addresses, imap }, i) => {
      const sentLogger = logger.child({ part: 'sent-folder', inbox: c.key });
      return [
        inbox.id,
        {
          id: inbox.id,
          name: c.name,
          addresses,
          sender: senders[i]!,
          fileInSent: c.sentFolder
            ? async (raw: Buffer) => {
                const r = await appendToSent({ imap, raw, logger: sentLogger });
                if (!r.ok) throw new Error(r.error);
              }
            : null,
          foundInSent: (messageId: string) => findInSent({ imap, messageId, logger: sentLogger }),
        },
      ];
    }),
  );
  const feedback = createSlackFeedback({ web, queue, refreshParent: (id) => poster.refreshParent(id) });
  const people = createPersonCheck({ logger: logger.child({ part: 'people' }) });
  const autoAssigner = createAutoAssigner({
    store,
    rules: new Map(runtimes.map((r) => [r.inbox.id, r.config.assign])),
    members: (inboxId) => directory.members(ruleOf(inboxId)),
    isPerson: (userId) => people.isPerson(web, userId),
    dm: (userId, vm) => sendAssignmentDm(web, userId, vm),
    postNote: (c, note) => void feedback.note(c, note),
    afterPosts: (channel, key, job, priority) => queue.enqueue(channel, { key, run: () => job() }, priority),
    teamUrl: () => identity.get()?.url ?? null,
    logger: logger.child({ part: 'auto-assign' }),
  });
  const outbox = createOutboxWorker({
    store,
    builders: { forward: createForwardBuilder({ withRaw }) },
    inboxes: outboxInboxes,
    feedback,
    displayName: (id) => directory.displayName(id),
    namesIn: (text) => directory.namesIn(text),
    download: (ref) => downloadFile(ref, config.slack.botToken, logger.child({ part: 'files' })),
    maxPerRecipientPerHour: config.maxEmailsPerRecipientPerHour,
    logger: logger.child({ part: 'outbox' }),
    ...(overrides.outboxRetryDelaysMs ? { retryDelaysMs: overrides.outboxRetryDelaysMs } : {}),
    ...(overrides.signInRetryMs ? { signInRetryMs: overrides.signInRetryMs } : {}),
  });

  const bolt = createBoltApp({
    config,
    identity,
    logger: logger.child({ part: 'bolt' }),
    ...(overrides.processBeforeResponse !== undefined ? { processBeforeResponse: overrides.processBeforeResponse } : {}),
    health: () => ({
      ok: true,
      detail: {
        imap: Object.fromEntries(runtimes.map((r, n) => [r.inbox.key, watchers[n]!.connected])),
        signIn: Object.fromEntries(runtimes.flatMap((r) => (r.tokens ? [[r.inbox.key, r.tokens.status().state]] : []))),
        slack: !!identity.get(),
      },
    }),
  });
  bolt.error(async (err) => {
    logger.error({ err: describeError(err) }, 'unhandled error in a Slack listener');
  });
  const listenerDeps: ListenerDeps = {
    store,
    logger: logger.child({ part: 'listeners' }),
    parse,
    withRaw,
    config,
    inboxes: runtimes,
    channels: new Set(config.inboxes.map((i) => i.channel)),
    directory,
    refreshParent: (id) => poster.refreshParent(id),
    postParent: (id) => poster.postParent(id),
    postNote: (c, note) => void feedback.note(c, note),
    teamUrl: () => identity.get()?.url ?? null,
    replies: {
      store,
      isMember: (inboxId, userId) => directory.isMember(ruleOf(inboxId), userId),
      sendDelayMs: config.sendDelaySeconds * 1000,
      logger: logger.child({ part: 'replies' }),
      feedback,
      kickOutbox: () => {
        outbox.kick();
        collision.syncPending();
      },
    },
    kickOutbox: () => {
      outbox.kick();
      collision.syncPending();
    },
    collision,
  };
  registerListeners(bolt, listenerDeps);

  // Replies typed while the app was not running are read back at start (catch-up-replies.ts).
  const catchUp = createReplyCatchUp({
    store,
    threads: createThreadReader({ web }),
    handle: (m) => receiveThreadReply(listenerDeps.replies, m, { quiet: true }),
    logger: logger.child({ part: 'catch-up' }),
    ...(overrides.catchUpPauseMs !== undefined ? { pauseMs: overrides.catchUpPauseMs } : {}),
  });

  // Daily rotating backups, when MAILROOM_BACKUP_DIR is set.
  const backups = config.backup.dir
    ? createDailyBackups({
        dir: config.backup.dir,
        keep: config.backup.keep,
        backup: (file) => backupDb(db, file),
        logger: logger.child({ part: 'backup' }),
        ...(overrides.backupFirstDelayMs !== undefined ? { firstDelayMs: overrides.backupFirstDelayMs } : {}),
      })
    : null;

  let started = false;
  return {
    store,
    logger,
    async start(): Promise<RunningApp> {
      identity.learn();
      const resumed = poster.resumeUnposted();
      if (resumed) logger.info({ count: resumed }, 'resuming emails not yet in Slack');
      let port: number | null = null;
      if (config.slack.appToken) {
        // Socket Mode connects in the background: an unreachable Slack must not block start-up.
        void bolt.start().catch((err: unknown) => logger.error({ err: describeError(err) }, 'Socket Mode failed to start'));
      } else {
        const server = (await bolt.start(config.slack.port)) as Server;
        port = (server.address() as AddressInfo).port;
      }
      for (const w of watchers) w.start();
      // Replies left waiting when the app stopped may have been deleted in Slack since.
      await catchUp.beforeSending();
      await outbox.start();
      catchUp.start();
      backups?.start();
      started = true;
      logger.info({ inboxes: config.inboxes.map((i) => i.key), mode: config.slack.appToken ? 'socket' : 'http', port }, 'Mailroom started');
      // The parser and nodemailer load lazily (a fast start); load them now, before mail arrives.
      setImmediate(() => void Promise.all([import('./mail/parse/index.ts'), import('nodemailer')]).catch(() => undefined));
      return { port };
    },
    async stop(): Promise<void> {
      await backups?.stop();
      await catchUp.stop();
      identity.stop();
      collision.stop();
      await Promise.all(watchers.map((w) => w.stop()));
      await outbox.stop();
      await queue.stop();
      for (const s of senders) s.close();
      for (const r of runtimes) r.tokens?.stop();
      if (started) await bolt.stop().catch(() => undefined);
      closeDb(db);
      logger.info('Mailroom stopped');
    },
    /** Tests and benchmarks: wait until every queued Slack post is done. */
    drained: () => queue.drained(),
    outbox,
  };
}
export type MailroomApp = ReturnType<typeof buildApp>;

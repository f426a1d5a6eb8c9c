// `mailroom auth [--inbox NAME] [--device] [--print] [--timeout SECONDS]`: the one-time OAuth2
// consent for an inbox's mailbox. It reads the same configuration as `mailroom start`, and stores
// the refresh token in the database (a running Mailroom picks it up within a minute), or prints
// it for a secret store with --print. Exit 0 when it has the token, 1 otherwise, 2 for bad usage.
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import { loadConfig, type InboxConfig } from '../config/load.ts';
import { describeError } from '../errors.ts';
import { codeConsent, ConsentError, deviceConsent } from '../mail/auth/consent.ts';
import { SignInError } from '../mail/auth/oauth-client.ts';
import { closeDb, createStore, openDb } from '../store/index.ts';
import { configuredHash } from '../store/oauth-tokens.ts';

const USAGE = `Usage: mailroom auth [--inbox NAME] [--device] [--print] [--timeout SECONDS]

Signs an inbox's mailbox in with OAuth2 (Microsoft 365, Google Workspace) and stores the refresh
token in Mailroom's database. By default it prints a sign-in link and waits for the browser to
come back to a 127.0.0.1 address, or for that address pasted here (a server without a browser).
  --inbox NAME   the inbox (its name or key); needed when several inboxes sign in with OAuth2
  --device       Microsoft's device-code flow: a code typed at microsoft.com/devicelogin
  --print        print the refresh token (for a secret store) instead of storing it
  --timeout S    give up after S seconds (default 600)
`;

interface AuthArgs {
  inbox: string | null;
  device: boolean;
  print: boolean;
  timeoutS: number;
}

export function parseAuthArgs(args: string[]): AuthArgs | string {
  const out: AuthArgs = { inbox: null, device: false, print: false, timeoutS: 600 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '--device') out.device = true;
    else if (a === '--print') out.print = true;
    else if (a === '--inbox' || a.startsWith('--inbox=')) {
      const v = value();
      if (!v) return '--inbox needs a name';
      out.inbox = v;
    } else if (a === '--timeout' || a.startsWith('--timeout=')) {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) return '--timeout needs a number of seconds';
      out.timeoutS = v;
    } else return `unknown argument ${a}`;
  }
  return out;
}

/** The inbox asked for, or why there is none. */
export function pickInbox(inboxes: InboxConfig[], wanted: string | null): InboxConfig | string {
  const oauth = inboxes.filter((i) => i.oauth);
  const names = (list: InboxConfig[]) => list.map((i) => i.name).join(', ');
  if (wanted) {
    const w = wanted.trim().toLowerCase();
    const found = inboxes.find((i) => i.name.toLowerCase() === w || i.key === w);
    if (!found) return `there is no inbox "${wanted}" (the inboxes are: ${names(inboxes)})`;
    if (!found.oauth) return `${found.name} signs in with ${found.signIn === 'password' ? 'a password' : 'a static access token'}, not OAuth2: set its oauth settings first (see the README)`;
    return found;
  }
  if (oauth.length === 1) return oauth[0]!;
  if (!oauth.length) return 'no inbox signs in with OAuth2: set the oauth settings first (see the README)';
  return `several inboxes sign in with OAuth2 (${names(oauth)}): say which with --inbox NAME`;
}

export async function authCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseAuthArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`mailroom auth: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const fail = (text: string) => {
    process.stderr.write(`mailroom auth: ${text}\n`);
    return 1;
  };
  let inbox: InboxConfig | string;
  let config;
  try {
    config = loadConfig(env);
    inbox = pickInbox(config.inboxes, parsed.inbox);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.problems) process.stderr.write(`mailroom: configuration error: ${line}\n`);
    return 1;
  }
  if (typeof inbox === 'string') return fail(inbox);
  const oauth = inbox.oauth!;
  if (oauth.grant !== 'refresh_token')
    return fail(`${inbox.name} signs in as the app (${oauth.grant}): there is no consent to give; mailroom doctor checks that it gets a token`);

  // Everything for the person goes to stderr; with --print, stdout carries only the token.
  // Closed when done, so that a standard input nobody typed into does not keep the process alive.
  const stdin = createInterface({ input: process.stdin, terminal: false });
  const io = { say: (text: string) => process.stderr.write(`${text}\n`), lines: stdin };
  const options = { oauth, loginHint: inbox.imap.user, timeoutMs: parsed.timeoutS * 1000, io };
  let refreshToken: string;
  try {
    const grant = await (parsed.device ? deviceConsent(options) : codeConsent(options));
    if (!grant.refreshToken)
      return fail(
        `the provider signed in but gave no refresh token, so Mailroom could not stay signed in: ${
          oauth.provider === 'microsoft' ? 'the scope must include offline_access' : oauth.provider === 'google' ? 'the OAuth client must be of the Desktop or Web kind' : 'ask for offline access in OAUTH_SCOPE'
        }`,
      );
    refreshToken = grant.refreshToken;
  } catch (err) {
    if (err instanceof SignInError || err instanceof ConsentError) return fail(`${inbox.name}: ${err.userMessage ?? err.message}`);
    return fail(`${inbox.name}: ${describeError(err)}`);
  } finally {
    stdin.close();
  }

  if (parsed.print) {
    process.stdout.write(`${refreshToken}\n`);
    io.say(`Signed in. Put this refresh token in ${env.MAILROOM_CONFIG ? `inboxes[].oauth.refreshToken of ${inbox.name}` : 'OAUTH_REFRESH_TOKEN'} (it is not stored in the database).`);
    return 0;
  }
  const db = openDb(config.databasePath);
  try {
    const store = createStore(db, { secretKey: config.secretKey });
    const problem = store.oauthTokens.keyProblem();
    if (problem) return fail(problem);
    store.oauthTokens.save(inbox.key, { refreshToken, configuredHash: configuredHash(oauth.refreshToken), source: 'auth' });
  } finally {
    closeDb(db);
  }
  io.say(`Signed in: ${inbox.name} (${inbox.imap.user}) is stored in ${config.databasePath}. A running Mailroom uses it within a minute.`);
  return 0;
}

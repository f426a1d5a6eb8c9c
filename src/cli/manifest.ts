// `mailroom manifest [--http PUBLIC_URL] [--json]`: the Slack app manifest for this configuration
// (its slash command names; request URLs in HTTP mode) and a link that opens Slack's "Create app"
// dialog filled in. Needs no Slack token: it is what you run before the app exists.
import { existsSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import { loadCommandNames } from '../config/load.ts';
import { createAppLink, requestUrlOf, slackManifest } from '../slack/ui/manifest.ts';
import { manifestYaml } from '../slack/ui/manifest-yaml.ts';

const USAGE = `Usage: mailroom manifest [--http PUBLIC_URL] [--json]

Prints the Slack app manifest for this configuration (slash command names from
MAILROOM_COMMAND_*) and a link that creates the app in one click.
  --http PUBLIC_URL  for the HTTP receiver: Slack sends requests to PUBLIC_URL/slack/events
                     (without it: Socket Mode, no public URL needed)
  --json             print {"manifest": …, "createAppUrl": …} as JSON instead of YAML
`;

type Parsed = { ok: true; http: string | null; json: boolean; help: boolean } | { ok: false; problem: string };

export function parseManifestArgs(args: string[]): Parsed {
  let http: string | null = null;
  let json = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--http' || a.startsWith('--http=')) {
      const value = a === '--http' ? args[++i] : a.slice('--http='.length);
      if (!value) return { ok: false, problem: '--http needs the public URL Mailroom is reached at, like https://mailroom.acme.com' };
      http = value;
    } else return { ok: false, problem: `unknown argument ${a}` };
  }
  return { ok: true, http, json, help };
}

/** Slack sends requests only to public HTTPS URLs. */
export function checkPublicUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `--http must be a URL like https://mailroom.acme.com, got "${value}"`;
  }
  if (url.protocol !== 'https:') return `--http must be an https:// URL (Slack sends requests only over HTTPS), got "${value}"`;
  if (url.search || url.hash) return `--http must not have a query or fragment, got "${value}"`;
  return null;
}

export async function manifestCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseManifestArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`mailroom manifest: ${parsed.problem}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const urlProblem = parsed.http === null ? null : checkPublicUrl(parsed.http);
  if (urlProblem) {
    process.stderr.write(`mailroom manifest: ${urlProblem}\n`);
    return 2;
  }
  // The same .env as `mailroom start` reads, so the commands are the ones it will listen for.
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  let commands;
  try {
    commands = loadCommandNames(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.problems) process.stderr.write(`mailroom: configuration error: ${line}\n`);
    return 1;
  }
  const requestUrl = parsed.http === null ? null : requestUrlOf(parsed.http);
  const manifest = slackManifest({ commands, ...(requestUrl ? { requestUrl } : {}) });
  const link = createAppLink(manifest);
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify({ manifest, createAppUrl: link }, null, 2)}\n`);
    return 0;
  }
  const mode = requestUrl
    ? [`Slack app manifest for the HTTP receiver: Slack sends every request to ${requestUrl}.`, 'Then copy the Signing Secret (Basic Information) into SLACK_SIGNING_SECRET.']
    : ['Slack app manifest for Socket Mode (no public URL needed). Then create an app-level token with the', 'connections:write scope (Basic Information → App-Level Tokens) and set it as SLACK_APP_TOKEN.'];
  process.stdout.write(
    manifestYaml(manifest, [
      ...mode,
      '',
      'Create the app in one click: open this link, pick the workspace, and confirm.',
      link,
      '',
      'Or in https://api.slack.com/apps choose "Create New App" → "From a manifest" and paste this.',
    ]),
  );
  return 0;
}

// The manifest as YAML, with the comments that say how to use it: what `mailroom manifest` prints
// and what manifests/*.yaml hold (both from slackManifest, so they can't drift apart).
import { stringify } from 'yaml';
import { DEFAULT_COMMANDS, slackManifest, type Manifest } from './manifest.ts';

/** The placeholder public URL of the committed HTTP manifest. */
export const EXAMPLE_PUBLIC_URL = 'https://mailroom.example.com';

export function manifestYaml(manifest: Manifest, comments: readonly string[]): string {
  const header = comments.map((c) => (c ? `# ${c}` : '#')).join('\n');
  // lineWidth 0: long descriptions stay on one line, as Slack's own examples write them.
  return `${header}\n${stringify(manifest, { lineWidth: 0 })}`;
}

const GENERATED = [
  'Generated from src/slack/ui/manifest.ts (npm run manifests). `npx mailroom manifest` prints the one',
  'for your configuration, with a link that creates the app in one click.',
];

/** manifests/*.yaml: the default command names; the HTTP one with a placeholder URL. */
export function committedManifests(): { file: string; text: string }[] {
  return [
    {
      file: 'socket-mode.yaml',
      text: manifestYaml(slackManifest({ commands: DEFAULT_COMMANDS }), [
        'Slack app manifest for Socket Mode (no public URL needed). In https://api.slack.com/apps choose',
        '"Create New App" → "From a manifest" and paste this file; then create an app-level token with the',
        'connections:write scope (Basic Information → App-Level Tokens) and set it as SLACK_APP_TOKEN.',
        ...GENERATED,
      ]),
    },
    {
      file: 'http.yaml',
      text: manifestYaml(slackManifest({ commands: DEFAULT_COMMANDS, requestUrl: `${EXAMPLE_PUBLIC_URL}/slack/events` }), [
        'Slack app manifest for the HTTP receiver. In https://api.slack.com/apps choose',
        '"Create New App" → "From a manifest", paste this file, and replace every',
        `${EXAMPLE_PUBLIC_URL} with the public URL where Mailroom listens (PORT, path /slack/events).`,
        ...GENERATED,
      ]),
    },
  ];
}

// The manifest has one source (src/slack/manifest.ts): manifests/*.yaml must be exactly what it
// generates, and what it builds for a configuration must carry that configuration.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPublicUrl, parseManifestArgs } from '../../src/cli/manifest.ts';
import { loadCommandNames } from '../../src/config/load.ts';
import { Shortcuts } from '../../src/slack/ui/ids.ts';
import { BOT_SCOPES, DEFAULT_COMMANDS, createAppLink, requestUrlOf, slackManifest } from '../../src/slack/ui/manifest.ts';
import { committedManifests } from '../../src/slack/ui/manifest-yaml.ts';

const MANIFESTS = join(import.meta.dirname, '..', '..', 'manifests');

describe('manifests/*.yaml', () => {
  it.each(committedManifests())('$file is exactly what src/slack/manifest.ts generates (run npm run manifests after a change)', ({ file, text }) => {
    expect(readFileSync(join(MANIFESTS, file), 'utf8')).toBe(text);
  });
});

describe('slackManifest', () => {
  const commands = { compose: '/mr-compose', assign: '/mr-assign', close: '/mr-close', mailroom: '/mr' };

  it('Socket Mode: the configured command names, no request URL anywhere', () => {
    const m = slackManifest({ commands });
    expect(m.features?.slash_commands?.map((c) => c.command)).toEqual(['/mr-compose', '/mr-assign', '/mr-close', '/mr']);
    expect(m.settings?.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(m)).not.toMatch(/"(url|request_url|message_menu_options_url)"/);
  });

  it('HTTP: every request URL is the public URL’s /slack/events, and Socket Mode is off', () => {
    const url = 'https://mail.acme.com/mailroom/slack/events';
    const m = slackManifest({ commands, requestUrl: url });
    expect(m.features?.slash_commands?.map((c) => c.url)).toEqual([url, url, url, url]);
    expect(m.settings?.event_subscriptions?.request_url).toBe(url);
    expect(m.settings?.interactivity).toEqual({ is_enabled: true, request_url: url, message_menu_options_url: url });
    expect(m.settings?.socket_mode_enabled).toBe(false);
  });

  it('declares the scopes doctor checks and only shortcut ids the app defines', () => {
    const m = slackManifest({ commands: DEFAULT_COMMANDS });
    expect(m.oauth_config?.scopes?.bot).toEqual([...BOT_SCOPES]);
    const ids = Object.values(Shortcuts) as string[];
    for (const s of m.features?.shortcuts ?? []) expect(ids).toContain(s.callback_id);
    // Slack's manifest takes at most 10 shortcuts (@slack/web-api's Manifest type says so).
    expect(m.features?.shortcuts?.length).toBeLessThanOrEqual(10);
  });

  it('the create-app link carries the whole manifest as URL-encoded JSON', () => {
    const m = slackManifest({ commands, requestUrl: 'https://x.example/slack/events' });
    const link = createAppLink(m);
    expect(link.startsWith('https://api.slack.com/apps?new_app=1&manifest_json=')).toBe(true);
    const url = new URL(link);
    expect(url.searchParams.get('new_app')).toBe('1');
    expect(JSON.parse(url.searchParams.get('manifest_json')!)).toEqual(m);
    expect(link).not.toMatch(/[ "{}#]/); // nothing a browser or a terminal would cut the link at
  });

  it('the committed files parse back to the generated manifests', () => {
    expect(parse(readFileSync(join(MANIFESTS, 'socket-mode.yaml'), 'utf8'))).toEqual(slackManifest({ commands: DEFAULT_COMMANDS }));
    expect(parse(readFileSync(join(MANIFESTS, 'http.yaml'), 'utf8'))).toEqual(
      slackManifest({ commands: DEFAULT_COMMANDS, requestUrl: 'https://mailroom.example.com/slack/events' }),
    );
  });
});

describe('mailroom manifest arguments', () => {
  it('turns a public URL into the request URL, with or without a path or a trailing slash', () => {
    expect(requestUrlOf('https://mailroom.acme.com')).toBe('https://mailroom.acme.com/slack/events');
    expect(requestUrlOf('https://acme.com/mailroom/')).toBe('https://acme.com/mailroom/slack/events');
    expect(requestUrlOf('https://acme.com/slack/events')).toBe('https://acme.com/slack/events');
  });

  it('refuses what Slack would refuse', () => {
    expect(checkPublicUrl('https://mailroom.acme.com')).toBeNull();
    expect(checkPublicUrl('http://mailroom.acme.com')).toMatch(/https:\/\//);
    expect(checkPublicUrl('mailroom.acme.com')).toMatch(/must be a URL/);
    expect(checkPublicUrl('https://acme.com/?a=1')).toMatch(/query/);
  });

  it('parses --http URL, --http=URL and --json; anything else is an error', () => {
    expect(parseManifestArgs([])).toEqual({ ok: true, http: null, json: false, help: false });
    expect(parseManifestArgs(['--http', 'https://a.example', '--json'])).toEqual({ ok: true, http: 'https://a.example', json: true, help: false });
    expect(parseManifestArgs(['--http=https://a.example'])).toMatchObject({ ok: true, http: 'https://a.example' });
    expect(parseManifestArgs(['--http'])).toMatchObject({ ok: false });
    expect(parseManifestArgs(['--yaml'])).toEqual({ ok: false, problem: 'unknown argument --yaml' });
  });

  it('reads only the command names, and names a bad one', () => {
    expect(loadCommandNames({})).toEqual(DEFAULT_COMMANDS);
    expect(loadCommandNames({ MAILROOM_COMMAND_CLOSE: '/done', SLACK_BOT_TOKEN: 'nonsense' })).toEqual({ ...DEFAULT_COMMANDS, close: '/done' });
    expect(() => loadCommandNames({ MAILROOM_COMMAND_ASSIGN: 'assign' })).toThrow(/MAILROOM_COMMAND_ASSIGN must be a slash command/);
  });
});

// `mailroom manifest` as a real process: its output, YAML or JSON, is the committed manifest for the
// default configuration, carries the configured command names and URL otherwise, and its link
// opens Slack's create-app dialog with that same manifest.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runMailroom } from '../../helpers/run-cli.ts';
import { makeTempDir, type TempDir } from '../../support/tmp.ts';

const MANIFESTS = join(import.meta.dirname, '..', '..', '..', 'manifests');
const committed = (file: string) => parse(readFileSync(join(MANIFESTS, file), 'utf8')) as Record<string, unknown>;

let cwd: TempDir;
beforeAll(() => {
  cwd = makeTempDir('mailroom-manifest-'); // no stray .env from the checkout
});
afterAll(() => cwd?.remove());

function linkIn(text: string): URL {
  const m = /https:\/\/api\.slack\.com\/apps\?new_app=1&manifest_json=\S+/.exec(text);
  expect(m, 'a create-app link').not.toBeNull();
  return new URL(m![0]);
}

describe('mailroom manifest (process)', () => {
  it('prints the Socket Mode manifest of manifests/socket-mode.yaml, as YAML with the one-click link in a comment', async () => {
    const run = await runMailroom(['manifest'], { cwd: cwd.path });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(parse(run.stdout)).toEqual(committed('socket-mode.yaml'));
    const link = linkIn(run.stdout);
    expect(JSON.parse(link.searchParams.get('manifest_json')!)).toEqual(committed('socket-mode.yaml'));
  });

  it('--http with the example URL prints manifests/http.yaml; --json gives the manifest and the link', async () => {
    const yaml = await runMailroom(['manifest', '--http', 'https://mailroom.example.com'], { cwd: cwd.path });
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual(committed('http.yaml'));
    const json = await runMailroom(['manifest', '--http=https://mailroom.example.com/', '--json'], { cwd: cwd.path });
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { manifest: unknown; createAppUrl: string };
    expect(out.manifest).toEqual(committed('http.yaml'));
    expect(JSON.parse(new URL(out.createAppUrl).searchParams.get('manifest_json')!)).toEqual(committed('http.yaml'));
  });

  it('uses the command names of the environment and of .env, with no Slack token set', async () => {
    writeFileSync(join(cwd.path, '.env'), 'MAILROOM_COMMAND_CLOSE=/done\n');
    try {
      const run = await runMailroom(['manifest', '--json', '--http', 'https://acme.example/mr'], { cwd: cwd.path, env: { MAILROOM_COMMAND_COMPOSE: '/write' } });
      expect(run.code).toBe(0);
      const { manifest } = JSON.parse(run.stdout) as { manifest: { features: { slash_commands: { command: string; url: string }[] } } };
      expect(manifest.features.slash_commands.map((c) => [c.command, c.url])).toEqual([
        ['/write', 'https://acme.example/mr/slack/events'],
        ['/assign', 'https://acme.example/mr/slack/events'],
        ['/done', 'https://acme.example/mr/slack/events'],
        ['/mailroom', 'https://acme.example/mr/slack/events'],
      ]);
    } finally {
      writeFileSync(join(cwd.path, '.env'), '');
    }
  });

  it('says what is wrong with a bad URL or command name, and exits non-zero', async () => {
    const http = await runMailroom(['manifest', '--http', 'http://mailroom.acme.com'], { cwd: cwd.path });
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/--http must be an https:\/\/ URL/);
    const bad = await runMailroom(['manifest'], { cwd: cwd.path, env: { MAILROOM_COMMAND_MAILROOM: 'mailroom' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^mailroom: configuration error: MAILROOM_COMMAND_MAILROOM must be a slash command/);
    expect(bad.stdout).toBe('');
  });
});

// `npm run manifests`: rewrites manifests/*.yaml from src/slack/ui/manifest.ts (a test checks they agree).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { committedManifests } from '../src/slack/ui/manifest-yaml.ts';

for (const { file, text } of committedManifests()) {
  writeFileSync(join(import.meta.dirname, file), text);
  process.stdout.write(`wrote manifests/${file}\n`);
}

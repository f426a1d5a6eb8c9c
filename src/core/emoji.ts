// Slack emoji shortcodes (`:thumbsup:`, `:wave::skin-tone-3:`) → the emoji itself, from emojibase's
// data: what an email shows where Slack showed an emoji.
import { createRequire } from 'node:module';

interface EmojiTable {
  byName: Map<string, { unicode: string; skins: string[] }>;
}
let emojiTable: EmojiTable | null = null;

/** The emoji for a Slack shortcode (`thumbsup`), in skin tone 2–6 when given; null when unknown. */
export function emojiByName(name: string, tone: string | undefined): string | null {
  const entry = loadEmoji().byName.get(name);
  if (!entry) return null;
  const skin = tone ? entry.skins[Number(tone) - 2] : undefined;
  return skin ?? entry.unicode;
}

/** Slack's shortcodes are iamcal's; GitHub's fill the gaps. Loaded once, on first use. */
function loadEmoji(): EmojiTable {
  if (emojiTable) return emojiTable;
  const require = createRequire(import.meta.url);
  type Compact = { hexcode: string; unicode: string; skins?: { hexcode: string; unicode: string }[] };
  const compact = require('emojibase-data/en/compact.json') as Compact[];
  const byHex = new Map<string, { unicode: string; skins: string[] }>();
  for (const e of compact) {
    // Slack's skin-tone-2…6 are the modifiers U+1F3FB…U+1F3FF; two-person emoji (two tones) are skipped.
    const skins: string[] = [];
    for (const skin of e.skins ?? []) {
      const tones = skin.hexcode.match(/1F3F[B-F]/g) ?? [];
      if (tones.length === 1) skins[parseInt((tones[0] as string).slice(-1), 16) - 0xb] = skin.unicode;
    }
    byHex.set(e.hexcode, { unicode: e.unicode, skins });
  }
  const byName = new Map<string, { unicode: string; skins: string[] }>();
  for (const set of ['iamcal', 'github']) {
    const shortcodes = require(`emojibase-data/en/shortcodes/${set}.json`) as Record<string, string | string[]>;
    for (const [hex, names] of Object.entries(shortcodes)) {
      const entry = byHex.get(hex);
      if (!entry) continue;
      for (const name of ([] as string[]).concat(names)) if (!byName.has(name)) byName.set(name, entry);
    }
  }
  emojiTable = { byName };
  return emojiTable;
}

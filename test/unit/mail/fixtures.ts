// Helpers for the mail fixtures in test/fixtures/mail (written for Mailroom).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIL_FIXTURES = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));

export function fixture(...parts: string[]): Buffer {
  return readFileSync(join(MAIL_FIXTURES, ...parts));
}

export function fixtureNames(folder: string, ext: string): string[] {
  return readdirSync(join(MAIL_FIXTURES, folder)).filter((f) => f.endsWith(ext)).sort();
}

/** A fixture written as "<input>#### <label>\n<expected>\n". */
export function splitFixture(raw: string, label: string): { input: string; expected: string } {
  const marker = `#### ${label}\n`;
  const at = raw.lastIndexOf(marker);
  if (at < 0) throw new Error(`fixture has no "${marker.trim()}" section`);
  return { input: raw.slice(0, at), expected: raw.slice(at + marker.length).replace(/\n$/, '') };
}

// The scalar schemas of the configuration. Values may come from the environment (strings) or from
// the YAML file (typed), so each accepts both spellings and names what it wants when it fails.
import { z } from 'zod';

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export const bool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false, got "${v}"` });
  return z.NEVER;
});

const intIn = (min: number, max: number, what: string) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} (${min}–${max}), got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

export const port = intIn(1, 65535, 'a port number');
/** A port to listen on: 0 lets the system pick a free one. */
export const listenPort = intIn(0, 65535, 'a port number');
export const nonNegativeInt = (max: number) => intIn(0, max, 'a whole number');
export const positiveInt = (max: number) => intIn(1, max, 'a whole number');

export const text = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `is required (${what})` : `must be text (${what})`) })
    .trim()
    .min(1, { error: `is required (${what})` });

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
export const email = (what: string) =>
  text(what)
    .transform((s) => s.toLowerCase())
    .refine((s) => EMAIL.test(s), { error: (iss) => `must be an email address (${what}), got "${String(iss.input)}"` });

export const channelId = text('Slack channel ID, like C0123456789').refine((s) => /^[CG][A-Z0-9]{6,}$/.test(s), {
  error: (iss) => `must be a Slack channel ID like C0123456789 (not a #name), got "${String(iss.input)}"`,
});

export const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user ID like U0123456789' });

export const secret = z.string().min(1);

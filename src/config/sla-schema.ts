// The response-target part of an inbox's configuration (`sla:`, `autoCloseWaitingAfter`):
// durations, business hours, IANA time zone and holidays, each bad value named.
import { z } from 'zod';
import { isIsoDate, isValidTimeZone, parseBusinessHours, type MinuteRange } from '../core/business-hours.ts';
import { parseDuration } from '../core/durations.ts';
import type { Problem } from './schema.ts';

/** `90s`, `15m`, `4h`, `2d` → milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(String(v));
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `must be a duration like 90s, 15m, 4h or 2d, got "${String(v)}"` });
    return z.NEVER;
  }
  return ms;
});

const businessHours = z.string({ error: 'must be text like "Mon-Fri 09:00-18:00"' }).transform((v, ctx) => {
  const p = parseBusinessHours(v);
  if (!p.ok) {
    ctx.addIssue({ code: 'custom', message: `${p.error} (write e.g. "Mon-Thu 09:00-17:00, Fri 09:00-13:00")` });
    return z.NEVER;
  }
  return p.week;
});

export const timeZone = z.string({ error: 'must be an IANA time zone like Europe/Madrid' }).trim().refine(isValidTimeZone, {
  error: (iss) => `must be an IANA time zone like Europe/Madrid or America/New_York, got "${String(iss.input)}"`,
});

// YAML 1.2 reads 2026-12-25 as text; a YAML 1.1 timestamp would be a Date.
const holiday = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
  if (!isIsoDate(s)) {
    ctx.addIssue({ code: 'custom', message: `must be a date like 2026-12-25, got "${String(v)}"` });
    return z.NEVER;
  }
  return s;
});

export const slaInput = z.strictObject({
  firstResponse: duration.optional(),
  nextResponse: duration.optional(),
  warnBefore: duration.optional(),
  businessHours: businessHours.optional(),
  timezone: timeZone.optional(),
  holidays: z.array(holiday, { error: 'must be a list of dates like [2026-12-25, 2027-01-01]' }).default([]),
});

export interface SlaSettings {
  firstResponseMs: number | null;
  nextResponseMs: number | null;
  /** 0: no warning. */
  warnBeforeMs: number;
  /** null: every hour counts. */
  businessHours: MinuteRange[][] | null;
  holidays: string[];
}

/** The inbox's time zone (snoozes, business hours) and its response targets; no targets, no SLA. */
export function resolveTime(given: z.output<typeof slaInput> | undefined, problem: Problem): { timezone: string | null; sla: SlaSettings | null } {
  let sla = given;
  if (!sla) return { timezone: null, sla: null };
  // Checked even when a field is bad (every problem in one run): only well-read values count here.
  if (!Array.isArray(sla.holidays)) sla = { ...sla, holidays: [] };
  const targets = [sla.firstResponse, sla.nextResponse].filter((t): t is number => typeof t === 'number');
  if (sla.businessHours !== undefined && !sla.timezone) problem(['sla', 'timezone'], 'is required with {sla.businessHours}: the IANA time zone the hours are in, like Europe/Madrid');
  if (sla.holidays.length && !sla.timezone) problem(['sla', 'timezone'], 'is required with {sla.holidays}: the IANA time zone the dates are in, like Europe/Madrid');
  if (targets.length === 0) {
    for (const key of ['warnBefore', 'businessHours', 'holidays'] as const)
      if (sla[key] !== undefined && !(key === 'holidays' && sla.holidays.length === 0)) problem(['sla', key], 'is set, but there is no response target: set {sla.firstResponse} or {sla.nextResponse} too');
    return { timezone: sla.timezone ?? null, sla: null };
  }
  if (typeof sla.warnBefore === 'number' && sla.warnBefore >= Math.min(...targets)) problem(['sla', 'warnBefore'], 'must be shorter than the response targets');
  return {
    timezone: sla.timezone ?? null,
    sla: {
      firstResponseMs: sla.firstResponse ?? null,
      nextResponseMs: sla.nextResponse ?? null,
      warnBeforeMs: sla.warnBefore ?? 0,
      businessHours: sla.businessHours ?? null,
      holidays: sla.holidays,
    },
  };
}

// Response targets, business hours, time zone, holidays and auto-close in the configuration:
// from the environment and the YAML file; none by default; a bad value is named.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load.ts';

const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'shhh-secret-value',
  MAILROOM_CHANNEL: 'C0123456789',
  MAILROOM_ADDRESS: 'support@acme.com',
  IMAP_HOST: 'imap.acme.com',
  IMAP_PASSWORD: 'pw',
  IMAP_USER: 'support@acme.com',
  SMTP_HOST: 'smtp.acme.com',
};
const H = 3_600_000;

function problems(env: Record<string, string | undefined>, file?: string): string[] {
  try {
    loadConfig(file ? { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CONFIG: '/m.yaml', ...env } : env, () => file ?? '');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const yaml = (sla: string) => `
inboxes:
  - name: Support
    channel: C0123456789
    address: support@acme.com
    imap: { host: imap.acme.com, password: pw, user: support@acme.com }
    smtp: { host: smtp.acme.com }
${sla}
`;

describe('SLA settings', () => {
  it('has no SLA, time zone or auto-close by default', () => {
    expect(loadConfig(base).inboxes[0]).toMatchObject({ sla: null, timezone: null, autoCloseWaitingAfterMs: null });
  });

  it('reads them from the environment', () => {
    const c = loadConfig({
      ...base,
      MAILROOM_SLA_FIRST_RESPONSE: '4h',
      MAILROOM_SLA_NEXT_RESPONSE: '1d',
      MAILROOM_SLA_WARN_BEFORE: '30m',
      MAILROOM_BUSINESS_HOURS: 'Mon-Thu 09:00-17:00, Fri 09:00-13:00',
      MAILROOM_TIMEZONE: 'Europe/Madrid',
      MAILROOM_HOLIDAYS: '2026-12-25, 2027-01-01',
      MAILROOM_AUTO_CLOSE_WAITING_AFTER: '7d',
    });
    const inbox = c.inboxes[0]!;
    expect(inbox.timezone).toBe('Europe/Madrid');
    expect(inbox.autoCloseWaitingAfterMs).toBe(7 * 24 * H);
    expect(inbox.sla).toEqual({
      firstResponseMs: 4 * H,
      nextResponseMs: 24 * H,
      warnBeforeMs: 30 * 60_000,
      businessHours: [[[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 780]], [], []],
      holidays: ['2026-12-25', '2027-01-01'],
    });
  });

  it('reads them from the YAML file, and a time zone alone (for snoozes) is no SLA', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CONFIG: '/m.yaml' }, () =>
      yaml('    sla: { firstResponse: 90s, warnBefore: 30s, businessHours: "Mon-Fri 09:00-18:00", timezone: America/New_York, holidays: [2026-11-26] }\n    autoCloseWaitingAfter: 2d'),
    );
    expect(c.inboxes[0]).toMatchObject({ timezone: 'America/New_York', autoCloseWaitingAfterMs: 48 * H, sla: { firstResponseMs: 90_000, nextResponseMs: null, warnBeforeMs: 30_000, holidays: ['2026-11-26'] } });
    const tzOnly = loadConfig({ ...base, MAILROOM_TIMEZONE: 'Asia/Tokyo' }).inboxes[0]!;
    expect(tzOnly).toMatchObject({ timezone: 'Asia/Tokyo', sla: null });
  });

  it('names every bad value, in the environment', () => {
    const lines = problems({
      ...base,
      MAILROOM_SLA_FIRST_RESPONSE: '4 hours',
      MAILROOM_SLA_NEXT_RESPONSE: '8',
      MAILROOM_BUSINESS_HOURS: 'Mon-Fri 18:00-09:00',
      MAILROOM_TIMEZONE: 'Europe/Atlantis',
      MAILROOM_HOLIDAYS: '2026-12-25,2026-13-01',
      MAILROOM_AUTO_CLOSE_WAITING_AFTER: 'a week',
    });
    expect(lines).toContain('MAILROOM_SLA_FIRST_RESPONSE must be a duration like 90s, 15m, 4h or 2d, got "4 hours"');
    expect(lines).toContain('MAILROOM_SLA_NEXT_RESPONSE must be a duration like 90s, 15m, 4h or 2d, got "8"');
    expect(lines.find((l) => l.startsWith('MAILROOM_BUSINESS_HOURS '))).toContain('ends before it starts');
    expect(lines).toContain('MAILROOM_TIMEZONE must be an IANA time zone like Europe/Madrid or America/New_York, got "Europe/Atlantis"');
    expect(lines).toContain('MAILROOM_HOLIDAYS must be a date like 2026-12-25, got "2026-13-01"');
    expect(lines).toContain('MAILROOM_AUTO_CLOSE_WAITING_AFTER must be a duration like 90s, 15m, 4h or 2d, got "a week"');
  });

  it('names settings that make no sense together', () => {
    expect(problems({ ...base, MAILROOM_SLA_FIRST_RESPONSE: '4h', MAILROOM_BUSINESS_HOURS: 'Mon-Fri 09:00-18:00' })).toEqual([
      'MAILROOM_TIMEZONE is required with MAILROOM_BUSINESS_HOURS: the IANA time zone the hours are in, like Europe/Madrid',
    ]);
    expect(problems({ ...base, MAILROOM_SLA_WARN_BEFORE: '30m' })).toEqual([
      'MAILROOM_SLA_WARN_BEFORE is set, but there is no response target: set MAILROOM_SLA_FIRST_RESPONSE or MAILROOM_SLA_NEXT_RESPONSE too',
    ]);
    expect(problems({ ...base, MAILROOM_SLA_FIRST_RESPONSE: '20m', MAILROOM_SLA_WARN_BEFORE: '30m' })).toEqual(['MAILROOM_SLA_WARN_BEFORE must be shorter than the response targets']);
  });

  it('names the YAML path of a bad value and of an unknown key', () => {
    const lines = problems({}, yaml('    sla: { firstResponse: soon, timezone: Mars/Olympus, holidays: [christmas], businessHours: "Mon-Fry 9-17" }'));
    expect(lines).toContain('/m.yaml: inboxes[0].sla.firstResponse must be a duration like 90s, 15m, 4h or 2d, got "soon"');
    expect(lines).toContain('/m.yaml: inboxes[0].sla.timezone must be an IANA time zone like Europe/Madrid or America/New_York, got "Mars/Olympus"');
    expect(lines).toContain('/m.yaml: inboxes[0].sla.holidays[0] must be a date like 2026-12-25, got "christmas"');
    expect(lines.find((l) => l.includes('sla.businessHours'))).toContain('"Mon-Fry"');
    expect(problems({}, yaml('    sla: { firstResponse: 4h, targetPlease: 1h }'))).toEqual(['/m.yaml: inboxes[0].sla has unknown key targetPlease']);
    expect(problems({}, yaml('    sla: 4h'))[0]).toMatch(/^\/m\.yaml: inboxes\[0\]\.sla /);
  });
});

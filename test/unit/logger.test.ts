// Both log formats: JSON objects by default, readable lines with LOG_FORMAT=pretty; neither ever
// shows a secret or a body (the same redaction runs before either format writes).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger, defaultLogFormat } from '../../src/logger.ts';

function sink() {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

const SECRET = 'imap-Secret-Zz91';
const BODY = 'the-customer-wrote-this-4e4e';

function logSome(format: 'json' | 'pretty' | undefined) {
  const s = sink();
  const logger = createLogger({ level: 'info', destination: s.stream, ...(format ? { format } : {}) });
  logger.child({ part: 'imap', inbox: 'support' }).info({ uid: 42, imap: { password: SECRET }, text: BODY }, 'email fetched');
  logger.warn({ token: SECRET, body: BODY }, 'Slack slow');
  logger.debug('not at info');
  return s.text();
}

describe('createLogger', () => {
  it('writes one JSON object per line by default, secrets and bodies redacted', async () => {
    const out = logSome(undefined);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, part: 'imap', inbox: 'support', uid: 42, msg: 'email fetched', text: '[redacted]' });
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(BODY);
  });

  it('writes readable lines with format pretty: time, level, where, message, then the fields', async () => {
    const out = logSome('pretty');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[imap support\] email fetched \{"uid":42,/);
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: Slack slow /);
    expect(out).not.toMatch(/\x1b\[/); // no colours into something that is not a terminal
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(BODY);
    expect(out).toContain('[redacted]');
  });

  it('defaults to pretty on a terminal and JSON elsewhere; LOG_FORMAT chooses', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CHANNEL: 'C0123456789', MAILROOM_ADDRESS: 'a@b.co', IMAP_HOST: 'h', IMAP_USER: 'u', IMAP_PASSWORD: 'p', SMTP_HOST: 'h' };
    expect(loadConfig(env).logFormat).toBeNull();
    expect(loadConfig({ ...env, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ ...env, LOG_FORMAT: 'fancy' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });
});

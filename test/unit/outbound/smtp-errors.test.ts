import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { classifySmtpError, safeReason } from '../../../src/mail/outbound/smtp-errors.ts';

const smtpError = (props: Record<string, unknown>, message = 'failed') => Object.assign(new Error(message), props);

describe('classifySmtpError', () => {
  it('4xx replies are temporary, with the server text', () => {
    expect(classifySmtpError(smtpError({ code: 'EMESSAGE', responseCode: 452, response: '452 4.2.2 Mailbox full' }))).toEqual({
      ok: false,
      temporary: true,
      code: 452,
      reason: '452 4.2.2 Mailbox full',
      errorCode: 'smtp.deferred',
    });
  });

  it('5xx replies are permanent, also when every recipient was refused', () => {
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <x@y.org>: User unknown' }))).toMatchObject({
      temporary: false,
      code: 550,
      reason: '550 5.1.1 <x@y.org>: User unknown',
      errorCode: 'smtp.rejected',
    });
  });

  it('login failures are permanent and say so', () => {
    const result = classifySmtpError(smtpError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' }, 'Invalid login: 535 5.7.8 Authentication failed'));
    expect(result).toMatchObject({ temporary: false, code: 535, errorCode: 'smtp.auth' });
    expect(result.reason).toBe('SMTP login failed: 535 5.7.8 Authentication failed');
    expect(classifySmtpError(smtpError({ code: 'ENOAUTH' }, 'Missing credentials for "PLAIN"'))).toMatchObject({ temporary: false, errorCode: 'smtp.auth' });
  });

  it('connection trouble is temporary and explained', () => {
    const refused = classifySmtpError(smtpError({ code: 'ESOCKET', errno: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:2525'));
    expect(refused).toMatchObject({ temporary: true, errorCode: 'smtp.connection' });
    expect(refused.reason).toBe('Could not send: the SMTP server refused the connection (connect ECONNREFUSED 127.0.0.1:2525)');
    for (const code of ['ETIMEDOUT', 'ECONNECTION', 'EDNS', 'ETLS', 'EPROTOCOL']) {
      expect(classifySmtpError(smtpError({ code }, 'x'))).toMatchObject({ temporary: true, errorCode: 'smtp.connection' });
    }
    expect(classifySmtpError(new Error('socket hang up'))).toMatchObject({ temporary: true });
    expect(classifySmtpError('weird')).toMatchObject({ temporary: true, reason: 'Could not send: weird' });
  });

  it('bad input is permanent: our own AppErrors and nodemailer envelope errors without a reply', () => {
    expect(classifySmtpError(new AppError('email.header_injection', 'bad subject'))).toEqual({
      ok: false,
      temporary: false,
      reason: 'bad subject',
      errorCode: 'email.header_injection',
    });
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE' }, 'No recipients defined'))).toMatchObject({ temporary: false, errorCode: 'smtp.bad_message' });
  });

  it('ignores reply codes that are not SMTP codes', () => {
    const result = classifySmtpError(smtpError({ code: 'ESOCKET', responseCode: 42 }));
    expect(result.temporary).toBe(true);
    expect(result.code).toBeUndefined();
  });
});

describe('safeReason', () => {
  it('makes one printable line of bounded length', () => {
    expect(safeReason('550-5.7.1 first\r\n550 5.7.1 second\u0000')).toBe('550-5.7.1 first 550 5.7.1 second');
    const long = safeReason('x'.repeat(2000));
    expect(long).toHaveLength(500);
    expect(long.endsWith('...')).toBe(true);
  });
});

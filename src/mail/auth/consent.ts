// The one-time consent of `mailroom auth`: authorization code with PKCE and a loopback redirect
// on 127.0.0.1 (a free port), finished either by the browser reaching that address or by the
// person pasting the address the browser ended on (a server with no browser); or the device-code
// flow. Resolves with the provider's grant; throws SignInError or ConsentError in plain words.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../errors.ts';
import { startAuthorization, startDeviceAuthorization, type OAuthEndpointSettings, type TokenGrant } from './oauth-client.ts';

export class ConsentError extends AppError {
  constructor(message: string) {
    super('auth.consent_failed', message, message);
    this.name = 'ConsentError';
  }
}

export interface ConsentIo {
  /** Tells the person something (the link, the code, what to paste). */
  say(text: string): void;
  /** Lines typed on standard input (an address pasted back). */
  lines: AsyncIterable<string>;
}

export interface ConsentOptions {
  oauth: OAuthEndpointSettings;
  /** The mailbox's address, as a hint for the provider's sign-in page. */
  loginHint: string;
  timeoutMs: number;
  io: ConsentIo;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p>`;

/** Authorization code + PKCE. The provider sends the browser back to http://127.0.0.1:<port>/callback. */
export async function codeConsent(o: ConsentOptions): Promise<TokenGrant> {
  if (!o.oauth.authorizeUrl) throw new ConsentError('no authorize URL is configured (OAUTH_AUTHORIZE_URL, or oauth.authorizeUrl in YAML)');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const extra: Record<string, string> = { login_hint: o.loginHint };
  // Google gives a refresh token only for offline access, and only with a fresh consent.
  if (o.oauth.provider === 'google') Object.assign(extra, { access_type: 'offline', prompt: 'consent' });
  const request = await startAuthorization(o.oauth, redirectUri, extra);
  let timer: NodeJS.Timeout | undefined;
  let stopReading = false;
  try {
    const returned = await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new ConsentError(`no sign-in within ${Math.round(o.timeoutMs / 1000)} s: run mailroom auth again`)), o.timeoutMs);
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        if (url.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        const denied = url.searchParams.get('error');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(denied ? PAGE('Not signed in', 'The provider did not give consent. Go back to the terminal for what to do.') : PAGE('Signed in', 'Mailroom has what it needs. You can close this tab.'));
        resolve(url.href);
      });
      void (async () => {
        for await (const line of o.io.lines) {
          if (stopReading) return;
          const text = line.trim();
          if (!text) continue;
          if (text.startsWith(redirectUri.slice(0, redirectUri.lastIndexOf('/')))) return resolve(text);
          o.io.say(`That is not the address the browser ended on (it starts with ${redirectUri}); paste it whole.`);
        }
      })();
      o.io.say(
        [
          'Open this link in a browser and sign in with the mailbox’s account:',
          '',
          `  ${request.url}`,
          '',
          `Waiting for the sign-in. If the browser runs on another machine, it ends on an address starting with`,
          `${redirectUri} that does not load: copy that whole address from the address bar and paste it here.`,
        ].join('\n'),
      );
    });
    const params = new URL(returned).searchParams;
    const error = params.get('error');
    if (error) throw new ConsentError(error === 'access_denied' ? 'consent was refused at the provider' : `the provider refused the sign-in (${error}${params.get('error_description') ? `: ${params.get('error_description')}` : ''})`);
    return await request.finish(returned);
  } finally {
    stopReading = true;
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}

/** The device-code flow (RFC 8628): a code typed at the provider's page, on any device. */
export async function deviceConsent(o: ConsentOptions): Promise<TokenGrant> {
  if (!o.oauth.deviceUrl)
    throw new ConsentError(
      o.oauth.provider === 'google'
        ? 'Google offers no device sign-in for mail: run mailroom auth without --device'
        : 'no device authorization URL is configured (OAUTH_DEVICE_URL, or oauth.deviceUrl in YAML)',
    );
  const device = await startDeviceAuthorization(o.oauth);
  o.io.say(device.message ?? `To sign in, open ${device.verificationUri} and enter the code ${device.userCode}`);
  o.io.say('Waiting for the sign-in…');
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.min(o.timeoutMs, device.expiresIn * 1000));
  try {
    return await device.wait(abort.signal);
  } catch (err) {
    if (abort.signal.aborted) throw new ConsentError(`no sign-in within ${Math.round(Math.min(o.timeoutMs, device.expiresIn * 1000) / 1000)} s: run mailroom auth --device again`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

// Signatures: where they go (after the RFC 3676 "-- " line in the text part, in its own block at
// the end of the HTML body), in which order, filled in; the reply email built with one; the
// configuration; the modal preview and the opt-out.
import { describe, expect, it } from 'vitest';
import { appendSignature, composeSignature, SIGNATURE_SEPARATOR } from '../../src/core/signature.ts';
import { mrkdwnToEmail } from '../../src/core/mrkdwn-to-email.ts';
import { loadConfig } from '../../src/config/load.ts';
import { buildReplyEmail } from '../../src/mail/outbound/reply-email.ts';
import { signatureBlocks } from '../../src/slack/ui/views/email-fields.ts';
import { signatureModal } from '../../src/slack/ui/views/signature.view.ts';
import { checkSignature } from '../../src/usecases/signatures.ts';
import { blockProblems } from './slack/block-kit-limits.ts';

describe('composeSignature', () => {
  const vars = { teammateName: 'Ana Lima', inboxName: 'Acme Support' };
  it("puts the teammate's first, then the inbox's, with the names filled in", () => {
    expect(composeSignature({ teammate: '{{teammate_name}}', inbox: '*{{inbox_name}}* · acme.com' }, vars)).toBe('Ana Lima\n\n*Acme Support* · acme.com');
    expect(composeSignature({ teammate: null, inbox: 'Acme' }, vars)).toBe('Acme');
    expect(composeSignature({ teammate: '  ', inbox: null }, vars)).toBeNull();
  });
});

describe('appendSignature', () => {
  const body = mrkdwnToEmail('Hello *there*', { users: {} });
  const sig = mrkdwnToEmail('Ana Lima\n_Acme Support_', { users: {}, fragment: true });
  it('text: the body, a blank line, "-- " on its own line, the signature', () => {
    const out = appendSignature(body, sig);
    expect(out.text).toBe('Hello *there*\n\n-- \nAna Lima\n_Acme Support_\n');
    expect(out.text.split('\n')).toContain(SIGNATURE_SEPARATOR);
  });
  it('HTML: the same after the separator, inside the body of the document, once', () => {
    const out = appendSignature(body, sig);
    expect(out.html).toMatch(/<strong>there<\/strong>[\s\S]*<div class="mailroom-signature"[^>]*>-- <br>\n[\s\S]*Ana Lima[\s\S]*<em>Acme Support<\/em>[\s\S]*<\/div>\n<\/div><\/body><\/html>\n$/);
    expect(out.html.match(/<html>/g)).toHaveLength(1);
  });
  it('no signature: the body as it was', () => {
    expect(appendSignature(body, null)).toBe(body);
    expect(appendSignature(body, { text: '  ', html: '' })).toBe(body);
  });
  it('a signature can inject neither HTML nor headers', () => {
    const hostile = mrkdwnToEmail('&lt;script&gt;x&lt;/script&gt;\nBcc: evil@example.com', { users: {}, fragment: true });
    const out = appendSignature(body, hostile);
    expect(out.html).not.toContain('<script>');
    const reply = buildReplyEmail({ fromAddress: 'support@acme.com', ourAddresses: ['support@acme.com'], inboxName: 'Acme', authorName: 'Ana', parent: { messageId: 'a@b.c', references: [], inReplyTo: null, from: { name: '', address: 'c@d.example' }, replyTo: [], to: [], cc: [], subject: 'Hi' }, text: 'Hello', users: {}, token: 't', signature: 'Ana\nBcc: evil@example.com' });
    expect(reply.bcc).toEqual([]);
    expect(reply.text).toBe('Hello\n\n-- \nAna\nBcc: evil@example.com\n');
  });
});

describe('checkSignature', () => {
  it('trims, and refuses a signature over 2,000 characters', () => {
    expect(checkSignature('  Ana\r\nAcme  ')).toBe('Ana\nAcme');
    expect(() => checkSignature('x'.repeat(2001))).toThrow(expect.objectContaining({ code: 'signature.too_long' }));
  });
});

describe('configuration', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CHANNEL: 'C0123456', MAILROOM_ADDRESS: 'a@b.co', IMAP_HOST: 'h', IMAP_USER: 'u', IMAP_PASSWORD: 'p', SMTP_HOST: 's' };
  it('MAILROOM_SIGNATURE or signature: is the inbox signature', () => {
    expect(loadConfig({ ...env, MAILROOM_SIGNATURE: 'The Acme team' }).inboxes[0]!.signature).toBe('The Acme team');
    expect(loadConfig(env).inboxes[0]!.signature).toBeNull();
    expect(() => loadConfig({ ...env, MAILROOM_SIGNATURE: 'x'.repeat(2001) })).toThrow(/MAILROOM_SIGNATURE must be at most 2000 characters/);
  });
});

describe('modals', () => {
  it('Reply and Compose show the signature and a way to leave it off once; nothing without one', () => {
    const blocks = signatureBlocks('Ana Lima\nAcme');
    expect(JSON.stringify(blocks)).toContain('*Signature*\\nAna Lima\\nAcme');
    expect(JSON.stringify(blocks)).toContain('Leave the signature off this email');
    expect(signatureBlocks(null)).toEqual([]);
  });
  it('the signature modal holds yours, and the inbox one when given', () => {
    const v = signatureModal({ mine: 'Ana', inbox: { id: 1, name: 'Acme Support', signature: 'Acme' } });
    expect(JSON.stringify(v.blocks)).toContain('"initial_value":"Ana"');
    expect(JSON.stringify(v.blocks)).toContain('Signature of Acme Support');
    expect(JSON.parse(v.private_metadata!)).toEqual({ inboxId: 1 });
    expect(blockProblems(v.blocks as never, 100)).toEqual([]);
    expect(JSON.stringify(signatureModal({ mine: '' }).blocks)).not.toContain('Signature of');
  });
});

describe('the outbox builders', () => {
  it('a composed email gets the signature unless the modal left it off', async () => {
    const { defaultBuilders } = await import('../../src/usecases/outbox-emails.ts');
    const ctx = (signature?: false) =>
      ({
        store: {} as never,
        row: { id: 1, slackUserId: 'U0ANA', messageId: 'm1@acme.com', sendAt: 0, payload: { text: 'Hello', files: [], fromAddress: 'support@acme.com', to: [{ name: '', address: 'c@d.example' }], cc: [], bcc: [], subject: 'Hi', ...(signature === false ? { signature } : {}) } } as never,
        conversation: {} as never,
        inboxName: 'Acme',
        ourAddresses: ['support@acme.com'],
        installAddresses: ['support@acme.com'],
        displayName: async () => 'Ana Lima',
        namesIn: async () => ({}),
        download: async () => Buffer.alloc(0),
        signatures: { teammate: '{{teammate_name}}', inbox: 'The {{inbox_name}} team' },
      }) as Parameters<NonNullable<typeof defaultBuilders.compose>>[0];
    expect((await defaultBuilders.compose!(ctx())).text).toBe('Hello\n\n-- \nAna Lima\n\nThe Acme team\n');
    const off = await defaultBuilders.compose!(ctx(false));
    expect(off.text).toBe('Hello\n');
    expect(off.html).not.toContain('mailroom-signature');
  });
});

// Encryption at rest for the secrets the store keeps (refresh tokens), with MAILROOM_SECRET_KEY:
// AES-256-GCM under a key derived by scrypt from the configured secret and a random per-database
// salt. An encrypted value reads `enc:v1:<iv>:<tag>:<ciphertext>` (base64url); without a key,
// values are kept as they are. node:crypto does all of it; no library adds anything here.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const PREFIX = 'enc:v1:';

export interface SecretBox {
  /** Whether values are encrypted (a key is configured). */
  readonly encrypting: boolean;
  seal(plain: string): string;
  /** The plain value; throws when it was sealed with another key, or sealed and no key is set. */
  open(stored: string): string;
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

export function createSecretBox({ secret, salt }: { secret: string | null; salt: Buffer }): SecretBox {
  // scrypt's cost is paid once, at start.
  const key = secret ? scryptSync(secret, salt, 32) : null;
  return {
    encrypting: key !== null,
    seal(plain) {
      if (!key) return plain;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${[iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url')).join(':')}`;
    },
    open(stored) {
      if (!isSealed(stored)) return stored;
      if (!key) throw new Error('sealed with a key, and no key is set');
      const [iv, tag, ct] = stored.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv!);
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(ct!), decipher.final()]).toString('utf8');
    },
  };
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Secrets and tokens: 32 random bytes, base64url; stored as SHA-256 hashes (random secrets need
// no slow hash), compared in constant time.
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

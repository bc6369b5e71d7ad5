import type { ServerHostKeyAlgorithm } from 'ssh2';
import { fingerprintSha256, keyTypeOf, type HostKeyPolicy, type KnownHosts } from './known-hosts.ts';

export interface PresentedHostKey {
  host: string;
  port: number;
  keyBlob: Buffer;
}

// A host key as OpenSSH shows it: `ssh-ed25519 SHA256:...`.
export function presentedKey(keyBlob: Buffer): string {
  return `${keyTypeOf(keyBlob)} ${fingerprintSha256(keyBlob)}`;
}

// Applies the policy to the key a server presented: resolves to undefined when the key is
// accepted, or to a one-line reason for refusing it. An unknown key accepted under accept-new is
// not recorded here: the connection records it once the grader has authenticated (ssh-host.ts), so
// that a server that refused the grader leaves no trace in known_hosts.
export function verifyHostKey(
  knownHosts: KnownHosts,
  policy: HostKeyPolicy,
  { host, port, keyBlob }: PresentedHostKey,
): string | undefined {
  if (policy === 'off') return undefined;
  const keyType = keyTypeOf(keyBlob);
  const presented = presentedKey(keyBlob);
  const where = `${host}:${port}`;
  const entries = knownHosts.lookup(host, port);
  switch (knownHosts.check(host, port, keyType, keyBlob)) {
    case 'match':
      return undefined;
    case 'revoked': {
      const line = entries.find((e) => e.revoked && e.keyBlob.equals(keyBlob))?.line;
      return `host key of ${where} is revoked (${knownHosts.path}:${line}): presented ${presented}`;
    }
    case 'mismatch': {
      const expected = entries
        .filter((e) => !e.revoked)
        .map((e) => `${e.keyType} ${fingerprintSha256(e.keyBlob)} (${knownHosts.path}:${e.line})`)
        .join(', ');
      const hint = 'if the VM was reinstalled, remove the old key from known_hosts';
      return `host key of ${where} has changed: presented ${presented}, expected ${expected} (${hint})`;
    }
    case 'unknown':
      if (policy === 'strict') {
        return `host key of ${where} is not in ${knownHosts.path} and host key checking is strict: presented ${presented}`;
      }
      return undefined;
  }
}

// ssh2's server host key algorithms, with those of the key types already known for the host
// first (as OpenSSH does), so that a host known by its ECDSA key is not asked for its Ed25519 one.
const HOST_KEY_ALGORITHMS: ReadonlyArray<readonly [algorithm: ServerHostKeyAlgorithm, keyType: string]> = [
  ['ssh-ed25519', 'ssh-ed25519'],
  ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256'],
  ['ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384'],
  ['ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521'],
  ['rsa-sha2-512', 'ssh-rsa'],
  ['rsa-sha2-256', 'ssh-rsa'],
  ['ssh-rsa', 'ssh-rsa'],
];

export function hostKeyAlgorithms(knownKeyTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const known = HOST_KEY_ALGORITHMS.filter(([, type]) => knownKeyTypes.includes(type));
  const others = HOST_KEY_ALGORITHMS.filter(([, type]) => !knownKeyTypes.includes(type));
  return [...known, ...others].map(([algorithm]) => algorithm);
}

import ssh2, { type ParsedKey } from 'ssh2';

// A throwaway ed25519 key pair for a test, made by ssh2 and parsed back by ssh2.
// ssh2's generateKeyPairSync writes about one ed25519 key in 300 that its own parseKey rejects as
// "Malformed OpenSSH private key" (the public key's leading zero byte dropped: 31 bytes, not 32),
// which made tests fail at random. OpenSSH's ssh-keygen never does this, so the grader itself
// meets only well-formed keys; a test draws again until the pair parses.
export interface TestKeyPair {
  /** The OpenSSH private key file's text. */
  private: string;
  /** The public key blob, as in known_hosts and authorized_keys. */
  blob: Buffer;
  parsed: ParsedKey;
}

export function ed25519KeyPair(encryption?: { passphrase: string; rounds?: number }): TestKeyPair {
  const options = encryption ? { passphrase: encryption.passphrase, cipher: 'aes256-ctr', rounds: encryption.rounds ?? 4 } : undefined;
  for (;;) {
    const pair = options ? ssh2.utils.generateKeyPairSync('ed25519', options) : ssh2.utils.generateKeyPairSync('ed25519');
    const publicKey = ssh2.utils.parseKey(pair.public);
    const privateKey = ssh2.utils.parseKey(pair.private, encryption?.passphrase);
    if (!(publicKey instanceof Error) && !(privateKey instanceof Error)) {
      const parsed = (Array.isArray(publicKey) ? publicKey[0] : publicKey) as ParsedKey;
      return { private: pair.private, blob: parsed.getPublicSSH(), parsed };
    }
  }
}

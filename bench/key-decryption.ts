// One decryption of an encrypted private key, measured alone.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parsePrivateKey } from '../grader/transport/credentials.ts';
import { graderEnv, REPO } from './contenders.ts';
import { measure } from './measure.ts';
import type { KeyDecryptionRecord } from './results.ts';

// One decryption of the encrypted key, `runs` times each, in CPU time (the machine may be shared):
// by the grader (ssh2's key parser, in this process, on a fresh copy of the key so that nothing is
// cached) and by OpenSSH's ssh-keygen (C; `-y` derives the public key from it).
export async function keyDecryptions(key: { keyPath: string; passphrase: string }, runs: number): Promise<KeyDecryptionRecord> {
  const text = await readFile(key.keyPath);
  const record: KeyDecryptionRecord = { graderMs: [], opensshMs: [] };
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage();
    parsePrivateKey(Buffer.from(text), key.passphrase);
    const spent = process.cpuUsage(started);
    record.graderMs.push((spent.user + spent.system) / 1000);
    const m = await measure({ argv: ['ssh-keygen', '-y', '-P', key.passphrase, '-f', key.keyPath], cwd: REPO, env: graderEnv() });
    if (m.exitCode !== 0) throw new Error(`ssh-keygen -y failed: ${m.stderr}`);
    record.opensshMs.push(m.userMs + m.sysMs);
  }
  return record;
}

// `--key-decryption`: a key ssh-keygen encrypts with its defaults (OpenSSH's format, aes256-ctr,
// bcrypt KDF with 16 rounds, as the lab's key in the full run), decrypted `runs` times; needs no
// root and no lab.
export async function keyDecryptionAlone(runs: number): Promise<KeyDecryptionRecord> {
  const dir = await mkdtemp(join(tmpdir(), 'rlg-bench-key-'));
  try {
    const key = { keyPath: join(dir, 'id_ed25519'), passphrase: randomBytes(12).toString('base64url') };
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-C', '', '-N', key.passphrase, '-f', key.keyPath]);
    return await keyDecryptions(key, runs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The lab's SSH keys: the grader's client key (OpenSSH format) and each guest's dropbear host key.
import { chmod, copyFile, readFile } from 'node:fs/promises';
import { LabError } from './errors.ts';
import { run } from '../kit/run.ts';

/** Writes an unencrypted ed25519 key pair `path` + `path.pub` (OpenSSH), for the grader. */
export async function generateClientKey(path: string, comment: string): Promise<string> {
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

/** Copies the key pair `from` + `from.pub` to `path` + `path.pub` (mode 0600); returns the public key. */
export async function copyClientKey(from: string, path: string): Promise<string> {
  await copyFile(from, path);
  await chmod(path, 0o600);
  await copyFile(`${from}.pub`, `${path}.pub`);
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

/** The `ssh-ed25519 AAAA...` line in `dropbearkey` output, without its comment. */
export function parseDropbearPublicKey(output: string): string {
  const line = output.split('\n').find((l) => /^ssh-ed25519 [A-Za-z0-9+/=]+/.test(l.trim()));
  if (!line) throw new LabError(`dropbearkey printed no ssh-ed25519 public key: ${output.trim().slice(0, 200)}`);
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** Writes a dropbear-format ed25519 host key to `path`; returns its public key (`ssh-ed25519 AAAA...`). */
export async function generateHostKey(path: string): Promise<string> {
  const { stdout } = await run(['dropbearkey', '-t', 'ed25519', '-f', path]);
  return parseDropbearPublicKey(stdout);
}

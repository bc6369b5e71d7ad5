import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

// What the student's `submit` trusts as the course server: the SSH host key it saw on its first
// submit to that address (trust on first use, kept in the student's own file), or the fingerprint
// the instructor published (`serve` prints it; `submit --server-key`). A changed key is refused.

/** A fingerprint as `serve` and OpenSSH print it. */
export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** The student's file of pinned servers: `$XDG_CONFIG_HOME/router-lab-grader/known_servers` (else `~/.config/...`). */
export function knownServersFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'router-lab-grader', 'known_servers');
}

/** `host:port fingerprint` lines; the last line for an address wins. */
export function parsePins(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const [address, fingerprint] = line.trim().split(/\s+/);
    if (address && fingerprint && FINGERPRINT.test(fingerprint)) pins.set(address, fingerprint);
  }
  return pins;
}

/** Where a server's expected key comes from. */
export type ExpectedKey = { fingerprint: string; from: 'published' } | { fingerprint: string; from: 'pinned'; file: string } | { from: 'first-use'; file: string };

export async function expectedServerKey(address: string, published: string | undefined, file: string): Promise<ExpectedKey> {
  if (published) return { fingerprint: published, from: 'published' };
  const pinned = existsSync(file) ? parsePins(await readFile(file, 'utf8')).get(address) : undefined;
  return pinned ? { fingerprint: pinned, from: 'pinned', file } : { from: 'first-use', file };
}

/** Records a server's key (first use, or the one given with --server-key), unless it is already the recorded one. */
export async function pinServerKey(file: string, address: string, fingerprint: string): Promise<void> {
  if (existsSync(file) && parsePins(await readFile(file, 'utf8')).get(address) === fingerprint) return;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${address} ${fingerprint}\n`, { mode: 0o600 });
}

/** The one line saying that the server's key is not the expected one. */
export function changedKeyLine(url: string, seen: string, expected: Exclude<ExpectedKey, { from: 'first-use' }>): string {
  const why = expected.from === 'pinned' ? `as on your first submit (${expected.file})` : 'as given with --server-key';
  const advice = expected.from === 'pinned' ? "; if your instructor announced a new key, give it with --server-key" : '';
  return `the course server at ${url} has host key ${seen}, not ${expected.fingerprint} ${why}: it may not be your course's server${advice}`;
}

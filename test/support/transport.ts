import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SshEndpoint } from '../../grader/transport/ssh-host.ts';

// A known_hosts path in a fresh temp dir (the file itself does not exist yet).
export async function tempKnownHostsPath(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'grader-known-hosts-'));
  return { path: join(dir, 'ssh', 'known_hosts'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function endpointOf(server: { host: string; port: number }, user = 'root'): SshEndpoint {
  return { host: server.host, port: server.port, user };
}

// Closes, after each test, whatever a test opened.
export class Closer {
  private readonly items: Array<{ close(): Promise<unknown> }> = [];

  add<T extends { close(): Promise<unknown> }>(item: T): T {
    this.items.push(item);
    return item;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.items.splice(0).reverse().map((item) => item.close()));
  }
}

// Whether any process on this machine has `pattern` in its command line (pgrep -f).
export async function processRunning(pattern: string): Promise<boolean> {
  try {
    await promisify(execFile)('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}

export function uniqueTag(): string {
  return `${process.pid}${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
}

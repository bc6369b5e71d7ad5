// A throwaway PostgreSQL server for the course record's tests: Debian's postgresql (15 or newer),
// a cluster initdb'd in a temp folder owned by `nobody` (PostgreSQL refuses to run as root),
// listening on 127.0.0.1 on a free port and on a socket in that folder, trust authentication for
// the local user `postgres`. stop() removes everything, and so does the test process's exit.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A new, empty database; its URL. */
  createDatabase(name: string): Promise<string>;
  /** A database's URL through the server's unix socket (reachable from a network namespace with no route). */
  socketUrl(name: string): string;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed: run scripts/install-system-packages.sh (Debian package postgresql)');
  return path.join(root, versions[0]!, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const NOBODY = 65534;

export async function startPostgres(): Promise<PostgresServer> {
  if (process.getuid?.() !== 0) throw new Error('the PostgreSQL tests start their server as nobody: run them as root');
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'rlg-postgres-'));
  chownSync(dir, NOBODY, NOBODY);
  const data = path.join(dir, 'data');
  const asNobody = (command: string, args: string[]) =>
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', path.join(bin, command), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  let started = false;
  const stop = () => {
    if (started) {
      try {
        asNobody('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
  };
  process.on('exit', stop);
  try {
    asNobody('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=60`;
    asNobody('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    started = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      port,
      async createDatabase(name: string) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
      },
      socketUrl: (name: string) => `postgres://postgres@${encodeURIComponent(dir)}:${port}/${encodeURIComponent(name)}`,
      stop,
    };
  } catch (error) {
    const log = path.join(dir, 'server.log');
    const detail = existsSync(log) ? execFileSync('tail', ['-5', log], { encoding: 'utf8' }) : String((error as { stderr?: Buffer }).stderr ?? '');
    stop();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${detail}`);
  }
}

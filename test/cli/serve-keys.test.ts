// What `serve` keeps from one start to the next, and what `submit` trusts: the board link stays the
// same until rotated, and the student's client pins the server's SSH host key (first use, or the
// fingerprint the instructor published). Real `serve` processes on loopback, real `submit` runs.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../grader/store/open-store.ts';
import { REPO, runCli } from '../support/run-cli.ts';
import { testDir } from '../support/test-files.ts';

const TSX = pathToFileURL(`${REPO}node_modules/tsx/dist/loader.mjs`).href;
const running = new Set<ChildProcess>();

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

interface Served {
  board: string;
  url: string;
  fingerprint: string;
  stop(): Promise<void>;
}

// One `serve` on a free loopback port, until stop() (SIGTERM).
async function serve(dir: string, ...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', TSX, `${REPO}grader/cli.ts`, 'serve', '--listen', '127.0.0.1:0', '--out', join(dir, 'record'), ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', GRADER_SSH_KEY: join(dir, 'course_key') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (let i = 0; i < 150 && !/listening on/.test(out); i++) await new Promise((r) => setTimeout(r, 200));
  const board = /^board: (\S+)$/m.exec(out)?.[1];
  const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)/m.exec(out)?.[1];
  const fingerprint = /^server key: (SHA256:[A-Za-z0-9+/]{43})/m.exec(out)?.[1];
  expect({ board, url, fingerprint, out }).toMatchObject({ board: expect.any(String), url: expect.any(String), fingerprint: expect.any(String) });
  return {
    board: board!,
    url: url!,
    fingerprint: fingerprint!,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      running.delete(child);
    },
  };
}

async function courseDir(prefix: string): Promise<string> {
  const dir = await testDir(prefix);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'course_key')]);
  // A lab that is never reached: the server refuses the token before it asks for any VM.
  await writeFile(join(dir, 'labs.yaml'), 'defaults: { user: root }\nlabs:\n  mine:\n    vm1: { address: 127.0.0.1, port: 1 }\n    router: { address: 127.0.0.1, port: 2 }\n    vm3: { address: 127.0.0.1, port: 3 }\n');
  return dir;
}

const secretOf = (board: string) => new URL(board).searchParams.get('secret')!;

describe('the board link', () => {
  it('stays the same from one start of serve to the next, and changes (the old one refused) only with --rotate-board-secret', async () => {
    const dir = await courseDir('rlg-serve-board-');
    const first = await serve(dir);
    await first.stop();
    const second = await serve(dir);
    await second.stop();
    expect(second.board).toBe(first.board);
    const rotated = await serve(dir, '--rotate-board-secret');
    await rotated.stop();
    expect(secretOf(rotated.board)).not.toBe(secretOf(first.board));
    const store = await openStore(join(dir, 'record'));
    try {
      expect(await store.checkBoardSecret(secretOf(first.board))).toBe(false);
      expect(await store.checkBoardSecret(secretOf(rotated.board))).toBe(true);
    } finally {
      await store.close();
    }
    const after = await serve(dir);
    await after.stop();
    expect(after.board).toBe(rotated.board);
  }, 90_000);
});

describe("submit and the server's host key", () => {
  const submit = (dir: string, url: string, ...args: string[]) =>
    runCli(['submit', url, '--token', 'x'.repeat(43), '--inventory', join(dir, 'labs.yaml'), '--host', 'mine', ...args], { HOME: join(dir, 'home'), XDG_CONFIG_HOME: undefined });

  it('pins the key on first use and refuses, in one line, a server whose key changed', async () => {
    const dir = await courseDir('rlg-serve-pin-');
    const server = await serve(dir);
    const first = await submit(dir, server.url);
    // The key was accepted (the token was what the server refused) and pinned.
    expect(first.stderr).toMatch(/refused this token/);
    const pins = join(dir, 'home', '.config', 'router-lab-grader', 'known_servers');
    expect(await readFile(pins, 'utf8')).toBe(`${new URL(server.url).host} ${server.fingerprint}\n`);
    expect((await submit(dir, server.url)).stderr).toMatch(/refused this token/);
    await server.stop();
    // The same server with a new host key: the student's client refuses it.
    await rm(join(dir, 'record', 'course-server', 'ssh_host_ed25519_key'));
    const impostor = await serve(dir, '--listen', `127.0.0.1:${new URL(server.url).port}`);
    expect(impostor.fingerprint).not.toBe(server.fingerprint);
    const refused = await submit(dir, server.url);
    await impostor.stop();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `router-lab-grader: the course server at ${server.url} has host key ${impostor.fingerprint}, not ${server.fingerprint} as on your first submit (${pins}): it may not be your course's server; if your instructor announced a new key, give it with --server-key\n`,
    );
  }, 90_000);

  it('checks the fingerprint the instructor published, given with --server-key', async () => {
    const dir = await courseDir('rlg-serve-fingerprint-');
    const server = await serve(dir);
    const wrong = await submit(dir, server.url, '--server-key', `SHA256:${'A'.repeat(43)}`);
    const right = await submit(dir, server.url, '--server-key', server.fingerprint);
    const malformed = await submit(dir, server.url, '--server-key', 'abc');
    await server.stop();
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`router-lab-grader: the course server at ${server.url} has host key ${server.fingerprint}, not SHA256:${'A'.repeat(43)} as given with --server-key: it may not be your course's server\n`);
    expect(right.stderr).toMatch(/refused this token/);
    expect([malformed.code, malformed.stderr]).toEqual([2, "router-lab-grader: submit: --server-key must be a fingerprint as serve prints it (SHA256: and 43 characters), not 'abc'\n"]);
  }, 90_000);
});

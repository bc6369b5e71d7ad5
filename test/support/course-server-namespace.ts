// The course server as a course deploys it, on reference labs: the server runs in a network
// namespace of its own, joined to this machine (the student's, which reaches the labs'
// management networks) by a veth pair and nothing else, so it has NO route to any lab. Students'
// `submit` from this machine gets each lab graded through their own connection; every attempt is
// in the course record; bad tokens are refused; a tunnel killed mid-grading is no fail.
// One suite, run over each kind of course record (test/e2e/course-server*.test.ts): the record is
// what `recordFor` gives (an --out folder, a PostgreSQL database reached by its unix socket, which
// the namespace reaches as a file, with no route).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../grader/store/open-store.ts';
import type { Variant } from '../../labs/netns/api.ts';
import { expectedFor } from '../e2e/expected-verdicts.ts';
import { resultKey } from './exercise-results.ts';
import { upInstructorClass, type InstructorClass } from './instructor-class.ts';
import { REPO, runCli } from './run-cli.ts';

/** Where a suite's course record is: the CLI's options naming it, what openStore opens, and its teardown. */
export interface SuiteRecord {
  args: string[];
  where: string;
  stop?: () => void | Promise<void>;
}

export interface NamespaceSuite {
  title: string;
  /** The labs' name prefix and the suite's own namespace and subnet (suites may run at once). */
  prefix: string;
  subnet: number;
  recordFor(dir: string): Promise<SuiteRecord>;
}

const VARIANTS: Variant[] = ['good', 'no-forwarding', 'no-return-route'];
const TSX = pathToFileURL(`${REPO}node_modules/tsx/dist/loader.mjs`).href;

export function describeCourseServerInNamespace(suite: NamespaceSuite): void {
  const id = process.pid % 100_000;
  const NS = `rlg-${suite.prefix}-${id}`;
  const VETH = `${suite.prefix}v${id}`;
  const NET = `10.${suite.subnet}.${id % 250}`;
  const SERVER_ADDRESS = `${NET}.2`;
  const URL_ = `http://${SERVER_ADDRESS}:8443`;

  let dir = '';
  let course: InstructorClass | undefined;
  let record: SuiteRecord | undefined;
  let server: ChildProcess | undefined;
  let serverOut = '';
  const tokens = new Map<string, string>();
  const step = (what: string) => process.stderr.write(`${suite.title} ${new Date().toISOString()}: ${what}\n`);
  const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });

  function tearDownNamespace(): void {
    for (const args of [['link', 'del', VETH], ['netns', 'del', NS]]) {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // not there
      }
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `rlg-${suite.prefix}-ns-`));
    step('bringing the labs up and the course record');
    // Each kept as soon as it is up, so that afterAll tears it down when the other one failed.
    [course, record] = await Promise.all([upInstructorClass(suite.prefix, VARIANTS, dir).then((c) => (course = c)), suite.recordFor(dir).then((r) => (record = r))]);
    step('labs up; the server namespace');
    tearDownNamespace();
    ip('netns', 'add', NS);
    ip('link', 'add', VETH, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS);
    ip('addr', 'add', `${NET}.1/30`, 'dev', VETH);
    ip('link', 'set', VETH, 'up');
    ip('-n', NS, 'addr', 'add', `${SERVER_ADDRESS}/30`, 'dev', 'eth0');
    ip('-n', NS, 'link', 'set', 'eth0', 'up');
    ip('-n', NS, 'link', 'set', 'lo', 'up');
    await writeFile(join(dir, 'roster.csv'), `lab,id,name,email\n${course.labs.map((lab, i) => `${lab.name},s${i},Student ${i},s${i}@example.edu`).join('\n')}\n`);
    step('tokens');
    const issued = await runCli(['tokens', ...record.args, '--roster', join(dir, 'roster.csv')]);
    expect(issued.code, issued.stderr).toBe(0);
    for (const line of issued.stdout.trim().split(/\r?\n/).slice(1)) {
      const [, , , lab, token] = line.split(',');
      tokens.set(lab!, token!);
    }
    expect([...tokens.keys()].sort()).toEqual(course.labs.map((lab) => lab.name).sort());
    step('starting the server');
    server = spawn('ip', ['netns', 'exec', NS, process.execPath, '--import', TSX, `${REPO}grader/cli.ts`, 'serve', '--listen', `${SERVER_ADDRESS}:8443`, ...record.args, '--checks', course.checksPath, '--concurrency', '2'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', GRADER_SSH_KEY: join(dir, 'instructor'), GRADER_KNOWN_HOSTS: join(dir, 'server_known_hosts') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (serverOut += d));
    server.stderr!.on('data', (d) => (serverOut += d));
    for (let i = 0; i < 150 && !/listening on/.test(serverOut); i++) await new Promise((r) => setTimeout(r, 200));
    step(`server: ${serverOut.trim()}`);
    expect(serverOut).toMatch(/^board: http:\/\/\S+\/login\?secret=\S+\n/m);
    expect(serverOut).toMatch(/^listening on http:\/\/10\.\d+\.\d+\.2:8443/m);
  }, 240_000);

  afterAll(async () => {
    step('tearing down');
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
    }
    tearDownNamespace();
    await course?.down();
    await record?.stop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  const submit = (lab: string, token: string) => runCli(['submit', URL_, '--token', token, '--inventory', course!.inventoryPath, '--host', lab], { HOME: dir });
  const withStore = async <T>(use: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> => {
    const store = await openStore(record!.where);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };

  describe(suite.title, () => {
    it('cannot reach any lab itself', () => {
      for (const lab of course!.labs) {
        expect(() => execFileSync('ip', ['netns', 'exec', NS, 'ip', 'route', 'get', lab.addresses.vm1.management], { stdio: 'pipe' })).toThrow(/unreachable/);
      }
    });

    it.each(VARIANTS.map((variant, i) => [variant, i] as const))("grades the %s lab through the student's submit, as expected, and records it", async (variant, i) => {
      const lab = course!.labs[i]!;
      const run = await submit(lab.name, tokens.get(lab.name)!);
      expect(run.stdout).toMatch(/recorded at \S+Z \(on time\), attempt 1, your page: http:\/\/\S+\/login\?token=/);
      expect(run.code, run.stderr).toBe(1); // veths are never VirtIO: virtio fails even on the good lab
      await withStore(async (store) => {
        const attempts = await store.attempts({ labs: [lab.name] });
        expect(attempts).toHaveLength(1);
        expect(attempts[0]).toMatchObject({ command: 'submit', status: 'complete', studentId: `s${i}`, sourceAddress: `${NET}.1` });
        for (const result of attempts[0]!.report!.results) expect({ key: resultKey(result), status: result.status }).toEqual({ key: resultKey(result), status: expectedFor(variant, resultKey(result)).status });
      });
      const history = await runCli(['history', lab.name, ...record!.args]);
      expect(history.stdout).toMatch(new RegExp(`^${lab.name}\\n  #\\d+  \\S+Z  \\d+/\\d+  on time  submit  checks [0-9a-f]{8}\\n`));
    }, 150_000);

    it("refuses a wrong, a revoked and another student's token", async () => {
      const [good, other] = course!.labs;
      const wrong = await submit(good!.name, 'x'.repeat(43));
      expect([wrong.code, wrong.stderr]).toEqual([2, 'router-lab-grader: the server refused this token (unknown or revoked): check it, or ask your instructor for a new one\n']);
      const someoneElse = await submit(good!.name, tokens.get(other!.name)!);
      expect(someoneElse.code).toBe(2);
      expect(someoneElse.stderr).toMatch(/^refused: this token is lab \S+'s, and your client found lab \S+: submit your own lab\n$/);
      const revoke = await runCli(['tokens', ...record!.args, '--revoke', 's2']);
      expect(revoke.stdout).toBe('revoked 1 live token of s2\n');
      const revoked = await submit(course!.labs[2]!.name, tokens.get(course!.labs[2]!.name)!);
      expect(revoked.code).toBe(2);
      expect(revoked.stderr).toMatch(/refused this token/);
    }, 120_000);

    it('records a grading whose tunnel was killed as interrupted: errors where it cut, no fail of its making', async () => {
      const lab = course!.labs[0]!;
      const child = spawn(process.execPath, ['--import', TSX, `${REPO}grader/cli.ts`, 'submit', URL_, '--token', tokens.get(lab.name)!, '--inventory', course!.inventoryPath, '--host', lab.name], {
        cwd: REPO,
        env: { ...process.env, HOME: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      for (let i = 0; i < 100 && !/grading lab/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGKILL');
      await withStore(async (store) => {
        let attempts = await store.attempts({ labs: [lab.name] });
        for (let i = 0; i < 150 && attempts.length < 2; i++) {
          await new Promise((r) => setTimeout(r, 200));
          attempts = await store.attempts({ labs: [lab.name] });
        }
        expect(attempts).toHaveLength(2);
        expect(attempts[1]!.status).toBe('interrupted');
        // What the drop cut short is an error; a fail is only what was observed before it and is
        // really wrong with the good lab (veths are never VirtIO).
        const results = attempts[1]!.report!.results;
        expect(results.map((r) => r.status)).toContain('error');
        for (const result of results.filter((r) => r.status !== 'error')) expect({ key: resultKey(result), status: result.status }).toEqual({ key: resultKey(result), status: expectedFor('good', resultKey(result)).status });
      });
    }, 120_000);

    it('stops on SIGTERM', async () => {
      const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
      server!.kill('SIGTERM');
      expect(await exited).toBe(0);
      // The killed tunnel's grading may still be finishing its record (its footer's queries): it
      // finishes; nothing is interrupted.
      expect(serverOut, serverOut).toMatch(/stopped \([01] finished, 0 recorded as interrupted\)/);
    });
  });
}

// The grader given careless or hostile input instead of a faulty VM: a roster, an inventory or a
// check file written to attack the instructor's terminal, spreadsheet or grader; kept reports that
// were edited or graded with other checks; an --out that cannot be written, or fills up. Each case
// runs the command line as an instructor would; the table of what it did is in docs/faults.md
// (regenerated with UPDATE_FAULTS=1, compared without it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { REPO, runCli, type CliRun } from '../support/run-cli.ts';
import { startSimulatedClass, type SimulatedClass } from '../support/simulated-class.ts';

const FAULTS_DOC = join(REPO, 'docs', 'faults.md');
const UPDATE = process.env.UPDATE_FAULTS === '1';
export const INPUT_TABLE_START = '<!-- input-fault-table:start -->';
export const INPUT_TABLE_END = '<!-- input-fault-table:end -->';
const TEST_TIMEOUT = 120_000;

// What a terminal would act on: C0 controls but tab and LF, DEL, C1, bidirectional controls.
const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
const NO_SECRETS = { INIT_CWD: undefined, GRADER_SSH_KEY: undefined, GRADER_SSH_KEY_PASSPHRASE: undefined, GRADER_SSH_PASSWORD: undefined, GRADER_KNOWN_HOSTS: undefined, SSH_AUTH_SOCK: undefined };

interface Row {
  item: number;
  input: string;
  code: number | null;
  said: string;
}
const rows: Row[] = [];

// A TCP port on 127.0.0.1 that counts connections: the VMs of every lab that must not be reached.
let trap: Server;
let trapConnections = 0;
let trapInventory: string;
let scratch: string;
let simulated: SimulatedClass;

beforeAll(async () => {
  trap = createServer((socket) => {
    trapConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const port = (trap.address() as { port: number }).port;
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  scratch = await mkdtemp(join(tmpdir(), 'rlg-input-faults-'));
  trapInventory = join(scratch, 'labs.yaml');
  const vm = `{ address: 127.0.0.1, port: ${port} }`;
  await writeFile(trapInventory, `labs:\n  lab01: { vm1: ${vm}, router: ${vm}, vm3: ${vm} }\n  lab02: { vm1: ${vm}, router: ${vm}, vm3: ${vm} }\n`);
  simulated = await startSimulatedClass(3, `in${process.pid % 100000}`);
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => trap?.close(resolve));
  await simulated?.stop();
  if (scratch) execFileSync('rm', ['-rf', scratch]);
});

// The first line of what was said, with this run's directories and lab names made stable.
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  let stable = line.replaceAll(REPO, '').replaceAll(scratch, 'DIR').replace(/\/tmp\/rlg-[\w-]+/g, 'DIR');
  if (simulated) stable = stable.replaceAll(simulated.labs[0]!.name.replace(/-\d+$/, ''), 'lab');
  return stable.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 160);
}

function record(item: number, input: string, run: CliRun, said = run.stderr): void {
  rows.push({ item, input, code: run.code, said: firstLine(said) });
}

// Bad input: exit 2 with one clean line per problem, nothing reached, no stack trace.
function expectRefused(run: CliRun, pattern: RegExp): void {
  const context = `exit ${run.code}\n${run.stdout}${run.stderr}`;
  expect(run.code, context).toBe(2);
  expect(run.stderr, context).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toMatch(TERMINAL_CONTROL);
  expect(trapConnections, 'a VM was connected to').toBe(0);
}

describe('careless and hostile configuration (nothing is connected to)', () => {
  it('a roster e-mail that retitles and clears the terminal and prints a fake verdict: printed without its escapes (item 7)', async () => {
    const roster = join(scratch, 'hostile.csv');
    await writeFile(roster, `lab,id,email\nlab01,s1,"x y\x1b]0;owned\x07\x1b[2J\x1b[H\r\x1b[K\x1b[32m✔ all labs graded\x1b[39m\u202edesrever"\n`);
    const run = await runCli(['--all', '--inventory', trapInventory, '--roster', roster, '--out', join(scratch, 'r7')], NO_SECRETS);
    expectRefused(run, /hostile\.csv:2: 'x y ?✔ all labs gradeddesrever' is not an e-mail address/);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    record(7, 'roster e-mail with OSC title, clear screen, CR, colours and U+202E', run);
  });

  it('a YAML alias bomb in the inventory: a configuration error naming the file (item 14)', async () => {
    const bomb = join(scratch, 'bomb.yaml');
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
      const previous = 'abcdefg'[i];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    await writeFile(bomb, `${levels.join('\n')}\nlabs: { x: [*h, *h, *h, *h, *h, *h, *h, *h, *h] }\n`);
    const run = await runCli(['--all', '--inventory', bomb, '--out', join(scratch, 'r14')], NO_SECRETS);
    expectRefused(run, /bomb\.yaml: too many aliases expanded/);
    record(14, 'inventory with nested YAML aliases (9^9 copies)', run);
  });

  it('points: .inf and floorMbps: .inf in the check file are refused (item 16)', async () => {
    const run = await runCli(['--all', '--inventory', trapInventory, '--checks', 'fixtures/check-files/unbounded-numbers.yaml', '--out', join(scratch, 'r16')], NO_SECRETS);
    expectRefused(run, /unbounded-numbers\.yaml:7:\d+: \/checks\/0\/points: must be number/);
    expect(run.stderr).toMatch(/floorMbps: must be number/);
    record(16, 'check file with `points: .inf`, `floorMbps: .inf`, `.nan`, 1000001 points', run);
  });

  it('a Latin-1 roster is refused with the line and byte offset (item 17)', async () => {
    const run = await runCli(['--all', '--inventory', trapInventory, '--roster', 'fixtures/rosters/latin1.csv', '--out', join(scratch, 'r17')], NO_SECRETS);
    expectRefused(run, /latin1\.csv:3: not UTF-8 \(byte 0xeb at offset 75\)/);
    record(17, 'roster saved as Latin-1', run);
  });

  it('lab names whose reports would overwrite each other or a class file are refused (item 11)', async () => {
    const run = await runCli(['--all', '--inventory', 'fixtures/inventories/colliding-names.yaml', '--out', join(scratch, 'r11')], NO_SECRETS);
    expectRefused(run, /\/labs\/rt1-: its reports \(rt1\.json, rt1\.xml\) would overwrite those of lab rt1/);
    expect(run.stderr).toMatch(/\/labs\/class: its reports \(class\.json, class\.xml\) would take the name of the class reports/);
    record(11, 'labs `rt1`, `rt1-`, `rt1--`, `RT2`/`rt2`, `class`, `Gradebook`', run);
  });

  it('--out that is a file is refused before anything is connected to, for a lab and for a class (item 13)', async () => {
    const file = join(scratch, 'not-a-dir');
    await writeFile(file, 'x');
    const one = await runCli(['--host', 'lab01', '--inventory', trapInventory, '--out', file], NO_SECRETS);
    expectRefused(one, /--out .*not-a-dir: reports cannot be written there \(EEXIST: a file stands where a directory must be\)/);
    const many = await runCli(['--all', '--inventory', trapInventory, '--out', join(file, 'sub')], NO_SECRETS);
    expectRefused(many, /reports cannot be written there \(ENOTDIR/);
    record(13, '`--out` is a file', one);
  });
});

describe('an --out on a read-only mount or a full disk (root: mounts made and removed by the test)', () => {
  const requireRoot = () => {
    if (process.getuid?.() !== 0) throw new Error('these cases mount a read-only bind mount and a tiny tmpfs: run them as root');
  };
  // A mount point under the scratch directory, unmounted when the test ends, passed or failed
  // (before afterAll removes the scratch directory).
  const mounted = async (name: string, args: string[]) => {
    const dir = join(scratch, name);
    await mkdir(dir, { recursive: true });
    execFileSync('mount', [...args, dir]);
    onTestFinished(() => void execFileSync('umount', ['-l', dir]));
    return dir;
  };

  it('a read-only --out is refused before anything is connected to (item 13)', async () => {
    requireRoot();
    const source = join(scratch, 'ro-source');
    await mkdir(source);
    const out = await mounted('ro-reports', ['--bind', source]);
    execFileSync('mount', ['-o', 'remount,bind,ro', out]);
    const run = await runCli(['--all', '--inventory', trapInventory, '--out', out], NO_SECRETS);
    expectRefused(run, /reports cannot be written there \(EROFS: read-only file system\)/);
    record(13, '`--out` on a read-only bind mount', run);
  }, TEST_TIMEOUT);

  it('a disk that fills up mid-class: each lab said, the class goes on, no stale class file, exit 4 (item 13)', async () => {
    requireRoot();
    const out = await mounted('full-reports', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs']);
    // An earlier run's class files, and a filler that leaves two pages: the probe fits, the class does not.
    for (const file of ['gradebook.csv', 'class.html', 'class.xml']) await writeFile(join(out, file), 'STALE from an earlier run\n');
    await writeFile(join(out, 'filler'), Buffer.alloc(64 * 1024 - 3 * 4096 - 8192));
    const args = ['--all', '--inventory', simulated.inventoryPath, '--known-hosts', simulated.knownHostsPath, '--host-key-checking', 'strict', '--only', 'ip-forward,routes', '--out', out];
    // The course record on that disk does not fit: said before anything is graded (exit 2).
    const noRoom = await runCli(args, { ...NO_SECRETS, GRADER_SSH_KEY: simulated.keyPath });
    expect(noRoom.code, `exit ${noRoom.code}\n${noRoom.stdout}${noRoom.stderr}`).toBe(2);
    expect(noRoom.stderr).toMatch(/course record \S+grades\.sqlite: (the disk is full|input\/output error)/);
    expect(noRoom.stdout).not.toMatch(/4\/4/);
    const { rm } = await import('node:fs/promises');
    for (const f of await readdir(out)) if (f.startsWith('grades.sqlite')) await rm(join(out, f));
    // The record elsewhere (--store), the reports on the full disk.
    const run = await runCli([...args, '--store', join(scratch, 'full-disk-record')], { ...NO_SECRETS, GRADER_SSH_KEY: simulated.keyPath });
    const context = `exit ${run.code}\n${run.stdout}${run.stderr}`;
    expect(run.code, context).toBe(4);
    // Every lab graded and said, in its progress line.
    for (const lab of simulated.labs) expect(run.stdout, context).toMatch(new RegExp(`\\] ${lab.name} +4/4 `));
    expect(run.stderr, context).toMatch(/: its reports could not be written \(ENOSPC: no space left on the device\)/);
    expect(run.stderr, context).toMatch(/the class files could not be written to .* \(ENOSPC: no space left on the device\); none is left from an earlier run/);
    const left = await readdir(out);
    expect(left.filter((f) => ['gradebook.csv', 'class.html', 'class.xml'].includes(f)), 'stale class files').toEqual([]);
    expect(left.filter((f) => f.endsWith('.tmp') || f.startsWith('.router-lab-grader-probe')), 'temporary files').toEqual([]);
    record(13, 'disk full (64 KiB tmpfs) while a class of 3 is written', run, run.stderr.split('\n').find((l) => l.includes('class files')) ?? '');
  }, TEST_TIMEOUT);
});

describe('--resume with kept reports that must not be used', () => {
  let out: string;
  const gradeArgs = (...extra: string[]) => [
    '--all', '--inventory', simulated.inventoryPath, '--known-hosts', simulated.knownHostsPath, '--host-key-checking', 'strict', '--out', out, ...extra,
  ];
  const env = () => ({ ...NO_SECRETS, GRADER_SSH_KEY: simulated.keyPath });
  const jsonOf = (i: number) => join(out, `${simulated.labs[i]!.name}.json`);
  const notUsed = (run: CliRun) => run.stdout.split('\n').filter((l) => l.includes('kept report not used'));

  beforeAll(async () => {
    out = join(scratch, 'resume');
    const first = await runCli(gradeArgs('--only', 'ip-forward,routes'), env());
    if (first.code !== 0) throw new Error(`the first grading failed: exit ${first.code}\n${first.stdout}${first.stderr}`);
  }, TEST_TIMEOUT);

  it('an edited JSON report is not the record: --resume keeps the recorded gradings and draws the edited exports again (item 9)', async () => {
    const crafted = JSON.parse(await readFile(jsonOf(0), 'utf8'));
    crafted.results[0].status = 'passed<script>';
    crafted.maxScore = 1;
    await writeFile(jsonOf(0), JSON.stringify(crafted));
    const truncated = JSON.parse(await readFile(jsonOf(1), 'utf8'));
    delete truncated.summary;
    delete truncated.hosts;
    await writeFile(jsonOf(1), JSON.stringify(truncated));
    const run = await runCli(gradeArgs('--only', 'ip-forward,routes', '--resume'), env());
    const context = `exit ${run.code}\n${run.stdout}${run.stderr}`;
    expect(run.code, context).toBe(0);
    expect(run.stderr).toBe('');
    // Labs start concurrently: their lines come in any order.
    // The course record holds what was graded; the JSON files are only its exports.
    expect(notUsed(run), context).toEqual([]);
    expect(run.stdout.match(/kept from an earlier run/g) ?? [], context).toHaveLength(3);
    // The class page says what this run did, not that it "took 0 s" (issue 27, rough edge 4).
    const page = await readFile(join(out, 'class.html'), 'utf8');
    expect(page).toContain('resumed: all 3 labs kept from earlier runs');
    expect(page).not.toContain('the last run took');
    const gradebook = await readFile(join(out, 'gradebook.csv'), 'utf8');
    expect(gradebook).not.toContain('script');
    expect(gradebook.trim().split('\r\n').slice(1).map((l) => l.split(',').slice(3, 6).join(','))).toEqual(simulated.labs.map((l) => `${l.name},4,4`));
    expect(JSON.parse(await readFile(jsonOf(0), 'utf8')).results[0].status).toBe('pass');
    expect(JSON.parse(await readFile(jsonOf(1), 'utf8')).summary).toEqual({ pass: 3, fail: 0, error: 0, total: 3 });
    record(9, 'kept report with `status: "passed<script>"`, `maxScore: 1`; another without `summary`', run, run.stdout.split('\n').find((l) => l.includes(simulated.labs[0]!.name) && l.includes('kept from an earlier run'))?.trim() ?? '');
  }, TEST_TIMEOUT);

  it('grades every lab again under another --only selection (item 12)', async () => {
    const run = await runCli(gradeArgs('--only', 'ip-forward', '--resume'), env());
    const context = `exit ${run.code}\n${run.stdout}${run.stderr}`;
    expect(run.code, context).toBe(0);
    expect(notUsed(run), context).toHaveLength(3);
    for (const line of notUsed(run)) expect(line).toMatch(/\(graded with --only ip-forward,routes, this run grades --only ip-forward\)/);
    expect(await readFile(join(out, 'gradebook.csv'), 'utf8')).toMatch(/,2,2,/);
    record(12, 'kept reports graded with `--only ip-forward,routes`, resumed with `--only ip-forward`', run, notUsed(run).find((l) => l.startsWith(simulated.labs[0]!.name)) ?? '');
  }, TEST_TIMEOUT);

  it('grades every lab again under another check file (item 12)', async () => {
    const checks = join(scratch, 'changed-checks.yaml');
    await copyFile(join(REPO, 'checks', 'exercise.yaml'), checks);
    await writeFile(checks, `${await readFile(checks, 'utf8')}# a changed copy\n`);
    const run = await runCli(gradeArgs('--only', 'ip-forward', '--checks', checks, '--resume'), env());
    const context = `exit ${run.code}\n${run.stdout}${run.stderr}`;
    expect(run.code, context).toBe(0);
    expect(notUsed(run), context).toHaveLength(3);
    for (const line of notUsed(run)) expect(line).toMatch(/\(graded with another check file\)/);
    record(12, 'kept reports graded with another check file', run, notUsed(run).find((l) => l.startsWith(simulated.labs[0]!.name)) ?? '');
  }, TEST_TIMEOUT);

  it('a lab whose report cannot be written mid-class is said, the class goes on, exit 4 (item 13, no root: a directory stands in its place)', async () => {
    const blocked = simulated.labs[1]!.name;
    execFileSync('rm', ['-f', jsonOf(1)]);
    await mkdir(join(jsonOf(1), 'in-the-way'), { recursive: true });
    const run = await runCli(gradeArgs('--only', 'ip-forward'), env());
    const context = `exit ${run.code}\n${run.stdout}${run.stderr}`;
    expect(run.code, context).toBe(4);
    expect(run.stdout).toMatch(new RegExp(`\\] ${blocked} +2/2 .*; its reports could not be written \\((EISDIR|ENOTEMPTY|EEXIST)`));
    expect(run.stderr.trim().split('\n'), context).toEqual([expect.stringMatching(new RegExp(`^router-lab-grader: ${blocked}: its reports could not be written .*; its results are in the class files$`))]);
    const gradebook = await readFile(join(out, 'gradebook.csv'), 'utf8');
    expect(gradebook.trim().split('\r\n')).toHaveLength(4);
    expect(gradebook).toContain(`,${blocked},2,2,`);
    record(13, "one lab's report path blocked (a directory in its place)", run);
  }, TEST_TIMEOUT);
});

// The table's section of docs/faults.md: after the VM faults, between its own markers.
function inputSection(table: string): string {
  return [
    '## Careless and hostile input',
    '',
    'Produced by `test/faults/input-faults.test.ts`, which runs the command line on inputs written to',
    "attack the instructor's terminal, spreadsheet or grader, or that an instructor gets wrong. \"item\" is",
    'the item of issue 13 it tests; "said" is the first line on stderr, or the progress line that matters; DIR is a',
    'temporary directory. The two disk cases mount a read-only bind mount and a 64 KiB tmpfs (root).',
    '',
    INPUT_TABLE_START,
    table,
    INPUT_TABLE_END,
    '',
  ].join('\n');
}

describe('docs/faults.md', () => {
  it('has the table of these cases as observed', () => {
    const table = [
      '| item | input | exit | said |',
      '|--:|---|:-:|---|',
      ...[...rows].sort((a, b) => a.item - b.item).map((r) => `| ${r.item} | ${r.input} | ${r.code} | ${r.said === '' ? '-' : `\`${r.said.replace(/`/g, "'")}\``} |`),
    ].join('\n');
    const document = existsSync(FAULTS_DOC) ? readFileSync(FAULTS_DOC, 'utf8') : '';
    const start = document.indexOf(INPUT_TABLE_START);
    const end = document.indexOf(INPUT_TABLE_END);
    if (UPDATE || start < 0 || end < start) {
      const head = start < 0 ? document.trimEnd() : document.slice(0, document.lastIndexOf('## Careless and hostile input')).trimEnd();
      writeFileSync(FAULTS_DOC, `${head}\n\n${inputSection(table)}`);
      return;
    }
    expect(document.slice(start + INPUT_TABLE_START.length, end).trim(), 'docs/faults.md differs from what was observed; regenerate it with UPDATE_FAULTS=1 npx vitest run test/faults/input-faults.test.ts').toBe(table);
  });
});

// One lab graded through the CLI shows its progress on a terminal (issue 27, rough edge 1): stderr
// on a pseudo-terminal (util-linux `script`), stdout in a file, a simulated lab over SSH on loopback.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, runCommand } from '../support/run-cli.ts';
import { startSimulatedLab, type SimulatedLab } from '../support/simulated-lab/simulated-lab.ts';
import { testDir } from '../support/test-files.ts';
import { sh } from '../../grader/transport/shell-quote.ts';

const TSX = pathToFileURL(`${REPO}node_modules/tsx/dist/loader.mjs`).href;
const ONLY = 'ip-forward,routes,ping,traceroute';

describe('one lab on a terminal', () => {
  let lab: SimulatedLab;
  beforeAll(async () => {
    lab = await startSimulatedLab({ name: 'progress-lab' });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('shows a status line on stderr while it grades, erased before the report on stdout', async () => {
    const dir = await testDir('lab-progress-');
    const stdout = join(dir, 'stdout.txt');
    const grade = sh`exec ${process.execPath} --import ${TSX} ${`${REPO}grader/cli.ts`} --host ${lab.name} --inventory ${lab.inventoryPath} --out ${join(dir, 'out')} --only ${ONLY} >${stdout}`;
    // `script` gives the command a terminal (stdin, stderr) and copies what it shows to its stdout.
    const run = await runCommand(['script', '--quiet', '--return', '--command', grade, '/dev/null'], {}, dir);
    const report = await readFile(stdout, 'utf8');
    expect(run.code, run.stdout + report).toBe(0);
    const shown = run.stdout;
    expect(shown).toContain(`\r\x1b[K[0/5] ${lab.name}: connecting to the VMs`);
    expect(shown).toMatch(new RegExp(`\\r\\x1b\\[K\\[1/5\\] ${lab.name}: 1 passed, 0 failed, 0 errors; running `));
    expect(shown).toMatch(new RegExp(`\\r\\x1b\\[K\\[5/5\\] ${lab.name}: 5 passed, 0 failed, 0 errors`));
    // Only the status line: nothing is left above the report.
    expect(shown.endsWith('\r\x1b[K')).toBe(true);
    expect(shown).not.toMatch(/\n/);
    expect(report).toMatch(/Score: \d+\/\d+ \(5 passed, 0 failed, 0 errors\)/);
    expect(report).not.toContain('\x1b');
  });

  it('shows nothing more when stderr is not a terminal: a log gets the report alone', async () => {
    const dir = await testDir('lab-progress-');
    const run = await runCli(['--host', lab.name, '--inventory', lab.inventoryPath, '--out', join(dir, 'out'), '--only', ONLY]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/Score: \d+\/\d+ \(5 passed, 0 failed, 0 errors\)/);
  });
});

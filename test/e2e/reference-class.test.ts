// The first hour's recipe (docs/instructors.md) for grading several reference labs as a class:
// each lab up with its own key, `npm run lab -- class` joins their inventories, one `--all`
// grades them all, whatever .env sits where the instructor stands.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { writeClassInventory } from '../../labs/netns/class-inventory.ts';
import { labUp, type LabHandle } from '../../labs/netns/api.ts';
import { runCli } from '../support/run-cli.ts';

const labs: LabHandle[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlg-refclass-'));
  labs.push(await labUp({ name: 'rc-a', variant: 'good', labsDir: join(dir, 'labs') }));
  labs.push(await labUp({ name: 'rc-b', variant: 'no-forwarding', labsDir: join(dir, 'labs') }));
}, 240_000);
afterAll(async () => {
  for (const lab of labs) await lab.down();
  await rm(dir, { recursive: true, force: true });
});

describe('several reference labs graded as a class', () => {
  it('one inventory, each lab with its own key, one known_hosts; --all grades every lab', async () => {
    const written = await writeClassInventory(join(dir, 'labs'));
    expect(written.labs).toEqual(['rc-a', 'rc-b']);
    const inventory = parse(await readFile(written.inventoryPath, 'utf8'));
    expect(inventory.labs['rc-a'].credentials).toEqual({ keyFile: labs[0]!.keyPath });
    expect(inventory.labs['rc-b'].router).toMatchObject({ user: 'root', port: 22 });
    await writeFile(join(dir, '.env'), 'GRADER_SSH_KEY=/home/you/.ssh/grader_ed25519\n');
    const out = join(dir, 'class');
    const run = await runCli(['--all', '--inventory', written.inventoryPath, '--out', out, '--only', 'ip-forward'], { GRADER_SSH_KEY: undefined, GRADER_KNOWN_HOSTS: undefined, SSH_AUTH_SOCK: undefined, INIT_CWD: dir }, dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const status = async (lab: string) => (JSON.parse(await readFile(join(out, `${lab}.json`), 'utf8')) as LabReport).results.map((r) => r.status);
    expect(await status('rc-a')).toEqual(['pass']);
    expect(await status('rc-b')).toEqual(['fail']);
  }, 120_000);
});

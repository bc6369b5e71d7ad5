// The one runner of `npm run lab` and `npm run vmlab`, as package.json starts it: the commands
// that need no root, and the exit codes of bad command lines.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, runCommand } from '../test/support/run-cli.ts';
import { VM_VARIANTS } from './libvirt/plan.ts';
import { VARIANTS, variantSpec } from './netns/variants.ts';

const TSX = pathToFileURL(`${REPO}node_modules/tsx/dist/loader.mjs`).href;
const SCRIPTS = (JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

// `npm run NAME -- ARGS`, without npm: the script's own `tsx FILE PROVIDER`.
function npmRun(script: 'lab' | 'vmlab', args: string[]) {
  const [tsx, file, ...fixed] = SCRIPTS[script]!.split(' ');
  expect(tsx).toBe('tsx');
  return runCommand([process.execPath, '--import', TSX, `${REPO}${file}`, ...fixed, ...args]);
}

describe('npm run lab and npm run vmlab', () => {
  it('both run labs/cli.ts, each with its provider', () => {
    expect(SCRIPTS.lab).toBe('tsx labs/cli.ts netns');
    expect(SCRIPTS.vmlab).toBe('tsx labs/cli.ts libvirt');
  });

  it.for([
    ['lab', VARIANTS.length],
    ['vmlab', VM_VARIANTS.length],
  ] as const)('%s -- variants: one line per variant, with its mistake', async ([script, count]) => {
    const run = await npmRun(script, ['variants']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(count);
    if (script === 'lab') expect(lines).toContain(`${'via-host'.padEnd(20)} ${variantSpec('via-host').mistake}`);
  });

  it.for(['lab', 'vmlab'] as const)('%s -- --help prints its usage; a bad argument exits 2 with one line', async (script) => {
    const help = await npmRun(script, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: npm run ${script} -- <command>`));
    for (const command of ['up', 'down', 'list', 'variants']) expect(help.stdout).toContain(`  ${command} `);
    const bad = await npmRun(script, ['up', '--frob']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`${script}: unknown argument '--frob' for up; valid: ${script === 'lab' ? '--name, --variant, --plan, --student, --verbose' : '--name, --nic, --variant, --guest, --labs, --naming'} (see npm run ${script} -- --help)\n`);
  });

  it('an unknown provider exits 2', async () => {
    const run = await runCommand([process.execPath, '--import', TSX, `${REPO}labs/cli.ts`, 'docker', 'up']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown lab provider 'docker'; valid: netns, libvirt");
  });
});

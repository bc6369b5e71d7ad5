// `npm run demo`: builds the reference lab (good variant) in network namespaces, grades it the way
// a user does (`npm run grade -- --host demo --inventory .lab/demo/inventory.yaml`), shows where the
// reports are, and tears the lab down, also on Ctrl-C or failure.
// `npm run demo -- --vm`: the same with real VMs: the Debian 12 image (built once, then cached), a
// VirtIO lab of three libvirt/QEMU VMs, graded as `student` with the lab's password (15/15).
import { spawn } from 'node:child_process';
import { EXIT_CONFIG_ERROR, EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED, EXIT_NOT_ALL_PASSED, EXIT_PASSED } from '../grader/cli/exit-codes.ts';
import { fileURLToPath } from 'node:url';
import { LabError, LabUsageError, NeedRootError } from '../labs/kit/errors.ts';
import { labUp } from '../labs/netns/api.ts';
import { vmLabUp } from '../labs/libvirt/api.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const vm = args.includes('--vm');
const unknown = args.filter((a) => a !== '--vm');
if (unknown.length > 0) {
  console.error(`demo: unknown argument '${unknown[0]}'; valid: --vm`);
  process.exit(EXIT_CONFIG_ERROR);
}
const name = vm ? 'vmdemo' : 'demo';

// Where the user started `npm run demo`: reports go there, as they would for `npm run grade`,
// and whatever `.env` lies there does not matter (the lab's inventory and the `.env` beside it
// name its own login).
const userDir = process.env.INIT_CWD ?? process.cwd();

interface DemoLab {
  name: string;
  inventoryPath: string;
  down(): Promise<void>;
}

function grade(lab: DemoLab): Promise<number | null> {
  // What `npm run grade` runs: the precompiled CLI, rebuilt first if the sources changed.
  const args = [`${repo}bin/grade.mjs`, '--host', lab.name, '--inventory', lab.inventoryPath];
  console.log(`\n$ npm run grade -- --host ${lab.name} --inventory ${lab.inventoryPath}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: userDir, stdio: 'inherit', env: { ...process.env, INIT_CWD: userDir } });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

let lab: DemoLab | undefined;
const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    abort.abort();
    void (lab?.down() ?? Promise.resolve()).finally(() => process.exit(EXIT_INTERRUPTED));
  });
}

const started = Date.now();
try {
  if (vm) {
    console.log(`Building the VM lab '${name}': Debian 12 guests (the image is built once, minutes; then cached), VirtIO NICs...`);
    lab = await vmLabUp({ name, nic: 'virtio', guest: 'debian', signal: abort.signal, log: (line) => console.log(`  ${line}`) });
  } else {
    console.log(`Building the reference lab '${name}' (variant good) in network namespaces...`);
    lab = await labUp({ name, variant: 'good', signal: abort.signal });
  }
  const code = await grade(lab);
  if (!vm) {
    console.log(
      '\nvirtio fails here by design: a network namespace has veth NICs, not VirtIO ones (no device driver link, ethtool says veth).',
    );
  }
  process.exitCode = vm ? (code ?? EXIT_NOT_ALL_PASSED) : code === EXIT_PASSED || code === EXIT_NOT_ALL_PASSED ? EXIT_PASSED : (code ?? EXIT_NOT_ALL_PASSED);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`demo: ${message}`);
  process.exitCode = error instanceof NeedRootError || error instanceof LabUsageError ? EXIT_CONFIG_ERROR : error instanceof LabError ? EXIT_NOT_ALL_PASSED : EXIT_INTERNAL_ERROR;
} finally {
  await lab?.down();
  if (lab) console.log(`Lab '${name}' torn down (${((Date.now() - started) / 1000).toFixed(0)} s in all).`);
}

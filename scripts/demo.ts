// `npm run demo`: builds the reference lab (good variant) in network namespaces, grades it the way
// a user does (`npm run grade -- --host demo --inventory .lab/demo/inventory.yaml`), shows where the
// reports are, and tears the lab down, also on Ctrl-C or failure.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LabError, NeedRootError } from '../reference-lab/errors.ts';
import { labUp, type LabHandle } from '../reference-lab/api.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const name = 'demo';

// Where the user started `npm run demo`: reports go there, as they would for `npm run grade`,
// and whatever `.env` lies there does not matter (the lab's inventory names its own key).
const userDir = process.env.INIT_CWD ?? process.cwd();

function grade(lab: LabHandle): Promise<number | null> {
  // What `npm run grade` runs: the precompiled CLI, rebuilt first if the sources changed.
  const args = [`${repo}bin/grade.mjs`, '--host', lab.name, '--inventory', lab.inventoryPath];
  console.log(`\n$ npm run grade -- --host ${lab.name} --inventory ${lab.inventoryPath}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: userDir, stdio: 'inherit', env: { ...process.env, INIT_CWD: userDir } });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

let lab: LabHandle | undefined;
const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    abort.abort();
    void (lab?.down() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

try {
  console.log(`Building the reference lab '${name}' (variant good) in network namespaces...`);
  lab = await labUp({ name, variant: 'good', signal: abort.signal });
  const code = await grade(lab);
  console.log(
    '\nvirtio fails here by design: a network namespace has veth NICs, not VirtIO ones (no device driver link, ethtool says veth).',
  );
  process.exitCode = code === 0 || code === 1 ? 0 : (code ?? 1);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`demo: ${message}`);
  process.exitCode = error instanceof NeedRootError ? 2 : error instanceof LabError ? 1 : 3;
} finally {
  await lab?.down();
  if (lab) console.log(`Lab '${name}' torn down.`);
}

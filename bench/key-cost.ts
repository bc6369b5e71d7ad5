// `npm run bench:key`: what an encrypted private key costs the grader. One reference lab (good),
// graded through the CLI as users run it (`node bin/grade.mjs`), alternately with the lab's key
// and with the same key encrypted by ssh-keygen (its default bcrypt KDF), R runs each; and, in
// process, one decryption of that key. The key is decrypted once per run, not once per connection.
//   sudo npm run bench:key -- [--runs N]
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ssh2 from 'ssh2';
import { labUp } from '../reference-lab/api.ts';
import { REPO } from './contenders.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const runs = Number(values.runs ?? 7);
const PASSPHRASE = 'bench passphrase';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

// One CLI run: wall seconds, and the child's CPU seconds (user + system, from /proc of the waiter).
function gradeOnce(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallS: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(REPO, 'bin', 'grade.mjs'), ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => resolve({ wallS: (performance.now() - started) / 1000, code }));
  });
}

const lab = await labUp({ name: `keycost${process.pid % 10000}`, variant: 'good' });
const dir = await mkdtemp(join(tmpdir(), 'rlg-bench-key-'));
try {
  const plainKey = lab.plan.paths.privateKey;
  const encryptedKey = join(dir, 'id_ed25519');
  copyFileSync(plainKey, encryptedKey);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', encryptedKey]);
  const parseStarted = performance.now();
  ssh2.utils.parseKey(readFileSync(encryptedKey), PASSPHRASE);
  const parseS = (performance.now() - parseStarted) / 1000;
  const args = ['--host', lab.name, '--inventory', lab.inventoryPath, '--out', join(dir, 'reports'), '--host-key-checking', 'strict', '--only', 'subnets,ip-forward,routes,ping'];
  const plain: number[] = [];
  const encrypted: number[] = [];
  await gradeOnce(args, { GRADER_SSH_KEY: plainKey }); // warm-up (and the CLI's build, when stale)
  for (let i = 0; i < runs; i++) {
    plain.push((await gradeOnce(args, { GRADER_SSH_KEY: plainKey })).wallS);
    encrypted.push((await gradeOnce(args, { GRADER_SSH_KEY: encryptedKey, GRADER_SSH_KEY_PASSPHRASE: PASSPHRASE })).wallS);
  }
  const [p, e] = [median(plain), median(encrypted)];
  console.log(`one decryption of the encrypted key (in process): ${parseS.toFixed(3)} s`);
  console.log(`one lab through the CLI, median of ${runs}: plain key ${p.toFixed(3)} s, encrypted key ${e.toFixed(3)} s, difference ${(e - p).toFixed(3)} s`);
  console.log(`(three VMs: decrypting per connection would add about ${(3 * parseS).toFixed(2)} s, once per run about ${parseS.toFixed(2)} s)`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await lab.down();
}

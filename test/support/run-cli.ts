import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
// tsx's loader by path, so that the CLI also starts from a directory outside the repository.
const TSX = pathToFileURL(`${REPO}node_modules/tsx/dist/loader.mjs`).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs a command to its end and collects what it printed (NO_COLOR set; a variable given as
// undefined is removed from its environment).
export function runCommand(command: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const merged = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: '1', ...env }).filter(([, v]) => v !== undefined));
    const [file, ...argv] = command;
    const child = spawn(file!, argv, { cwd, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Runs the grader's CLI (its TypeScript sources) as `npm run grade --` does, from the repository
// root. `offline` runs it in a network namespace of its own with nothing up, so that a name
// lookup or a connection cannot leave the machine (needs root).
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO, { offline = false } = {}): Promise<CliRun> {
  const command = [process.execPath, '--import', TSX, `${REPO}grader/cli.ts`, ...args];
  return runCommand(offline ? ['unshare', '--net', ...command] : command, env, cwd);
}

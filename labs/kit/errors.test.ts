import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../test/support/run-cli.ts';

// A lab `up` that is busy until aborted (the interval stands for its pending commands), then tears
// down and throws LabAbortedError, as labUp does.
const SCRIPT = `
import { LabAbortedError, runLabCli, upUntilSignalled } from './labs/kit/errors.ts';
runLabCli('lab', () => upUntilSignalled("lab 'x'", (signal) => new Promise((_, reject) => {
  const busy = setInterval(() => undefined, 1000);
  process.stdout.write('up\\n');
  signal.addEventListener('abort', () => {
    clearInterval(busy);
    reject(new LabAbortedError('aborted'));
  });
})));
`;

function upThenSignal(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.once('data', () => child.kill(signal));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('upUntilSignalled', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('turns %s into a teardown, one line naming the lab, and exit %i', async (signal, code) => {
    const run = await upThenSignal(signal);
    expect(run.code).toBe(code);
    expect(run.stderr).toBe(`\n${signal}: stopping and tearing down what was built...\nlab 'x': interrupted by ${signal}; torn down\n`);
  });
});

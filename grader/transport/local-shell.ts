import { spawn } from 'node:child_process';
import type { CommandResult } from '../core/command-result.ts';
import type { RunOptions } from './remote-host.ts';

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;

// Runs a command line with `sh -c` on this machine, with the same contract as a remote command:
// a deadline that kills the whole process group, bounded output, a non-zero exit as data.
export function runLocal(command: string, options: RunOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let timedOut = false;
    let truncated = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        if (truncated) return;
        sizes[name] += chunk.length;
        streams[name].push(chunk);
        if (sizes[name] > limit) {
          truncated = true;
          kill();
        }
      });
    }
    const text = (chunks: Buffer[]) => Buffer.concat(chunks).subarray(0, limit).toString('utf8');
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        command,
        exitCode: timedOut || code === null ? null : code,
        ...(signal && !timedOut ? { signal } : {}),
        stdout: text(streams.stdout),
        stderr: text(streams.stderr),
        timedOut,
        truncated,
        durationMs: Math.round(performance.now() - started),
      });
    });
    child.on('error', () => undefined);
  });
}

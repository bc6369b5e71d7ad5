// A lab brought up by a process that is then killed (Ctrl-C on vitest, which exits at once; a CI
// job's timeout) would stay up: its namespaces and sshd processes, or three QEMU VMs using the
// CPU. Where RLG_TEAR_DOWN_WITH_PROCESS=1 (the integration tests set it in vitest.config.ts), both
// labs' `up` starts a watch as soon as the lab's name is claimed: a detached shell that waits for
// this process to end and then runs the lab's reap script (its `down`), if the lab's state
// directory still names this process as its owner (a lab of the same name built later by another
// process is not this one's). A lab torn down normally stops its watch first. A command-line
// `up`, whose lab outlives it, never sets it.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEAR_DOWN_WITH_PROCESS = 'RLG_TEAR_DOWN_WITH_PROCESS';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

// $0 is the owner's pid; the rest is the command run once it is gone.
const WATCH = 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; exec "$@"';

export interface OwnerWatch {
  /** The watch's pid, while it runs. */
  pid: number | undefined;
  /** Ends the watch (the lab is being torn down by its owner). */
  stop(): void;
}

const OWNER_FILE = 'owner-pid';

/** Whether the lab in `stateDir` is still the one process `pid` brought up. */
export function ownedBy(stateDir: string, pid: number): boolean {
  try {
    return Number(readFileSync(join(stateDir, OWNER_FILE), 'utf8').trim()) === pid;
  } catch {
    return false;
  }
}

/**
 * Watches this process for the lab claimed at `stateDir`; once it is gone, `reapScript` (a .ts
 * file) runs with this process's pid, then `args`.
 */
export function watchOwner(stateDir: string, reapScript: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): OwnerWatch {
  if (env[TEAR_DOWN_WITH_PROCESS] !== '1') return { pid: undefined, stop: () => {} };
  writeFileSync(join(stateDir, OWNER_FILE), `${process.pid}\n`);
  const child = spawn('sh', ['-c', WATCH, String(process.pid), process.execPath, '--import', 'tsx', reapScript, String(process.pid), ...args], {
    cwd: REPO,
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  let running = true;
  return {
    get pid() {
      return running ? child.pid : undefined;
    },
    stop() {
      if (!running || child.pid === undefined) return;
      running = false;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the shell and its sleep
      } catch {
        // already gone
      }
    },
  };
}

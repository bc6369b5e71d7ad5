// What a run cost the lab's side: the VMs' sshd listeners count, in their logs (LogLevel VERBOSE),
// every accepted connection and every session channel, and in /proc the CPU of every connection
// they served (sshd and the commands it ran, once reaped).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK_TICKS_PER_SECOND } from './measure.ts';

export interface SshdProbe {
  role: string;
  pidPath: string;
  logPath: string;
}

export interface LabSideCounters {
  connections: number;
  channels: number;
  /** CPU of the sshd listeners and every process they reaped, ms. */
  cpuMs: number;
}

interface Mark {
  logOffsets: number[];
  cpuMs: number;
}

function pidOf(probe: SshdProbe): number {
  return Number(readFileSync(probe.pidPath, 'utf8').trim());
}

// utime + stime + cutime + cstime of a process, ms.
function treeCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3 of proc(5)): utime is field 14, so index 11.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function childrenOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Total CPU time (user+sys) of one live process, ms; 0 when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export class LabSide {
  constructor(private readonly probes: SshdProbe[]) {}

  // Waits (up to `graceMs`) until no connection is still being served, so its CPU is accounted.
  async settle(graceMs = 5000): Promise<void> {
    const deadline = performance.now() + graceMs;
    while (performance.now() < deadline) {
      if (this.probes.every((p) => childrenOf(pidOf(p)) === '')) return;
      await sleep(50);
    }
  }

  mark(): Mark {
    return {
      logOffsets: this.probes.map((p) => (existsSync(p.logPath) ? statSync(p.logPath).size : 0)),
      cpuMs: this.probes.reduce((sum, p) => sum + treeCpuMs(pidOf(p)), 0),
    };
  }

  since(mark: Mark): LabSideCounters {
    let connections = 0;
    let channels = 0;
    this.probes.forEach((probe, i) => {
      const text = readFileSync(probe.logPath).subarray(mark.logOffsets[i]).toString();
      connections += (text.match(/Accepted publickey for /g) ?? []).length;
      channels += (text.match(/Starting session: /g) ?? []).length;
    });
    return { connections, channels, cpuMs: this.mark().cpuMs - mark.cpuMs };
  }
}

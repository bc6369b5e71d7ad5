// The mutable side of one simulated lab: what each VM was asked, its "processes" (pid files), the
// one-off iperf3 servers and how each ended, the NICs' counters, and the flood's byte count.
import type { Role } from '../../../grader/core/roles.ts';
import type { Fault } from './faults.ts';
import type { Leg, SimulatedTopology } from './recorded-lab.ts';

export const COUNTERS = ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes'] as const;
export type Counters = Record<(typeof COUNTERS)[number], number>;

/** How a process ends when it is stopped: by `timeout` at the wrapper's deadline, or by `kill`. */
export type StopReason = 'timeout' | 'TERM';

export type IperfServerEnd = 'test-done' | 'killed' | 'timed-out' | 'lab-stopped';

export interface IperfServer {
  role: Role;
  port: number;
  pidFile: string;
  state: 'starting' | 'listening' | 'testing';
  /** Set once the server is gone; undefined while it runs. */
  ended?: IperfServerEnd;
  /** The client's test is over: the one-off server reports and exits. */
  testDone?: () => void;
}

export class LabState {
  readonly commands: Record<Role, string[]> = { vm1: [], router: [], vm3: [] };
  /** Exec requests that were not the grader's wrapper, and inner commands no responder knows. */
  readonly unexpected: string[] = [];
  readonly iperfServers: IperfServer[] = [];
  /** `ROLE:PATH` of a pid file -> stops the process whose pid it holds. */
  readonly pidFiles = new Map<string, (reason: StopReason) => void>();
  /** Every process still running, so that stopping the lab stops them. */
  readonly processes = new Set<AbortController>();
  floodedBytes = 0;
  /** How long a simulated tool takes, as a share of the real tool's time (the replay runs faster). */
  timeScale = 1;
  /** Commands the `inflate` fault hit so far. */
  inflatedCommands = 0;
  private nextPid = 4100;
  private readonly counters = new Map<string, Counters>();
  /** Datagrams each VM's kernel forwarded (/proc/net/snmp `Ip: ForwDatagrams`). */
  private readonly forwarded = new Map<Role, number>();

  constructor(
    readonly name: string,
    readonly topology: SimulatedTopology,
    readonly faults: Partial<Record<Role, Fault>>,
  ) {}

  pid(): number {
    return this.nextPid++;
  }

  /** /sys/class/net/DEV/statistics of a VM's NIC: a plausible boot-time baseline, then traffic. */
  countersOf(role: Role, dev: string): Counters {
    const key = `${role}:${dev}`;
    let counters = this.counters.get(key);
    if (!counters) {
      const seed = [...key].reduce((sum, c) => sum + c.charCodeAt(0), 0);
      counters = { rx_packets: 900 + seed, tx_packets: 700 + seed, rx_bytes: 0, tx_bytes: 0 };
      counters.rx_bytes = counters.rx_packets * 97;
      counters.tx_bytes = counters.tx_packets * 89;
      this.counters.set(key, counters);
    }
    return counters;
  }

  forwardedBy(role: Role): number {
    return this.forwarded.get(role) ?? 0;
  }

  // Packets crossing each VM of a path: in by one NIC, out by another (forwarded, when both).
  carry(legs: Leg[], packets: number, bytes: number): void {
    for (const leg of legs) {
      if (leg.inDev && leg.outDev) this.forwarded.set(leg.role, this.forwardedBy(leg.role) + packets);
      if (leg.inDev) {
        const c = this.countersOf(leg.role, leg.inDev);
        c.rx_packets += packets;
        c.rx_bytes += bytes;
      }
      if (leg.outDev) {
        const c = this.countersOf(leg.role, leg.outDev);
        c.tx_packets += packets;
        c.tx_bytes += bytes;
      }
    }
  }

  runningIperfServers(): number {
    return this.iperfServers.filter((s) => s.ended === undefined).length;
  }

  stopAll(): void {
    for (const server of this.iperfServers) server.ended ??= 'lab-stopped';
    for (const process of this.processes) process.abort('TERM' satisfies StopReason);
  }
}

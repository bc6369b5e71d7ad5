// The simulated lab without SSH: a replay transport. Each VM is a RemoteHost (the transport
// contract, grader/transport/remote-host.ts) that hands every command, as the check wrote it, to
// the responder that knows it (responders.ts, answering from the recordings of recorded-lab.ts),
// in this process, with no socket. `connect` has connectLab's shape, so gradeLab itself grades the
// replayed lab: discovery, checks, phases, witnesses and scoring, without root or sshd.
//
// The lab's clock runs fast: a tool takes `timeScale` of its real time (a 5 s iperf3 test takes
// 5 s x timeScale), and so do the deadlines the checks give their commands. A VM can be down (never
// reached: every result needing it is an error) or have a command fault: `hang` (no answer until
// the deadline), `drop` (the connection is lost: this command and every later one reject),
// `flood` (more output than the grader reads), `garbage` (binary bytes instead of the output).
import type { CommandResult } from '../../../grader/core/command-result.ts';
import { ROLES, type Role } from '../../../grader/core/roles.ts';
import { describeEndpoint, discoverHost, type ConnectedLab } from '../../../grader/run/connect-lab.ts';
import { HostUnavailableError, type RemoteHost, type RunOptions } from '../../../grader/transport/remote-host.ts';
import type { LabTarget } from '../../../grader/transport/targets.ts';
import { appliesTo, faultOf, FLOOD_CHUNK, GARBAGE, isConnectFault, type Fault, type FaultSpec } from './faults.ts';
import { LabState, type StopReason } from './lab-state.ts';
import { goodLab, type SimulatedTopology } from './recorded-lab.ts';
import { notFound, responderFor, type ExitStatus } from './responders.ts';

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;
const SIGNALS: Record<string, number> = { TERM: 15, PIPE: 13, KILL: 9 };
const CLIENT_PORT = 40_022;

export interface ReplayLabOptions {
  /** @default 'replayed' */
  name?: string;
  /** @default goodLab() */
  topology?: SimulatedTopology;
  /** Command faults per VM (connection faults: use `down`). */
  faults?: Partial<Record<Role, FaultSpec>>;
  /** VMs that cannot be reached, with the reason the connection gives. */
  down?: Partial<Record<Role, string>>;
  /** @default 0.02 */
  timeScale?: number;
}

/** One command as a VM ran it: which responder answered (or `none`), and when (ms, this process's clock). */
export interface CommandSpan {
  role: Role;
  responder: string;
  command: string;
  startedMs: number;
  endedMs?: number;
}

export interface ReplayLab {
  state: LabState;
  /** The lab as the inventory would give it (user `student`, the management addresses). */
  target: LabTarget;
  /** Every command run, in the order they started. */
  timeline: CommandSpan[];
  /** connectLab's shape, for gradeLab's `connect` option. */
  connect(lab: LabTarget): Promise<ConnectedLab>;
  /** Hosts connected and not yet closed. */
  openHosts(): number;
}

class ReplayHost implements RemoteHost {
  private lost?: HostUnavailableError;
  closed = false;

  constructor(
    readonly role: Role,
    readonly target: string,
    private readonly lab: LabState,
    private readonly timeline: CommandSpan[],
    private readonly fault: Fault | undefined,
  ) {}

  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    if (this.closed) throw new HostUnavailableError(this.role, 'closed', `the connection to ${this.target} was closed`);
    if (this.lost) throw this.lost;
    const found = responderFor(command);
    const span: CommandSpan = { role: this.role, responder: found?.responder.name ?? 'none', command, startedMs: performance.now() };
    this.timeline.push(span);
    this.lab.commands[this.role].push(command);
    try {
      return await this.execute(command, found, options);
    } finally {
      span.endedMs = performance.now();
    }
  }

  // A replayed VM has no PATH to keep a witness away from: the same responders answer it.
  runWitness(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.run(command, options);
  }

  private async execute(command: string, found: ReturnType<typeof responderFor>, options: RunOptions): Promise<CommandResult> {
    const started = performance.now();
    const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const output = { stdout: '', stderr: '', truncated: false };
    const process = new AbortController();
    this.lab.processes.add(process);
    const write = (stream: 'stdout' | 'stderr') => (data: string | Buffer) => {
      const room = maxBytes - Buffer.byteLength(output[stream]);
      const text = Buffer.from(data);
      if (text.length > room) {
        output[stream] += text.subarray(0, Math.max(0, room)).toString('utf8');
        output.truncated = true;
        process.abort('TERM' satisfies StopReason); // the grader reads no further: the process is stopped
        return;
      }
      output[stream] += text.toString('utf8');
    };
    const deadline = setTimeout(() => process.abort('timeout' satisfies StopReason), (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) * this.lab.timeScale);
    const hit = appliesTo(this.fault, command) ? this.fault.kind : undefined;
    if (hit === 'drop') {
      clearTimeout(deadline);
      this.lab.processes.delete(process);
      this.lost = new HostUnavailableError(this.role, 'closed', `the SSH connection to ${this.target} was lost`);
      throw this.lost;
    }

    const respond = async (): Promise<ExitStatus> => {
      if (hit === 'hang') return new Promise<never>((_, reject) => process.signal.addEventListener('abort', () => reject(process.signal.reason), { once: true }));
      if (hit === 'garbage') {
        write('stdout')(GARBAGE);
        return { code: 0 };
      }
      if (hit === 'flood') {
        while (!process.signal.aborted) write('stdout')(FLOOD_CHUNK);
        return { signal: 'PIPE' };
      }
      if (!found) {
        this.lab.unexpected.push(`${this.role}: no responder: ${command}`);
        const { stderr, status } = notFound(command);
        write('stderr')(stderr);
        return status;
      }
      return found.responder.run({
        args: found.args,
        role: this.role,
        vm: this.lab.topology[this.role],
        lab: this.lab,
        clientPort: CLIENT_PORT,
        stdout: write('stdout'),
        stderr: write('stderr'),
        signal: process.signal,
        stop: (reason) => process.abort(reason),
      });
    };

    const status = await respond().catch((error: unknown): ExitStatus | 'timed out' => {
      if (process.signal.reason === 'timeout') return 'timed out';
      if (process.signal.aborted) return { signal: 'TERM' };
      this.lab.unexpected.push(`${this.role}: responder failed on ${command}: ${String(error)}`);
      return { code: 1 };
    });
    clearTimeout(deadline);
    this.lab.processes.delete(process);
    const timedOut = status === 'timed out';
    // sh's view of a process killed by a signal: status 128 + N, and the transport names the signal.
    const exitCode = timedOut ? null : 'code' in status ? status.code : 128 + (SIGNALS[status.signal] ?? 15);
    return {
      command,
      exitCode,
      ...(!timedOut && 'signal' in status ? { signal: status.signal } : {}),
      stdout: output.stdout,
      stderr: output.stderr,
      timedOut,
      truncated: output.truncated,
      durationMs: Math.round(performance.now() - started),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export function replayLab(options: ReplayLabOptions = {}): ReplayLab {
  const name = options.name ?? 'replayed';
  const faults: Partial<Record<Role, Fault>> = {};
  for (const role of ROLES) {
    const fault = faultOf(options.faults?.[role]);
    if (isConnectFault(fault)) throw new Error(`${role}: ${fault.kind} is a connection fault: give the VM as down instead`);
    if (fault) faults[role] = fault;
  }
  const state = new LabState(name, options.topology ?? goodLab(), faults);
  state.timeScale = options.timeScale ?? 0.02;
  const timeline: CommandSpan[] = [];
  const hosts: ReplayHost[] = [];
  const target: LabTarget = {
    name,
    vms: Object.fromEntries(ROLES.map((role) => [role, { host: state.topology[role].managementAddress, port: 22, user: 'student', domain: role }])) as LabTarget['vms'],
  };

  return {
    state,
    target,
    timeline,
    openHosts: () => hosts.filter((h) => !h.closed).length,
    async connect(lab) {
      const states = await Promise.all(
        ROLES.map((role) => {
          const vm = lab.vms[role];
          const where = describeEndpoint({ ...vm, host: vm.host ?? state.topology[role].managementAddress });
          const problem = options.down?.[role];
          if (problem !== undefined) return { role, target: where, problem };
          const host = new ReplayHost(role, where, state, timeline, faults[role]);
          hosts.push(host);
          return discoverHost(role, where, host, state.topology[role].managementAddress);
        }),
      );
      return {
        hosts: new Map(states.map((s) => [s.role, s])),
        async close() {
          state.stopAll();
          await Promise.all(hosts.map((h) => h.close()));
        },
      };
    },
  };
}

// A simulated good lab: three "VMs" that answer the grader over real SSH (ssh2, 127.0.0.1) from
// recorded outputs, with optional faults per VM. startSimulatedLab writes, in a temp dir, the
// inventory, a known_hosts with each VM's host key, the grader's private key and a .env naming
// both (GRADER_SSH_KEY, GRADER_KNOWN_HOSTS), so the CLI grades it with `--inventory` alone.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, type Role } from '../../../grader/core/roles.ts';
import { faultOf, type Fault, type FaultSpec } from './faults.ts';
import { acquireHub, releaseHub, type HubLab } from './hub.ts';
import { LabState, type IperfServer } from './lab-state.ts';
import { addressesOf, goodLab } from './recorded-lab.ts';

export interface SimulatedLabOptions {
  /** Lab name: letters, digits, `.`, `_`, `-`; also the SSH user name. Unique among running labs. */
  name: string;
  faults?: Partial<Record<Role, FaultSpec>>;
}

export interface SimulatedEndpoint {
  host: '127.0.0.1';
  port: number;
  user: string;
}

export interface SimulatedLab {
  name: string;
  dir: string;
  inventoryPath: string;
  knownHostsPath: string;
  envPath: string;
  keyPath: string;
  endpoints: Record<Role, SimulatedEndpoint>;
  /** The addresses the VMs report: the management one, and the internal ones. */
  addresses: Record<Role, { management: string; internal: string[] }>;
  faults: Partial<Record<Role, Fault>>;
  /** Commands each VM was asked to run, unwrapped, in order of arrival. */
  commands: Readonly<Record<Role, readonly string[]>>;
  /** Requests that were not the grader's wrapper, or commands no responder knows. */
  unexpected: readonly string[];
  /** Every one-off iperf3 server started, and how it ended (undefined: still running). */
  iperfServers(): readonly IperfServer[];
  /** iperf3 servers still running: neither their test, nor `kill`, nor `timeout` ended them. */
  runningIperfServers(): number;
  /** Bytes the flood fault wrote into channels (SSH flow control permitting). */
  floodedBytes(): number;
  stop(): Promise<void>;
}

const LAB_NAME = /^[A-Za-z0-9._-]+$/;

function knownHostsLine(port: number, blob: Buffer): string {
  return `[127.0.0.1]:${port} ssh-ed25519 ${blob.toString('base64')}`;
}

export async function startSimulatedLab(options: SimulatedLabOptions): Promise<SimulatedLab> {
  const { name } = options;
  if (!LAB_NAME.test(name)) throw new Error(`simulated lab name '${name}': letters, digits, '.', '_' and '-' only`);
  const faults = Object.fromEntries(ROLES.flatMap((r) => (options.faults?.[r] ? [[r, faultOf(options.faults[r])!]] : []))) as Partial<Record<Role, Fault>>;
  const hub = await acquireHub();
  if (hub.labs.has(name)) {
    await releaseHub();
    throw new Error(`a simulated lab named '${name}' is already running`);
  }
  const state = new LabState(name, goodLab(), faults);
  const lab: HubLab = { state, sockets: new Set() };
  hub.labs.set(name, lab);
  const dedicated: Array<{ close(): void }> = [];
  let dir: string | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      hub.labs.delete(name);
      state.stopAll();
      for (const socket of lab.sockets) socket.destroy();
      for (const listener of dedicated) listener.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      await releaseHub();
    })());

  try {
    const endpoints = {} as Record<Role, SimulatedEndpoint>;
    for (const role of ROLES) {
      const kind = faults[role]?.kind;
      const port = kind === 'no-banner' || kind === 'wrong-host-key' ? await hub.dedicatedPort(lab, role, kind).then((d) => (dedicated.push(d), d.port)) : hub.ports[role];
      endpoints[role] = { host: '127.0.0.1', port, user: name };
    }
    dir = await mkdtemp(join(tmpdir(), `simlab-${name}-`));
    const paths = {
      inventoryPath: join(dir, 'inventory.yaml'),
      knownHostsPath: join(dir, 'known_hosts'),
      envPath: join(dir, '.env'),
      keyPath: join(dir, 'id_ed25519'),
    };
    await writeFile(paths.keyPath, hub.clientKey.private);
    await chmod(paths.keyPath, 0o600);
    await writeFile(paths.knownHostsPath, `${ROLES.map((r) => knownHostsLine(endpoints[r].port, hub.hostKeys[r].blob)).join('\n')}\n`);
    await writeFile(paths.envPath, `GRADER_SSH_KEY=${paths.keyPath}\nGRADER_KNOWN_HOSTS=${paths.knownHostsPath}\n`);
    const vms = ROLES.map((r) => `    ${r}: { address: 127.0.0.1, port: ${endpoints[r].port}, user: ${JSON.stringify(name)} }`);
    await writeFile(paths.inventoryPath, `# simulated lab (test/support/simulated-lab)\nlabs:\n  ${JSON.stringify(name)}:\n${vms.join('\n')}\n`);

    const addresses = Object.fromEntries(
      ROLES.map((r) => {
        const vm = state.topology[r];
        const internal = addressesOf(vm).filter((a) => a.dev !== 'lo' && a.address !== vm.managementAddress).map((a) => a.address);
        return [r, { management: vm.managementAddress, internal }];
      }),
    ) as SimulatedLab['addresses'];

    return {
      name,
      dir,
      ...paths,
      endpoints,
      addresses,
      faults,
      commands: state.commands,
      unexpected: state.unexpected,
      iperfServers: () => state.iperfServers.map((s) => ({ ...s })),
      runningIperfServers: () => state.runningIperfServers(),
      floodedBytes: () => state.floodedBytes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

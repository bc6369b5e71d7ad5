import type { HypervisorTarget } from '../transport/targets.ts';
import { runLocal } from '../transport/local-shell.ts';
import type { CommandResult } from '../core/command-result.ts';
import type { RunOptions } from '../transport/remote-host.ts';
import { connectJump, type ConnectOptions, type JumpHost } from '../transport/ssh-host.ts';

// The lab's libvirt host, where `virsh` runs: this machine, or an SSH connection that also leads
// to the VMs.
export interface Hypervisor {
  /** `local`, or user@host of the SSH connection. */
  target: string;
  uri: string;
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /** The SSH connection, to reach the VMs through it. */
  via?: JumpHost;
  close(): Promise<void>;
}

export async function openHypervisor(target: HypervisorTarget, options: Omit<ConnectOptions, 'endpoint'>, via?: JumpHost): Promise<Hypervisor> {
  if (!target.endpoint) return { target: 'local', uri: target.uri, run: runLocal, close: async () => undefined };
  const jump = await connectJump({ ...options, endpoint: target.endpoint, via });
  const { user, host, port } = target.endpoint;
  return {
    target: `${user}@${host}${port === 22 ? '' : `:${port}`}`,
    uri: target.uri,
    run: (command, runOptions) => jump.run(command, runOptions),
    via: jump,
    close: () => jump.close(),
  };
}

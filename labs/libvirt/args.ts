// The vmlab CLI's command line, parsed without side effects.
import { LabUsageError } from './errors.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import {
  DEFAULT_GUEST, DEFAULT_LAB_NAME, GUEST_KINDS, isGuestKind, isLabName, isNaming, isNicModel, isVmVariant, NAMINGS, NIC_MODELS, PEOPLE, VM_VARIANTS,
  type GuestKind, type Naming, type NicModel, type VmVariant,
} from './plan.ts';

export type VmLabCommand =
  | { command: 'up'; name: string; nic: NicModel; variant: VmVariant; guest: GuestKind; labs: number; naming: Naming }
  | { command: 'down'; name: string }
  | { command: 'down-all' }
  | { command: 'image'; guest: GuestKind }
  | { command: 'compare'; durationSeconds: number; guest: GuestKind }
  | { command: 'help' };

export const USAGE = `Usage: npm run vmlab -- <command> [options]

  up   [--guest debian|busybox] [--nic virtio|e1000] [--variant good|no-forwarding] [--name LAB]
       [--labs N] [--naming lab|people]
                    build the exercise with real libvirt/QEMU VMs on this machine: three isolated
                    networks (management, internal1, internal2), VM1, the router and VM3;
                    --labs N builds N labs one after another (LAB1, LAB2... or, with
                    --naming people, labs alice, bob... whose domains are named as students
                    name them: alice-vm1, alice-router, alice-vm3, bob-vm-a, bob-gw, bob-vm-b)
  down [--name LAB] destroy and undefine the lab's VMs and networks, remove .lab/LAB/
  down --all        every VM lab of this checkout, and VM lab slots whose .lab/LAB/ is gone
  image [--guest debian|busybox]
                    build (or find in .cache/vm-image/) the guest image and print its manifest
  compare [--duration S] [--guest debian|busybox]
                    build a VirtIO lab, then an e1000 lab, measure iperf3 (S seconds, default 10)
                    and ping on each, print them side by side, tear both down

  LAB      1-32 characters of a-z, 0-9 and '-' (default: ${DEFAULT_LAB_NAME})
  --guest  debian: Debian 12 (debootstrap, systemd, user student with sudo and a password);
           busybox: a BusyBox initramfs with root logins, boots faster (default: ${DEFAULT_GUEST})
  --nic    ${NIC_MODELS.join(', ')} (default: virtio)
  --variant  good: as the exercise asks; no-forwarding: the router VM keeps ip_forward=0

'up' on a name that exists fails: run 'down' first. Needs root (libvirtd, bridges).
Outputs go to .lab/LAB/: inventory.yaml, .env, known_hosts, id_ed25519, each VM's console.log.
VMLAB_ACCEL=tcg|kvm skips the KVM probe.`;

function usageError(message: string): LabUsageError {
  return new LabUsageError(`${message} (see npm run vmlab -- --help)`);
}

export function parseVmLabArgs(argv: readonly string[]): VmLabCommand {
  const args = [...argv];
  const command = args.shift();
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (!['up', 'down', 'image', 'compare'].includes(command)) throw usageError(`unknown command '${command}'; valid: up, down, image, compare`);

  const valued =
    command === 'up'
      ? ['--name', '--nic', '--variant', '--guest', '--labs', '--naming']
      : command === 'down' ? ['--name'] : command === 'compare' ? ['--duration', '--guest'] : ['--guest'];
  const flags = command === 'down' ? ['--all'] : [];
  const options = new Map<string, string>();
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [key, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flags.includes(key) && inline === undefined) {
      options.set(key, '');
      continue;
    }
    if (!valued.includes(key)) {
      const valid = [...valued, ...flags];
      throw usageError(`unknown argument '${arg}' for ${command}; valid: ${valid.length > 0 ? valid.join(', ') : 'none'}`);
    }
    const value = inline ?? args.shift();
    if (value === undefined || value === '') throw usageError(`${key} needs a value`);
    options.set(key, value);
  }

  const guest = options.get('--guest') ?? DEFAULT_GUEST;
  if (!isGuestKind(guest)) throw usageError(`unknown guest '${guest}'; valid: ${GUEST_KINDS.join(', ')}`);
  if (command === 'image') return { command: 'image', guest };
  if (command === 'compare') {
    const durationSeconds = Number(options.get('--duration') ?? 10);
    if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 60) throw usageError('--duration must be a whole number of seconds from 1 to 60');
    return { command: 'compare', durationSeconds, guest };
  }
  if (options.has('--all')) {
    if (options.has('--name')) throw usageError('down takes --name or --all, not both');
    return { command: 'down-all' };
  }
  const name = options.get('--name') ?? DEFAULT_LAB_NAME;
  if (!isLabName(name)) throw usageError(invalidLabName(name));
  if (command === 'down') return { command: 'down', name };
  const nic = options.get('--nic') ?? 'virtio';
  if (!isNicModel(nic)) throw usageError(`unknown NIC model '${nic}'; valid: ${NIC_MODELS.join(', ')}`);
  const variant = options.get('--variant') ?? 'good';
  if (!isVmVariant(variant)) throw usageError(`unknown variant '${variant}'; valid: ${VM_VARIANTS.join(', ')}`);
  const labs = Number(options.get('--labs') ?? 1);
  if (!Number.isInteger(labs) || labs < 1 || labs > PEOPLE.length) throw usageError(`--labs must be a whole number from 1 to ${PEOPLE.length}`);
  const naming = options.get('--naming') ?? 'lab';
  if (!isNaming(naming)) throw usageError(`unknown naming '${naming}'; valid: ${NAMINGS.join(', ')}`);
  return { command: 'up', name, nic, variant, guest, labs, naming };
}

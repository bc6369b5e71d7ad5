// The vmlab CLI's command line, parsed without side effects.
import { downCommand, labNameOf, parseArgs, usageError, valueOf } from '../kit/cli-args.ts';
import type { LabCommand } from '../kit/provider.ts';
import { machineChangesText } from './machine-changes.ts';
import { isNaming, NAMINGS, PEOPLE, type Naming } from './naming.ts';
import {
  DEFAULT_GUEST, DEFAULT_LAB_NAME, GUEST_KINDS, isGuestKind, isNicModel, isVmVariant, NIC_MODELS, VM_VARIANTS,
  type GuestKind, type NicModel, type VmVariant,
} from './plan.ts';

export interface LibvirtUp {
  name: string;
  nic: NicModel;
  variant: VmVariant;
  guest: GuestKind;
  labs: number;
  naming: Naming;
}
export type LibvirtOwnCommand = { command: 'image'; guest: GuestKind } | { command: 'compare'; durationSeconds: number; guest: GuestKind };
export type VmLabCommand = LabCommand<LibvirtUp, LibvirtOwnCommand>;

const PROGRAM = 'vmlab';

export const COMMANDS = {
  up: { valued: ['--name', '--nic', '--variant', '--guest', '--labs', '--naming'], flags: [] },
  down: { valued: ['--name'], flags: ['--all'] },
  list: { valued: [], flags: [] },
  variants: { valued: [], flags: [] },
  image: { valued: ['--guest'], flags: [] },
  compare: { valued: ['--duration', '--guest'], flags: [] },
} as const;

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
  list              show this checkout's VM labs and the machine's VM lab slots (stale ones marked)
  variants          show each variant and the student mistake it makes
  image [--guest debian|busybox]
                    build (or find in .cache/vm-image/) the guest image and print its manifest
  compare [--duration S] [--guest debian|busybox]
                    build a VirtIO lab, then an e1000 lab, measure iperf3 (S seconds, default 10)
                    and ping on each, print them side by side, tear both down

  LAB      1-32 characters of a-z, 0-9 and '-' (default: ${DEFAULT_LAB_NAME})
  --guest  debian: Debian 12 (debootstrap, systemd, user student with sudo and a password);
           busybox: a BusyBox initramfs with root logins, boots faster (default: ${DEFAULT_GUEST})
  --nic    ${NIC_MODELS.join(', ')} (default: virtio)
  --variant  ${VM_VARIANTS.join(', ')} (default: good; see variants)

'up' on a name that exists fails: run 'down' first. Needs root (libvirtd, bridges).
${machineChangesText()}
Outputs go to .lab/LAB/: inventory.yaml, .env, known_hosts, id_ed25519, each VM's console.log.
VMLAB_ACCEL=tcg|kvm skips the KVM probe.`;

export function parseVmLabArgs(argv: readonly string[]): VmLabCommand {
  const parsed = parseArgs(PROGRAM, COMMANDS, argv);
  if (parsed.command === 'help') return { command: 'help' };
  const { command, options } = parsed as { command: keyof typeof COMMANDS; options: Map<string, string | true> };
  const guest = valueOf(options, '--guest', DEFAULT_GUEST);
  if (!isGuestKind(guest)) throw usageError(PROGRAM, `unknown guest '${guest}'; valid: ${GUEST_KINDS.join(', ')}`);
  switch (command) {
    case 'image':
      return { command: 'image', guest };
    case 'compare': {
      const durationSeconds = Number(valueOf(options, '--duration', '10'));
      if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 60) throw usageError(PROGRAM, '--duration must be a whole number of seconds from 1 to 60');
      return { command: 'compare', durationSeconds, guest };
    }
    case 'down':
      return downCommand(PROGRAM, options, DEFAULT_LAB_NAME);
    case 'list':
    case 'variants':
      return { command };
    case 'up': {
      const name = labNameOf(PROGRAM, options, DEFAULT_LAB_NAME);
      const nic = valueOf(options, '--nic', 'virtio');
      if (!isNicModel(nic)) throw usageError(PROGRAM, `unknown NIC model '${nic}'; valid: ${NIC_MODELS.join(', ')}`);
      const variant = valueOf(options, '--variant', 'good');
      if (!isVmVariant(variant)) throw usageError(PROGRAM, `unknown variant '${variant}'; valid: ${VM_VARIANTS.join(', ')}`);
      const labs = Number(valueOf(options, '--labs', '1'));
      if (!Number.isInteger(labs) || labs < 1 || labs > PEOPLE.length) throw usageError(PROGRAM, `--labs must be a whole number from 1 to ${PEOPLE.length}`);
      const naming = valueOf(options, '--naming', 'lab');
      if (!isNaming(naming)) throw usageError(PROGRAM, `unknown naming '${naming}'; valid: ${NAMINGS.join(', ')}`);
      return { command: 'up', name, nic, variant, guest, labs, naming };
    }
  }
}

// The VM lab as a lab provider: the exercise with real libvirt/QEMU VMs on this machine
// (`npm run vmlab`).
import { join } from 'node:path';
import type { LabProvider, Say } from '../kit/provider.ts';
import { slotListing } from '../kit/slot-listing.ts';
import { DEFAULT_LABS_DIR, listVmLabs, vmLabDown, vmLabDownAll, vmLabUp } from './api.ts';
import { COMMANDS, parseVmLabArgs, USAGE, type LibvirtOwnCommand, type LibvirtUp } from './args.ts';
import { compareNics, renderComparison } from './compare.ts';
import { generatePassword } from './debian-guest.ts';
import { requireRoot } from './errors.ts';
import { ensureDebianImage, ensureImage } from './image.ts';
import { namedLabs } from './naming.ts';
import { STUDENT_USER, VM_VARIANT_TABLE, VM_VARIANTS, type VmRole } from './plan.ts';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

type UpOne = LibvirtUp & { domainNames?: Record<VmRole, string>; clientKey?: string; password?: string };

async function upOne(command: UpOne, signal: AbortSignal, say: Say): Promise<void> {
  const lab = await vmLabUp({ ...command, signal, log: say });
  const a = lab.addresses;
  const t = lab.timings;
  say(`VM lab '${lab.name}' is up (${lab.guest} guests, ${lab.nic} NICs, variant ${lab.variant}, ${lab.domainType}, slot ${lab.slot}) in ${seconds(t.totalMs)}`);
  say(`  image ${seconds(t.imageMs)}, boot to DHCP ${seconds(t.bootMs)}, then SSH ${seconds(t.sshMs)}`);
  const n = lab.networks;
  say(`  management ${n.management.subnet} (${n.management.bridge})  internal1 ${n.internal1.subnet}  internal2 ${n.internal2.subnet}`);
  say(`  vm1    ${a.vm1.management.padEnd(15)} internal ${a.vm1.internal}   (console: ${lab.consoleLogs.vm1})`);
  say(`  router ${a.router.management.padEnd(15)} internal ${a.router.internal1}, ${a.router.internal2}`);
  say(`  vm3    ${a.vm3.management.padEnd(15)} internal ${a.vm3.internal}`);
  say(`  domains: ${Object.values(lab.domains).join(', ')} (virsh -c qemu:///system dumpxml ${lab.domains.vm1})`);
  say(
    lab.guest === 'debian'
      ? `  ssh -o UserKnownHostsFile=${lab.knownHostsPath} ${lab.user}@${a.vm1.management}   (password: GRADER_SSH_PASSWORD in ${lab.envPath})`
      : `  ssh -i ${lab.keyPath} -o UserKnownHostsFile=${lab.knownHostsPath} root@${a.vm1.management}`,
  );
  say('Grade it with:');
  say(`  ${lab.gradeCommand}`);
}

// Several labs, one after another (each boots alone on this machine's CPUs), as a lab server has them.
async function upMany(command: LibvirtUp, signal: AbortSignal, say: Say): Promise<void> {
  const labs = namedLabs(command.labs, command.naming, command.name);
  // One login for every lab, as an instructor's on a lab server: the first lab's key (busybox),
  // or one password for `student` on every VM (debian).
  const clientKey = join(DEFAULT_LABS_DIR, labs[0]!.name, 'id_ed25519');
  const password = command.guest === 'debian' ? generatePassword() : undefined;
  for (const [i, lab] of labs.entries()) {
    const shared = password !== undefined ? { password } : i > 0 ? { clientKey } : {};
    await upOne({ ...command, ...lab, labs: 1, ...shared }, signal, say);
  }
  say('Grade them all, found from the topology (no inventory):');
  say(`  cat ${labs.map((l) => join(DEFAULT_LABS_DIR, l.name, 'known_hosts')).join(' ')} > .lab/known_hosts`);
  const options = '--hypervisor local --all --known-hosts .lab/known_hosts';
  if (command.guest === 'debian') {
    const env = join(DEFAULT_LABS_DIR, labs[0]!.name, '.env');
    say(`  GRADER_SSH_PASSWORD="$(sed -n 's/^GRADER_SSH_PASSWORD=//p' ${env})" npm run grade -- ${options} --user ${STUDENT_USER}`);
  } else {
    say(`  GRADER_SSH_KEY=${clientKey} npm run grade -- ${options} --user root`);
  }
}

async function list(say: Say): Promise<void> {
  const { labs, slots } = await listVmLabs();
  if (labs.length === 0) say('no VM labs in this checkout');
  for (const lab of labs) {
    const s = lab.state;
    say(s ? `${lab.name}\tslot ${s.slot}\t${s.variant}\t${s.guest} ${s.nic}\t${s.phase}\t${lab.stateDir}` : `${lab.name}\t(unreadable state file)\t${lab.stateDir}`);
  }
  for (const line of slotListing(slots)) say(line);
}

async function image(guest: LibvirtOwnCommand['guest'], say: Say): Promise<number> {
  requireRoot();
  const started = Date.now();
  if (guest === 'debian') say('building (or finding) the Debian 12 image; a first build takes minutes...');
  const built = guest === 'debian' ? await ensureDebianImage(undefined, say) : await ensureImage(undefined, say);
  say(JSON.stringify(built.manifest, null, 2));
  say(`${built.dir} (${seconds(Date.now() - started)})`);
  return 0;
}

export const libvirtProvider: LabProvider<LibvirtUp, LibvirtOwnCommand> = {
  program: 'vmlab',
  noun: 'VM lab',
  usage: USAGE,
  commands: COMMANDS,
  parse: parseVmLabArgs,
  variants: VM_VARIANTS.map((name) => ({ name, mistake: VM_VARIANT_TABLE[name].mistake })),
  up: async (command, signal, say) => {
    await (command.labs > 1 || command.naming !== 'lab' ? upMany(command, signal, say) : upOne(command, signal, say));
    return 0;
  },
  down: (name, say) => vmLabDown(name, { log: say }),
  downAll: (say) => vmLabDownAll({ log: say }),
  list,
  run: async (command, say) => {
    if (command.command === 'image') return image(command.guest, say);
    requireRoot();
    const rows = await compareNics(command.durationSeconds, say, command.guest);
    say(renderComparison(rows, command.durationSeconds));
    return 0;
  },
};

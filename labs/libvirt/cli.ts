// `npm run vmlab -- up|down|image`: the exercise with real libvirt/QEMU VMs on this machine.
import { runLabCli, upUntilSignalled } from '../kit/errors.ts';
import { join } from 'node:path';
import { DEFAULT_LABS_DIR, vmLabDown, vmLabDownAll, vmLabUp } from './api.ts';
import { parseVmLabArgs, USAGE, type VmLabCommand } from './args.ts';
import { requireRoot } from './errors.ts';
import { compareNics, renderComparison } from './compare.ts';
import { ensureDebianImage, ensureImage } from './image.ts';
import { generatePassword } from './debian-guest.ts';
import { namedLabs, STUDENT_USER, type VmRole } from './plan.ts';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// Several labs, one after another (each boots alone on this machine's CPUs), as a lab server has them.
async function upMany(command: Extract<VmLabCommand, { command: 'up' }>): Promise<number> {
  const labs = namedLabs(command.labs, command.naming, command.name);
  // One login for every lab, as an instructor's on a lab server: the first lab's key (busybox),
  // or one password for `student` on every VM (debian).
  const clientKey = join(DEFAULT_LABS_DIR, labs[0]!.name, 'id_ed25519');
  const password = command.guest === 'debian' ? generatePassword() : undefined;
  for (const [i, lab] of labs.entries()) {
    const shared = password !== undefined ? { password } : i > 0 ? { clientKey } : {};
    const code = await up({ ...command, ...lab, labs: 1, ...shared });
    if (code !== 0) return code;
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
  return 0;
}

type UpOne = Extract<VmLabCommand, { command: 'up' }> & { domainNames?: Record<VmRole, string>; clientKey?: string; password?: string };

async function up(command: UpOne): Promise<number> {
  return upUntilSignalled(`VM lab '${command.name}'`, async (signal) => {
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
    return 0;
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseVmLabArgs(argv);
  switch (command.command) {
    case 'help':
      say(USAGE);
      return 0;
    case 'image': {
      requireRoot();
      const started = Date.now();
      if (command.guest === 'debian') say('building (or finding) the Debian 12 image; a first build takes minutes...');
      const image = command.guest === 'debian' ? await ensureDebianImage() : await ensureImage();
      say(JSON.stringify(image.manifest, null, 2));
      say(`${image.dir} (${seconds(Date.now() - started)})`);
      return 0;
    }
    case 'up':
      return command.labs > 1 || command.naming !== 'lab' ? upMany(command) : up(command);
    case 'compare': {
      requireRoot();
      const rows = await compareNics(command.durationSeconds, say, command.guest);
      say(renderComparison(rows, command.durationSeconds));
      return 0;
    }
    case 'down': {
      const started = Date.now();
      process.on('SIGINT', () => process.stderr.write('\nstill tearing down, please wait...\n'));
      process.on('SIGTERM', () => process.stderr.write('\nstill tearing down, please wait...\n'));
      await vmLabDown(command.name, { log: say });
      say(`down in ${seconds(Date.now() - started)}`);
      return 0;
    }
    case 'down-all': {
      process.on('SIGINT', () => process.stderr.write('\nstill tearing down, please wait...\n'));
      process.on('SIGTERM', () => process.stderr.write('\nstill tearing down, please wait...\n'));
      const removed = await vmLabDownAll({ log: say });
      say(removed.length === 0 ? 'nothing to tear down' : `removed: ${removed.join(', ')}`);
      return 0;
    }
  }
}

runLabCli('vmlab', () => main(process.argv.slice(2)));

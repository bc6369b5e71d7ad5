// The reference lab as a lab provider: the exercise in network namespaces on this machine
// (`npm run lab`).
import { relative } from 'node:path';
import type { LabProvider, Say } from '../kit/provider.ts';
import { readStudentAddressing } from '../kit/student-plan.ts';
import { slotListing } from '../kit/slot-listing.ts';
import { labDown, labDownAll, labUp, listLabs } from './api.ts';
import { COMMANDS, parseLabArgs, USAGE, type NetnsUp } from './args.ts';
import { writeClassInventory } from './class-inventory.ts';
import { DEFAULT_LABS_DIR } from './state.ts';
import { VARIANTS, variantSpec } from './variants.ts';

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function up(command: NetnsUp, signal: AbortSignal, say: Say): Promise<number> {
  const started = Date.now();
  const addressing = command.plan ? await readStudentAddressing(command.plan.file, command.plan.student) : undefined;
  const lab = await labUp({ name: command.name, variant: command.variant, signal, log: say, verbose: command.verbose, ...(addressing ? { addressing } : {}) });
  const a = lab.addresses;
  say(`lab '${lab.name}' is up (variant ${lab.variant}, slot ${lab.slot}) in ${seconds(started)}`);
  say(`  management ${lab.subnets.management}  internal1 ${lab.subnets.internal1}  internal2 ${lab.subnets.internal2}`);
  say(`  vm1    ${a.vm1.management.padEnd(15)} internal ${a.vm1.internal}   (ip netns exec ${lab.namespaces.vm1} ...)`);
  say(`  router ${a.router.management.padEnd(15)} internal ${a.router.internal1}, ${a.router.internal2}   (ip netns exec ${lab.namespaces.router} ...)`);
  say(`  vm3    ${a.vm3.management.padEnd(15)} internal ${a.vm3.internal}   (ip netns exec ${lab.namespaces.vm3} ...)`);
  say(`  ssh -i ${lab.keyPath} -o UserKnownHostsFile=${lab.knownHostsPath} root@${a.vm1.management}`);
  say("  (a VM's shell, where the printed fixes are typed: it has sudo, and DHCP on the internal networks; ip netns exec is this machine's shell)");
  say('Grade it with:');
  say(`  ${lab.gradeCommand}`);
  return 0;
}

async function list(say: Say): Promise<void> {
  const { labs, slots, orphanNamespaces } = await listLabs();
  if (labs.length === 0) say('no labs in this checkout');
  for (const lab of labs) {
    const s = lab.state;
    say(s ? `${lab.name}\tslot ${s.slot}\t${s.variant}\t${s.phase}\t${lab.stateDir}` : `${lab.name}\t(no state file)\t${lab.stateDir}`);
  }
  for (const line of slotListing(slots)) say(line);
  if (orphanNamespaces.length > 0) say(`orphan namespaces (down --all cleans them): ${orphanNamespaces.join(' ')}`);
}

// `class`: one inventory for every lab of .lab/.
async function writeClass(say: Say): Promise<number> {
  const written = await writeClassInventory(DEFAULT_LABS_DIR);
  if (written.labs.length === 0) {
    say('no labs in .lab/: bring some up first (npm run lab -- up --name NAME)');
    return 1;
  }
  say(`${relative(process.cwd(), written.inventoryPath)}: ${written.labs.join(', ')}`);
  say('Grade them as a class with:');
  say(`  npm run grade -- --all --inventory ${relative(process.cwd(), written.inventoryPath)}`);
  return 0;
}

export const netnsProvider: LabProvider<NetnsUp, { command: 'class' }> = {
  program: 'lab',
  noun: 'lab',
  usage: USAGE,
  commands: COMMANDS,
  parse: parseLabArgs,
  variants: VARIANTS.map((name) => ({ name, mistake: variantSpec(name).mistake })),
  up,
  down: (name, say) => labDown(name, { log: say }),
  downAll: (say) => labDownAll({ log: say }),
  list,
  run: (_command, say) => writeClass(say),
};

// `npm run lab -- up|down|list|variants`: the reference lab on this machine.
import { labDown, labDownAll, labUp, listLabs } from './api.ts';
import { relative } from 'node:path';
import { parseLabArgs, USAGE, type LabCommand } from './args.ts';
import { writeClassInventory } from './class-inventory.ts';
import { DEFAULT_LABS_DIR } from './state.ts';
import { runLabCli, upUntilSignalled } from '../kit/errors.ts';
import { VARIANTS, variantSpec } from './variants.ts';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function up(command: Extract<LabCommand, { command: 'up' }>): Promise<number> {
  const started = Date.now();
  return upUntilSignalled(`lab '${command.name}'`, async (signal) => {
    const lab = await labUp({
      name: command.name,
      variant: command.variant,
      signal,
      log: say,
      verbose: command.verbose,
    });
    const a = lab.addresses;
    say(`lab '${lab.name}' is up (variant ${lab.variant}, slot ${lab.slot}) in ${seconds(started)}`);
    say(`  management ${lab.subnets.management}  internal1 ${lab.subnets.internal1}  internal2 ${lab.subnets.internal2}`);
    say(`  vm1    ${a.vm1.management.padEnd(15)} internal ${a.vm1.internal}   (ip netns exec ${lab.namespaces.vm1} ...)`);
    say(`  router ${a.router.management.padEnd(15)} internal ${a.router.internal1}, ${a.router.internal2}   (ip netns exec ${lab.namespaces.router} ...)`);
    say(`  vm3    ${a.vm3.management.padEnd(15)} internal ${a.vm3.internal}   (ip netns exec ${lab.namespaces.vm3} ...)`);
    say(`  ssh -i ${lab.keyPath} -o UserKnownHostsFile=${lab.knownHostsPath} root@${a.vm1.management}`);
    say('Grade it with:');
    say(`  ${lab.gradeCommand}`);
    return 0;
  });
}

async function list(): Promise<number> {
  const { labs, slots, orphanNamespaces } = await listLabs();
  if (labs.length === 0) say('no labs in this checkout');
  for (const lab of labs) {
    const s = lab.state;
    say(s ? `${lab.name}\tslot ${s.slot}\t${s.variant}\t${s.phase}\t${lab.stateDir}` : `${lab.name}\t(no state file)\t${lab.stateDir}`);
  }
  if (slots.length > 0) {
    say('machine-wide slots:');
    for (const claim of slots) {
      say(`  ${claim.slot}\t${claim.owner ?? '(being claimed)'}${claim.stale ? '\tSTALE: owner gone, down --all cleans it' : ''}`);
    }
  }
  if (orphanNamespaces.length > 0) say(`orphan namespaces (down --all cleans them): ${orphanNamespaces.join(' ')}`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseLabArgs(argv);
  switch (command.command) {
    case 'help':
      say(USAGE);
      return 0;
    case 'variants':
      for (const variant of VARIANTS) say(`${variant.padEnd(20)} ${variantSpec(variant).mistake}`);
      return 0;
    case 'list':
      return list();
    case 'class': {
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
    case 'up':
      return up(command);
    case 'down': {
      const started = Date.now();
      process.on('SIGINT', () => process.stderr.write('\nstill tearing down, please wait...\n'));
      await labDown(command.name, { log: say });
      say(`down in ${seconds(started)}`);
      return 0;
    }
    case 'down-all': {
      process.on('SIGINT', () => process.stderr.write('\nstill tearing down, please wait...\n'));
      const removed = await labDownAll({ log: say });
      say(removed.length === 0 ? 'nothing to tear down' : `removed: ${removed.join(', ')}`);
      return 0;
    }
  }
}

runLabCli('lab', () => main(process.argv.slice(2)));

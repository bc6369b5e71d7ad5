// The steps of a VM lab's `up` that both guests share: tools, a free slot and free names, keys,
// networks and domains started, DHCP leases waited for and checked against the guests' own view.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootSubnetCollision } from '../kit/root-subnet.ts';
import { tryRun } from '../kit/run.ts';
import { addressesFromLeases } from './addresses.ts';
import { LabError, LabExistsError } from './errors.ts';
import { writeVmInitrd } from './image.ts';
import { copyClientKey, generateClientKey, generateHostKey } from './keys.ts';
import { defineAndStartDomain, defineAndStartNetwork, domainLeases, domainStopped, libvirtNames } from './libvirt.ts';
import { domainXml, networkXml } from './libvirt-xml.ts';
import { bridgeName, NETWORK_ROLES, slotSubnet, VM_ROLES, type GuestKind, type VmAddresses, type VmLabPlan, type VmRole } from './plan.ts';


export async function requireTools(guest: GuestKind): Promise<void> {
  const missing: string[] = [];
  const tools = guest === 'debian'
    ? [['ssh-keygen', 'openssh-client'], ['qemu-img', 'qemu-utils'], ['tar', 'tar'], ['debootstrap', 'debootstrap'], ['mkfs.ext4', 'e2fsprogs']]
    : [['ssh', 'openssh-client'], ['ssh-keygen', 'openssh-client'], ['dropbearkey', 'dropbear-bin']];
  for (const [tool, pkg] of tools) {
    if ((await tryRun(['sh', '-c', `command -v ${tool}`])).exitCode !== 0) missing.push(pkg!);
  }
  if (missing.length > 0) throw new LabError(`missing: apt-get install -y ${[...new Set(missing)].join(' ')}`);
}

async function linkExists(name: string): Promise<boolean> {
  return (await tryRun(['ip', 'link', 'show', 'dev', name])).exitCode === 0;
}

export async function slotUsable(slot: number): Promise<boolean> {
  for (const network of NETWORK_ROLES) {
    if (await linkExists(bridgeName(slot, network))) return false;
    if ((await rootSubnetCollision(slotSubnet(slot, network))) !== undefined) return false;
  }
  return true;
}

export async function checkNamesFree(plan: VmLabPlan): Promise<void> {
  const taken = await libvirtNames();
  for (const role of VM_ROLES) {
    const domain = plan.vms[role].domain;
    if (taken.domains.includes(domain)) {
      throw new LabExistsError(`libvirt already has a domain named ${domain} (another checkout's lab?); choose another --name`);
    }
  }
  for (const network of NETWORK_ROLES) {
    const name = plan.networks[network].name;
    if (taken.networks.includes(name)) {
      throw new LabExistsError(`libvirt already has a network named ${name} (another checkout's lab?); choose another --name`);
    }
  }
}

async function consoleTail(path: string, lines = 12): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function writeKeysAndInitrds(plan: VmLabPlan, baseInitrd: string, clientKey?: string): Promise<Record<VmRole, string>> {
  await Promise.all(VM_ROLES.map((role) => mkdir(plan.vms[role].dir, { recursive: true })));
  const authorizedKey = clientKey ? await copyClientKey(clientKey, plan.paths.privateKey) : await generateClientKey(plan.paths.privateKey, `router-lab-grader@${plan.name}`);
  const hostKeys = {} as Record<VmRole, string>;
  await Promise.all(
    VM_ROLES.map(async (role) => {
      const vm = plan.vms[role];
      hostKeys[role] = await generateHostKey(vm.hostKey);
      await writeVmInitrd(baseInitrd, authorizedKey, vm.hostKey, vm.initrd);
    }),
  );
  return hostKeys;
}

export async function startMachines(plan: VmLabPlan, check: () => void): Promise<void> {
  for (const role of NETWORK_ROLES) {
    const network = plan.networks[role];
    const xmlPath = join(plan.stateDir, `network-${role}.xml`);
    await writeFile(xmlPath, networkXml(network));
    check();
    await defineAndStartNetwork(network.name, xmlPath);
  }
  for (const role of VM_ROLES) {
    const vm = plan.vms[role];
    const xmlPath = join(vm.dir, 'domain.xml');
    await writeFile(xmlPath, domainXml(plan, role));
    check();
    await defineAndStartDomain(vm.domain, xmlPath);
  }
}

export async function waitForLeases(plan: VmLabPlan, deadline: number, check: () => void, log: (line: string) => void): Promise<VmAddresses> {
  return waitFor(plan, deadline, check, log, (leases) => {
    const result = addressesFromLeases(plan, leases);
    return { value: result.addresses, waitingFor: result.waitingFor };
  });
}

export async function waitFor<T>(
  plan: VmLabPlan,
  deadline: number,
  check: () => void,
  log: (line: string) => void,
  pick: (leases: Parameters<typeof addressesFromLeases>[1]) => { value: T | undefined; waitingFor: string[] },
): Promise<T> {
  for (;;) {
    check();
    const [vm1, router, vm3] = await Promise.all(VM_ROLES.map((role) => domainLeases(plan.vms[role].domain)));
    const result = pick({ vm1: vm1!, router: router!, vm3: vm3! });
    if (result.value !== undefined) return result.value;
    for (const role of VM_ROLES) {
      const vm = plan.vms[role];
      if (await domainStopped(vm.domain)) {
        log(`${role} console (${vm.consoleLog}), last lines:\n${await consoleTail(vm.consoleLog)}`);
        throw new LabError(`${role} (${vm.domain}) stopped while booting; its console log is printed above`);
      }
    }
    if (Date.now() > deadline) {
      for (const role of VM_ROLES) log(`${role} console, last lines:\n${await consoleTail(plan.vms[role].consoleLog)}`);
      throw new LabError(`no DHCP lease in time for ${result.waitingFor.join(', ')}; console logs printed above`);
    }
    await sleep(1000);
  }
}

/** The guest's own view must match the leases (a stale lease would send the routes astray). */
export async function confirmInternalAddresses(plan: VmLabPlan, addresses: VmAddresses, run: (role: VmRole, command: string) => Promise<string>): Promise<void> {
  const expected: Record<VmRole, string[]> = {
    vm1: [addresses.vm1.internal],
    router: [addresses.router.internal1, addresses.router.internal2],
    vm3: [addresses.vm3.internal],
  };
  await Promise.all(
    VM_ROLES.map(async (role) => {
      const stdout = await run(role, 'ip -4 -o addr show');
      for (const address of expected[role]) {
        if (!stdout.includes(` ${address}/`)) {
          throw new LabError(`${role}: DHCP lease says ${address} but the VM does not have it: ${stdout.trim().split('\n').join(' / ')}`);
        }
      }
    }),
  );
}

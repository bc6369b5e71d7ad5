import { lookup } from 'node:dns/promises';
import { userInfo } from 'node:os';
import { ROLES } from '../core/roles.ts';
import { ConfigError } from './config-error.ts';
import { looksLikeMistypedIpv4 } from '../core/ipv4.ts';
import { DEFAULT_LIBVIRT_URI, findLab, loadInventory, mistypedIpv4Problem, type Inventory } from './inventory.ts';
import { type LabTarget } from '../transport/targets.ts';
import { refuseStaleLabs } from './lab-origin.ts';

async function resolves(name: string): Promise<boolean> {
  try {
    await lookup(name);
    return true;
  } catch {
    return false;
  }
}

// A lab with no inventory entry whose name is a host: graded through that host as its libvirt
// hypervisor, with the default domain names vm1, router and vm3.
function labOnHypervisor(name: string, user: string): LabTarget {
  const vms = Object.fromEntries(ROLES.map((role) => [role, { port: 22, user, domain: role }])) as LabTarget['vms'];
  return { name, vms, hypervisor: { endpoint: { host: name, port: 22, user }, uri: DEFAULT_LIBVIRT_URI } };
}

// The lab to grade: from the inventory when it lists it, else the host of that name as the lab's
// hypervisor. Neither: a usage error saying both.
export async function resolveLab(inventoryPath: string, name: string): Promise<LabTarget> {
  let inventory: Inventory | undefined;
  let lab: LabTarget;
  try {
    inventory = await loadInventory(inventoryPath);
    lab = findLab(inventory, name);
  } catch (error) {
    const missingFile = error instanceof ConfigError && /no such file/.test(error.message);
    const unknownLab = inventory !== undefined;
    if (!(missingFile || unknownLab)) throw error;
    if (looksLikeMistypedIpv4(name)) throw new ConfigError([`${(error as ConfigError).problems[0]}, and ${mistypedIpv4Problem(name)}`]);
    if (/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name) && (await resolves(name))) return labOnHypervisor(name, process.env.USER ?? userInfo().username);
    throw new ConfigError([`${(error as ConfigError).problems[0]}, and '${name}' does not resolve as a host to grade through its hypervisor`]);
  }
  // A lab a lab provider built here: refused once its slot was claimed anew.
  await refuseStaleLabs(inventory, [name]);
  return lab;
}

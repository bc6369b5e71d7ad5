import { evidenceOf } from '../core/command-output.ts';
import { ROLES, type Role } from '../core/roles.ts';
import { parseDomainIdentity, parseDomIfAddr, parseDomIfList, parseNetworkXml, type NetworkDefinition } from '../parse/virsh.ts';
import { sh } from '../transport/shell-quote.ts';
import type { CommandResult } from '../core/command-result.ts';
import type { Hypervisor } from './hypervisor.ts';
import { managementLease, type DomainFacts, type HypervisorFacts } from './hypervisor-facts.ts';

// virsh's first line of complaint, without its `error: `.
export function virshFailure(result: CommandResult): string {
  return (result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode}`).split('\n')[0]!.replace(/^error: /, '');
}

async function inspectDomain(hypervisor: Hypervisor, role: Role, domain: string): Promise<DomainFacts> {
  const virsh = (args: string) => hypervisor.run(`virsh -c ${sh`${hypervisor.uri}`} ${args}`);
  const list = await virsh(sh`domiflist ${domain}`);
  if (list.exitCode !== 0) throw new Error(`virsh domiflist ${domain}: ${virshFailure(list)}`);
  const interfaces = parseDomIfList(list.stdout);
  const evidence = [evidenceOf('hypervisor', list)];
  let leases: DomainFacts['leases'] = [];
  for (const source of ['lease', 'arp']) {
    const addr = await virsh(sh`domifaddr ${domain} --source ${source}`);
    evidence.push(evidenceOf('hypervisor', addr));
    if (addr.exitCode === 0) leases = parseDomIfAddr(addr.stdout);
    if (leases.length > 0) break;
  }
  // Identity only: a definition that cannot be read leaves it unknown, never an error.
  const xml = await virsh(sh`dumpxml ${domain}`);
  let identity: { uuid?: string; diskImages?: string[] } = {};
  try {
    if (xml.exitCode === 0) identity = parseDomainIdentity(xml.stdout);
  } catch {
    identity = {};
  }
  return { domain, interfaces, leases, managementAddress: managementLease(interfaces, leases), ...identity, evidence };
}

// Reads the three domains and the networks they are on. Never throws: a domain that cannot be
// read is recorded with the reason.
export async function inspectHypervisor(hypervisor: Hypervisor, domains: Partial<Record<Role, string>>): Promise<HypervisorFacts> {
  const facts: HypervisorFacts = { target: hypervisor.target, domains: {}, problems: {}, networks: [], evidence: [] };
  await Promise.all(
    ROLES.filter((role) => domains[role] !== undefined).map(async (role) => {
      try {
        facts.domains[role] = await inspectDomain(hypervisor, role, domains[role]!);
      } catch (error) {
        facts.problems[role] = `the hypervisor ${hypervisor.target} could not show domain '${domains[role]}': ${(error as Error).message}`;
      }
    }),
  );
  const names = [...new Set(Object.values(facts.domains).flatMap((d) => d.interfaces.filter((i) => i.type === 'network').map((i) => i.source)))];
  const networks = await Promise.all(
    names.map(async (name): Promise<NetworkDefinition | undefined> => {
      const result = await hypervisor.run(`virsh -c ${sh`${hypervisor.uri}`} ${sh`net-dumpxml ${name}`}`);
      facts.evidence.push(evidenceOf('hypervisor', result));
      try {
        return result.exitCode === 0 ? parseNetworkXml(result.stdout) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  facts.networks = networks.filter((n) => n !== undefined);
  return facts;
}

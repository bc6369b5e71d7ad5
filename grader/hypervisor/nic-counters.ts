import { evidenceOf } from '../core/command-output.ts';
import type { Evidence } from '../core/result.ts';
import { parseDomIfStat, type DomainNicCounters } from '../parse/virsh-domifstat.ts';
import { sh } from '../transport/shell-quote.ts';
import type { Hypervisor } from './hypervisor.ts';

// Reads the hypervisor's own counters of some of a domain's NICs (`virsh domifstat` on their tap
// devices), all in one command so that they are read at one moment. Nothing inside the VMs can
// change them.
export interface HostNicCounters {
  /** `local`, or user@host of the hypervisor. */
  target: string;
  /** The counters by tap device; rejects with the reason when they cannot be read. */
  read(domain: string, devices: string[]): Promise<{ counters: Record<string, DomainNicCounters>; evidence: Evidence }>;
}

export function hostNicCounters(hypervisor: Hypervisor): HostNicCounters {
  return {
    target: hypervisor.target,
    async read(domain, devices) {
      const virsh = `virsh -c ${sh`${hypervisor.uri}`}`;
      const command = devices.map((device) => `${virsh} ${sh`domifstat ${domain} ${device}`}`).join(' && ');
      const result = await hypervisor.run(command, { timeoutMs: 10_000 });
      const evidence = evidenceOf('hypervisor', result);
      if (result.exitCode !== 0) {
        const why = (result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode}`).split('\n')[0]!.replace(/^error: /, '');
        throw new Error(`virsh domifstat ${domain}: ${why}`);
      }
      return { counters: Object.fromEntries(devices.map((device) => [device, parseDomIfStat(result.stdout, device)])), evidence };
    },
  };
}

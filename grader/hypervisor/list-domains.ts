import { parseDomainList, parseDomIfList } from '../parse/virsh.ts';
import { sh } from '../transport/shell-quote.ts';
import type { Hypervisor } from './hypervisor.ts';
import type { ListedDomain } from './lab-shape.ts';
import { virshFailure } from './inspect.ts';

/** domiflist commands run at once on a hypervisor with many domains. */
const AT_ONCE = 8;

// Every domain of the hypervisor (`virsh list --all`) with its NICs (`virsh domiflist`). Throws
// with virsh's own words when the host cannot be listed; a domain that vanished meanwhile is left out.
export async function listDomains(hypervisor: Hypervisor): Promise<ListedDomain[]> {
  const virsh = (args: string) => hypervisor.run(`virsh -c ${sh`${hypervisor.uri}`} ${args}`);
  const list = await virsh('list --all');
  if (list.exitCode !== 0) throw new Error(`virsh list --all on ${hypervisor.target}: ${virshFailure(list)}`);
  const states = parseDomainList(list.stdout);
  const listed: Array<ListedDomain | undefined> = new Array(states.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < states.length; i = next++) {
      const { name, state } = states[i]!;
      const nics = await virsh(sh`domiflist ${name}`);
      listed[i] = nics.exitCode === 0 ? { name, state, interfaces: parseDomIfList(nics.stdout) } : undefined;
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, states.length) }, worker));
  return listed.filter((d) => d !== undefined);
}

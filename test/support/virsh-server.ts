import { parseDomainList, parseDomIfList } from '../../grader/parse/virsh.ts';
import type { ListedDomain } from '../../grader/hypervisor/lab-shape.ts';
import { fixture, fixtureFiles } from './test-files.ts';

// A hypervisor as recorded in fixtures/virsh/server/NAME: `virsh list --all` and each domain's domiflist.
export function recordedServer(name: string): ListedDomain[] {
  const dir = `virsh/server/${name}`;
  const files = new Set(fixtureFiles(dir));
  return parseDomainList(fixture(`${dir}/list-all.txt`)).map(({ name: domain, state }) => ({
    name: domain,
    state,
    interfaces: files.has(`domiflist-${domain}.txt`) ? parseDomIfList(fixture(`${dir}/domiflist-${domain}.txt`)) : [],
  }));
}

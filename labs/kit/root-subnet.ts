// Whether a subnet collides with the root namespace's routes or addresses (read-only: a lab never
// changes the root namespace but for its own management veth).
import { parseSubnet, subnetsOverlap, type Subnet } from '../../grader/core/ipv4.ts';
import { run } from './run.ts';

interface JsonRoute {
  dst?: string;
  dev?: string;
  table?: string;
}
interface JsonAddr {
  ifname?: string;
  addr_info?: { local?: string; prefixlen?: number }[];
}

/**
 * What in the root namespace's routes (all tables) or addresses overlaps `subnet`, or undefined.
 * The default route overlaps everything and is not a collision. Pure: give it `ip -4 -j` output.
 */
export function subnetCollision(subnet: Subnet, routesJson: string, addrsJson: string): string | undefined {
  for (const route of JSON.parse(routesJson || '[]') as JsonRoute[]) {
    if (!route.dst || route.dst === 'default') continue;
    if (subnetsOverlap(subnet, parseSubnet(route.dst))) {
      return `route ${route.dst} dev ${route.dev ?? '?'}${route.table ? ` table ${route.table}` : ''}`;
    }
  }
  for (const link of JSON.parse(addrsJson || '[]') as JsonAddr[]) {
    for (const info of link.addr_info ?? []) {
      if (!info.local) continue;
      const cidr = `${info.local}/${info.prefixlen ?? 32}`;
      if (subnetsOverlap(subnet, parseSubnet(cidr))) return `address ${cidr} on ${link.ifname ?? '?'}`;
    }
  }
  return undefined;
}

export async function rootSubnetCollision(subnet: Subnet): Promise<string | undefined> {
  const routes = await run(['ip', '-4', '-j', 'route', 'show', 'table', 'all']);
  const addrs = await run(['ip', '-4', '-j', 'addr', 'show']);
  return subnetCollision(subnet, routes.stdout, addrs.stdout);
}

import { parseIpAddr } from '../parse/ip-addr.ts';
import { parseIpRoute } from '../parse/ip-route.ts';
import { isIpv4 } from '../core/ipv4.ts';
import { evidenceOf } from '../core/command-output.ts';
import type { CommandResult } from '../core/command-result.ts';
import { classifyInterfaces, describeInterfaces, type HostFacts } from './host-facts.ts';
import type { Role } from '../core/roles.ts';

// One round trip per VM: the SSH connection's own address, the addresses, the routes, the
// machine-id (what a copied VM keeps). `-j` where
// iproute2 has it, the text form elsewhere (BusyBox).
export const DISCOVERY_COMMAND = [
  'printf "@@ssh %s\\n" "$SSH_CONNECTION"',
  'echo @@addr',
  'ip -j addr show 2>/dev/null || ip addr show',
  'echo @@route',
  'ip -j route show 2>/dev/null || ip route show',
  'echo @@machine-id',
  'cat /etc/machine-id 2>/dev/null',
].join('; ');

function section(text: string, name: string): string {
  const match = new RegExp(`^@@${name}(?: (.*))?$([\\s\\S]*?)(?=^@@|(?![\\s\\S]))`, 'm').exec(text);
  return match ? `${match[1] ?? ''}${match[2] ?? ''}`.trim() : '';
}

// Turns the discovery output into facts. `inventoryAddress` stands in for the reached address
// when $SSH_CONNECTION is empty and the inventory gave an IP literal.
export function parseDiscovery(role: Role, result: CommandResult, inventoryAddress: string): HostFacts {
  const text = result.stdout;
  const sshConnection = section(text, 'ssh').split(/\s+/);
  const reachedAddress = sshConnection[2] && isIpv4(sshConnection[2]) ? sshConnection[2] : isIpv4(inventoryAddress) ? inventoryAddress : undefined;
  const interfaces = parseIpAddr(section(text, 'addr'));
  const routes = parseIpRoute(section(text, 'route'));
  const { management, internal } = classifyInterfaces(interfaces, routes, reachedAddress);
  const machineId = /^[0-9a-f]{32}$/i.exec(section(text, 'machine-id'))?.[0]?.toLowerCase();
  const facts = { role, reachedAddress, interfaces, routes, management, internal, ...(machineId ? { machineId } : {}) };
  const summary = [describeInterfaces(facts), ...routes.map((r) => [r.destination, r.gateway && `via ${r.gateway}`, r.device && `dev ${r.device}`].filter(Boolean).join(' '))].join('\n');
  return { ...facts, evidence: [evidenceOf(role, { ...result, command: 'ip addr show; ip route show' }, summary)] };
}

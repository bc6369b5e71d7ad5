import type { Role } from '../core/roles.ts';
import type { DomainInterface } from '../parse/virsh.ts';

// The read-only `virsh` queries a student's client may run for the course server, when the
// student's machine is the lab's hypervisor (`submit --hypervisor local`). Pure parsing and
// deciding: what the grader's hypervisor code asks (grader/hypervisor/inspect.ts, nic-counters.ts),
// as queries; and, on the student's side, which of them its own lab allows. Nothing else runs.

/** The forwarded "address" that carries the queries: a name that is never a host (`.invalid`). */
export const VIRSH_RELAY_HOST = 'virsh.router-lab-grader.invalid';
export const VIRSH_RELAY_PORT = 1;
/** A request's longest line, and the most queries in one (domifstat of two taps, joined by &&). */
export const MAX_QUERY_BYTES = 2048;
export const MAX_QUERIES = 4;

export type VirshQuery =
  | { verb: 'domiflist'; domain: string }
  | { verb: 'domifaddr'; domain: string; source: 'lease' | 'arp' }
  | { verb: 'dumpxml'; domain: string }
  | { verb: 'domifstat'; domain: string; device: string }
  | { verb: 'net-dumpxml'; network: string };

/** What the student's lab lets the server ask about: its three domains, their taps and networks. */
export interface VirshAllowance {
  domains: ReadonlySet<string>;
  /** Each domain's tap devices and the networks its NICs are on (from its own domiflist). */
  devices: ReadonlyMap<string, ReadonlySet<string>>;
  networks: ReadonlySet<string>;
}

/** A libvirt name the relay takes (a domain, a network, a tap): the submit request's domain names, one rule. */
export const LIBVIRT_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/** virsh's arguments for a query (after `virsh -c URI`). */
export function virshArgs(query: VirshQuery): string[] {
  switch (query.verb) {
    case 'domifaddr':
      return ['domifaddr', query.domain, '--source', query.source];
    case 'domifstat':
      return ['domifstat', query.domain, query.device];
    case 'net-dumpxml':
      return ['net-dumpxml', query.network];
    default:
      return [query.verb, query.domain];
  }
}

/** A query from its arguments, or undefined when it is none of the allowed shapes. */
export function queryOf(args: readonly string[]): VirshQuery | undefined {
  if (!args.every((a) => a === '--source' || LIBVIRT_NAME.test(a))) return undefined;
  const [verb, first, second, third] = args;
  if (first === undefined) return undefined;
  if (args.length === 2 && (verb === 'domiflist' || verb === 'dumpxml')) return { verb, domain: first };
  if (args.length === 2 && verb === 'net-dumpxml') return { verb, network: first };
  if (args.length === 3 && verb === 'domifstat' && second !== undefined) return { verb, domain: first, device: second };
  if (args.length === 4 && verb === 'domifaddr' && second === '--source' && (third === 'lease' || third === 'arp')) return { verb, domain: first, source: third };
  return undefined;
}

// The words of a command line as grader/transport/shell-quote.ts writes them: bare words,
// '...' and "..." (with \ escapes). Undefined for anything else (a $, a ;, a redirection).
function words(command: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < command.length) {
    while (command[i] === ' ') i++;
    if (i >= command.length) break;
    let word = '';
    while (i < command.length && command[i] !== ' ') {
      const c = command[i]!;
      if (c === "'") {
        const end = command.indexOf("'", i + 1);
        if (end < 0) return undefined;
        word += command.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < command.length && command[i] !== '"') {
          if (command[i] === '\\') i++;
          word += command[i] ?? '';
          i++;
        }
        if (command[i] !== '"') return undefined;
        i++;
      } else if (/[A-Za-z0-9_@%+=:,./&-]/.test(c)) {
        word += c;
        i++;
      } else return undefined;
    }
    out.push(word);
  }
  return out;
}

/**
 * The server's side: the queries a hypervisor command of the grader is (`virsh -c URI ARGS`,
 * several joined by `&&`), or undefined when it is anything else (it is then not relayed).
 */
export function queriesOfCommand(command: string): VirshQuery[] | undefined {
  const all = words(command);
  if (!all) return undefined;
  const queries: VirshQuery[] = [];
  let rest = all;
  while (rest.length > 0) {
    const end = rest.indexOf('&&');
    const one = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? [] : rest.slice(end + 1);
    if (one[0] !== 'virsh' || one[1] !== '-c' || one.length < 4) return undefined;
    const query = queryOf(one.slice(3));
    if (!query) return undefined;
    queries.push(query);
  }
  return queries.length > 0 && queries.length <= MAX_QUERIES ? queries : undefined;
}

/** The client's side: the queries of a request line (a JSON array of virsh argument lists), or why it is refused. */
export function parseQueryRequest(line: string): VirshQuery[] | string {
  if (Buffer.byteLength(line, 'utf8') > MAX_QUERY_BYTES) return 'the request is too long';
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch {
    return 'the request is not JSON';
  }
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_QUERIES) return `the request is not a list of 1-${MAX_QUERIES} queries`;
  const queries: VirshQuery[] = [];
  for (const args of body) {
    const query = Array.isArray(args) && args.every((a) => typeof a === 'string') ? queryOf(args as string[]) : undefined;
    if (!query) return `'virsh ${Array.isArray(args) ? args.map(String).join(' ').slice(0, 100) : '?'}' is not one of the queries the grader may relay`;
    queries.push(query);
  }
  return queries;
}

/** Why the student's lab does not allow a query, or undefined when it does. */
export function refusal(query: VirshQuery, allowance: VirshAllowance): string | undefined {
  if (query.verb === 'net-dumpxml') return allowance.networks.has(query.network) ? undefined : `network '${query.network}' is not one of your lab's`;
  if (!allowance.domains.has(query.domain)) return `domain '${query.domain}' is not one of your lab's`;
  if (query.verb === 'domifstat' && !allowance.devices.get(query.domain)?.has(query.device)) return `'${query.device}' is not a NIC of domain '${query.domain}'`;
  return undefined;
}

/** The allowance of a lab's domains, from each one's own domiflist. */
export function allowanceOf(domains: Partial<Record<Role, string>>, interfaces: ReadonlyMap<string, readonly DomainInterface[]>): VirshAllowance {
  const names = new Set(Object.values(domains).filter((d): d is string => d !== undefined));
  const devices = new Map([...names].map((d) => [d, new Set((interfaces.get(d) ?? []).flatMap((i) => (i.device ? [i.device] : [])))]));
  const networks = new Set([...names].flatMap((d) => (interfaces.get(d) ?? []).filter((i) => i.type === 'network').map((i) => i.source)));
  return { domains: names, devices, networks };
}

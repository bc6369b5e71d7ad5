import type { Route, RouteDecision } from '../core/facts.ts';
import { isIpv4 } from '../core/ipv4.ts';
import { ParseError } from './parse-error.ts';
import {
  excerpt,
  isRecord,
  optionalNumber,
  optionalString,
  parseJsonOutput,
  withoutUndefined,
} from './json-output.ts';

const ROUTE_TYPES = new Set([
  'unicast', 'local', 'broadcast', 'multicast', 'anycast',
  'unreachable', 'prohibit', 'blackhole', 'throw', 'nat',
]);
// Keywords that iproute2 and BusyBox print followed by a value; any other word is a flag.
const KEYS_WITH_VALUE = new Set([
  'via', 'dev', 'src', 'proto', 'scope', 'metric', 'table', 'uid', 'mtu', 'advmss', 'weight',
  'expires', 'realm', 'realms', 'nhid', 'pref', 'tos', 'initcwnd', 'initrwnd', 'hoplimit',
  'error', 'iif', 'oif', 'mark', 'from',
]);

interface RouteLine {
  type: string;
  destination: string;
  fields: Map<string, string>;
}

function readFields(words: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!KEYS_WITH_VALUE.has(word)) continue;
    let value = words[++i];
    if (word === 'via' && (value === 'inet' || value === 'inet6')) value = words[++i];
    if (value !== undefined && !fields.has(word)) fields.set(word, value);
  }
  return fields;
}

// One line of `ip route` / `ip route get` text, or undefined when it is not a route line.
function readRouteLine(line: string): RouteLine | undefined {
  const words = line.trim().split(/\s+/);
  let type = 'unicast';
  if (words[0] !== undefined && ROUTE_TYPES.has(words[0])) type = words.shift()!;
  const destination = words.shift() ?? '';
  const [address = '', prefix] = destination.split('/');
  const isDestination =
    destination === 'default' ||
    (isIpv4(address) && (prefix === undefined || /^\d{1,2}$/.test(prefix)));
  return isDestination ? { type, destination, fields: readFields(words) } : undefined;
}

// Route.destination: 'default' or a CIDR; iproute2 prints a host route without its /32.
function asCidr(destination: string): string {
  return destination === 'default' || destination.includes('/') ? destination : `${destination}/32`;
}

function toRoute({ destination, fields }: RouteLine): Route {
  const metric = fields.get('metric');
  return withoutUndefined({
    destination: asCidr(destination),
    gateway: fields.get('via'),
    device: fields.get('dev'),
    source: fields.get('src'),
    protocol: fields.get('proto'),
    scope: fields.get('scope'),
    metric: metric === undefined ? undefined : Number(metric),
  });
}

// `ip -j route show` (iproute2). Only unicast routes are kept: Route has no type, and an
// `unreachable`/`blackhole`/`prohibit` route must not pass for a way to a network.
export function parseIpRouteJson(text: string): Route[] {
  const entries = parseJsonOutput(text, 'ip -j route', '[');
  if (!Array.isArray(entries)) throw new ParseError('ip -j route: expected a JSON array');
  const routes: Route[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.dst !== 'string') {
      throw new ParseError(`ip -j route: an entry without dst: ${excerpt(JSON.stringify(entry))}`);
    }
    if ((entry.type ?? 'unicast') !== 'unicast') continue;
    const firstHop = Array.isArray(entry.nexthops) && isRecord(entry.nexthops[0]) ? entry.nexthops[0] : {};
    routes.push(withoutUndefined({
      destination: asCidr(entry.dst),
      gateway: optionalString(entry.gateway) ?? optionalString(firstHop.gateway),
      device: optionalString(entry.dev) ?? optionalString(firstHop.dev),
      source: optionalString(entry.prefsrc),
      protocol: optionalString(entry.protocol),
      scope: optionalString(entry.scope),
      metric: optionalNumber(entry.metric),
    }));
  }
  return routes;
}

// `ip route show` text from iproute2 or BusyBox; unicast routes only, as parseIpRouteJson.
// Empty output is an empty table; lines before the first route (a login script's) are skipped.
export function parseIpRouteText(text: string): Route[] {
  const routes: Route[] = [];
  let seenRoute = false;
  let current: Route | undefined; // the route that `nexthop` lines (multipath) belong to
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const nexthop = /^\s+nexthop\s+(.*)$/.exec(line);
    if (nexthop && seenRoute) {
      const fields = readFields(nexthop[1]!.trim().split(/\s+/));
      if (current && current.gateway === undefined && fields.has('via')) {
        current.gateway = fields.get('via');
        current.device ??= fields.get('dev');
      }
      continue;
    }
    const route = readRouteLine(line);
    if (!route) {
      if (seenRoute) throw new ParseError(`ip route: not a route line: ${excerpt(line)}`);
      continue; // a login script's lines before the table
    }
    seenRoute = true;
    current = route.type === 'unicast' ? toRoute(route) : undefined;
    if (current) routes.push(current);
  }
  if (!seenRoute && text.trim() !== '') throw new ParseError(`ip route: no route in output: ${excerpt(text)}`);
  return routes;
}

// Either form, chosen by content: iproute2 JSON is one line starting with `[{` (or `[]`).
export function parseIpRoute(text: string): Route[] {
  return /^\[[{\]]/m.test(text) ? parseIpRouteJson(text) : parseIpRouteText(text);
}

// What the kernel answers, on stderr, when the lookup itself fails: no decision line is printed.
const LOOKUP_ERRORS: Record<string, string> = {
  'Network is unreachable': 'unreachable', // no route at all (no default route either)
  'No route to host': 'unreachable', // an `unreachable` route
  'Permission denied': 'prohibit', // a `prohibit` route
  'Invalid argument': 'blackhole', // a `blackhole` route
};

// `ip route get ADDR` (text or -j, iproute2 or BusyBox), given stdout and stderr together.
// `destination` is the address asked about: the kernel's error messages do not repeat it.
export function parseRouteGet(text: string, destination?: string): RouteDecision {
  const failure = /RTNETLINK answers: (.+?)\s*$/m.exec(text);
  if (failure) {
    const type = LOOKUP_ERRORS[failure[1]!];
    if (type === undefined) throw new ParseError(`ip route get: unexpected error: ${excerpt(failure[0])}`);
    return { destination: destination ?? '', type };
  }
  if (/^\[[{\]]/m.test(text)) return routeGetJson(text);
  for (const line of text.split('\n')) {
    const route = readRouteLine(line);
    if (!route) continue; // a login script's lines before the answer
    return withoutUndefined({
      destination: route.destination,
      gateway: route.fields.get('via'),
      device: route.fields.get('dev'),
      source: route.fields.get('src'),
      type: route.type,
    });
  }
  throw new ParseError(`ip route get: no route in output: ${excerpt(text)}`);
}

function routeGetJson(text: string): RouteDecision {
  const entries = parseJsonOutput(text, 'ip -j route get', '[');
  const entry = Array.isArray(entries) ? entries[0] : undefined;
  if (!isRecord(entry) || typeof entry.dst !== 'string') {
    throw new ParseError(`ip -j route get: expected one route, got ${excerpt(text)}`);
  }
  return withoutUndefined({
    destination: entry.dst,
    gateway: optionalString(entry.gateway),
    device: optionalString(entry.dev),
    source: optionalString(entry.prefsrc),
    type: optionalString(entry.type) ?? 'unicast',
  });
}

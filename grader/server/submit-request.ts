import { ROLES, type Role } from '../core/roles.ts';
import { sanitizeLine } from '../report/sanitize.ts';
import { LIBVIRT_NAME } from './virsh-relay-protocol.ts';

// What a student's `submit` asks of the course server, in the one exec request of its SSH
// connection: `submit <JSON>`. Pure parsing and deciding; everything in it came from the student's
// machine, so it is bounded, validated field by field and sanitised before it is used or shown.

/** The exec request's longest accepted command line. */
export const MAX_REQUEST_BYTES = 4096;
export const SUBMIT_COMMAND = 'submit';

export interface AnnouncedVm {
  host: string;
  port: number;
  user: string;
}

export interface SubmitRequest {
  /** The lab the student's client found by name (an inventory's); when given, it must be their token's. The attempt is always the token's lab. */
  lab?: string;
  vms: Record<Role, AnnouncedVm>;
  /** The three VMs' libvirt domains, when the student's machine is their hypervisor and relays read-only virsh queries. */
  domains?: Record<Role, string>;
  /** How the student's console wants the results. */
  color: boolean;
  width?: number;
}

const HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]+|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)$/i;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const LAB = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function vmAddressKey(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

function vmOf(value: unknown, role: Role): AnnouncedVm | string {
  if (typeof value !== 'object' || value === null) return `${role}: missing`;
  const { host, port, user } = value as Record<string, unknown>;
  if (typeof host !== 'string' || host.length > 253 || !HOST.test(host)) return `${role}: the host is not an address or a host name`;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return `${role}: the port is not 1-65535`;
  if (typeof user !== 'string' || !USER.test(user)) return `${role}: the user is not a login name`;
  return { host, port, user };
}

/** The request, or one line saying what is wrong with it (safe to print). */
export function parseSubmitRequest(command: string): SubmitRequest | string {
  if (Buffer.byteLength(command, 'utf8') > MAX_REQUEST_BYTES) return `the request is longer than ${MAX_REQUEST_BYTES} bytes`;
  const prefix = `${SUBMIT_COMMAND} `;
  if (!command.startsWith(prefix)) return `the server runs only '${SUBMIT_COMMAND}' (is your grader up to date?)`;
  let body: unknown;
  try {
    body = JSON.parse(command.slice(prefix.length));
  } catch {
    return 'the request is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'the request is not a JSON object';
  const { lab, vms, color, width, domains } = body as Record<string, unknown>;
  if (lab !== undefined && (typeof lab !== 'string' || !LAB.test(lab))) return `the lab name ${typeof lab === 'string' ? `'${sanitizeLine(lab).slice(0, 64)}' ` : ''}is not one (letters, digits, '.', '_', '-')`;
  if (typeof vms !== 'object' || vms === null) return 'the request names no VMs';
  const parsed: Partial<Record<Role, AnnouncedVm>> = {};
  for (const role of ROLES) {
    const vm = vmOf((vms as Record<string, unknown>)[role], role);
    if (typeof vm === 'string') return vm;
    parsed[role] = vm;
  }
  const keys = new Set(ROLES.map((role) => vmAddressKey(parsed[role]!.host, parsed[role]!.port)));
  if (keys.size !== ROLES.length) return 'two VMs have the same address and port';
  let named: { domains?: Record<Role, string> } = {};
  if (domains !== undefined) {
    const given = typeof domains === 'object' && domains !== null ? (domains as Record<string, unknown>) : {};
    const bad = ROLES.find((role) => typeof given[role] !== 'string' || !LIBVIRT_NAME.test(given[role] as string));
    if (bad) return `${bad}: the domain is not a libvirt domain name (letters, digits, '.', '_', '+', '-')`;
    named = { domains: Object.fromEntries(ROLES.map((role) => [role, given[role] as string])) as Record<Role, string> };
  }
  const columns = typeof width === 'number' && Number.isInteger(width) && width >= 40 && width <= 400 ? { width } : {};
  return { ...(typeof lab === 'string' ? { lab } : {}), vms: parsed as Record<Role, AnnouncedVm>, ...named, color: color === true, ...columns };
}

import { ROLES } from '../../core/roles.ts';
import { parseForwarding } from '../../parse/forwarding.ts';
import { kernelForwarding, parseSnmpIp } from '../../parse/proc-net-snmp.ts';
import { defineKind } from '../check-kind.ts';
import { evidenceOf, parseOutput, requireCompleted } from '../../core/command-output.ts';
import { CannotGrade } from '../../core/outcomes.ts';
import type { Evidence, Verdict } from '../../core/result.ts';
import { roleOf } from '../role-of.ts';
import { routerForwardingNics, type ForwardingNic } from '../forwarding-nics.ts';
import { SNMP_IP_COMMAND } from '../router-counters.ts';

// The shell's own `read`, in a witness channel: no `cat` from the VM's PATH, no command session
// that a process left behind by an earlier command could have taken over.
// A /proc/sys file answers only a read at offset 0: the shell's byte-by-byte `read` gets "0" or "1",
// then the end of the file with no newline (status 1), so the value is what says it was read.
// Before it, in the same read, the kernel's own `Ip: Forwarding` of /proc/net/snmp: a file mounted
// over /proc/sys/net/ipv4/ip_forward changes what the file says, not what the kernel does.
// After it, each NIC's own net.ipv4.conf.<nic>.forwarding (the glob is the shell's): a NIC with 0
// there forwards nothing that arrives on it, whatever ip_forward says.
export const IP_FORWARD_COMMAND = [
  SNMP_IP_COMMAND,
  `v=; read -r v < /proc/sys/net/ipv4/ip_forward; [ -n "$v" ] && printf '%s\\n' "$v" && ` +
    `for f in /proc/sys/net/ipv4/conf/*/forwarding; do n=\${f%/forwarding}; n=\${n##*/}; x=; read -r x < "$f"; printf 'net.ipv4.conf.%s.forwarding = %s\\n' "$n" "$x"; done`,
].join('; ');

const nicKey = (nic: string) => `net.ipv4.conf.${nic}.forwarding`;

/** What the read says: ip_forward's value, the kernel's setting when /proc/net/snmp was read, each NIC's own value. */
export interface IpForwardRead {
  value: string;
  kernel?: '1' | '0';
  /** By NIC name, when the NICs' values were read. */
  perNic?: Record<string, string>;
}

export function parseIpForwardRead(text: string): IpForwardRead {
  const kernel = kernelForwarding(parseSnmpIp(text));
  const { ipForward, perNic } = parseForwarding(text.replace(/^Ip: .*$/gm, ''));
  return { value: ipForward, ...(kernel ? { kernel } : {}), ...(Object.keys(perNic).length > 0 ? { perNic } : {}) };
}

/** The router's internal NICs whose own forwarding is off (0), named with the VM they face. */
function nicsOff(nics: readonly ForwardingNic[], perNic: Record<string, string>): ForwardingNic[] {
  return nics.filter((n) => perNic[n.nic] === '0');
}

// ip_forward (what the file says, and what the kernel does), then the router's own NICs toward VM1
// and VM3 (`nics`, with their values in `perNic`): forwarding is on only where all say 1
// (systemd-networkd's per-link IPForward= leaves 0 on a NIC).
export function evaluateIpForward(read: IpForwardRead | string, evidence: Evidence[], nics: readonly ForwardingNic[] = [], perNicGiven?: Record<string, string>): Verdict {
  const { value, kernel, perNic: perNicRead } = typeof read === 'string' ? { value: read, kernel: undefined, perNic: undefined } : read;
  const perNic = perNicGiven ?? perNicRead ?? {};
  if (value === '1' && kernel === '0') {
    return {
      status: 'fail',
      reason: 'forwarding-contradicted',
      subject: { value, kernel },
      message: "net.ipv4.ip_forward reads 1, but the router's kernel does not forward (Forwarding 2 in /proc/net/snmp): what is read there is not the kernel's setting",
      expected: 'net.ipv4.ip_forward = 1, and the kernel forwarding',
      actual: 'net.ipv4.ip_forward reads 1; /proc/net/snmp: Ip Forwarding = 2 (not forwarding)',
      evidence,
    };
  }
  if (value === '1') {
    const off = nicsOff(nics, perNic);
    if (off.length === 0) return { status: 'pass', reason: 'forwarding-on', subject: { value }, message: 'net.ipv4.ip_forward = 1: the router forwards packets', evidence };
    const named = off.map((n) => `${nicKey(n.nic)} = 0`).join(', ');
    const arriving = off.map((n) => `${n.nic}${n.toward ? ` (its NIC toward ${n.toward})` : ''}`).join(' or ');
    return {
      status: 'fail',
      reason: 'nic-forwarding-off',
      subject: { value, nics: off.map((n) => n.nic) },
      message: `net.ipv4.ip_forward = 1, but ${named}: the router does not forward the packets that arrive on ${arriving}`,
      expected: `net.ipv4.ip_forward = 1 and ${nics.map((n) => `${nicKey(n.nic)} = 1`).join(', ')}`,
      actual: `net.ipv4.ip_forward = 1, ${nics.map((n) => `${nicKey(n.nic)} = ${perNic[n.nic]}`).join(', ')}`,
      evidence,
    };
  }
  return {
    status: 'fail',
    reason: 'forwarding-off',
    subject: { value },
    message: `net.ipv4.ip_forward is ${value}: the router does not forward packets between the internal networks`,
    expected: 'net.ipv4.ip_forward = 1',
    actual: `net.ipv4.ip_forward = ${value}`,
    evidence,
  };
}

export const ipForward = defineKind<Record<string, never>>({
  kind: 'ip-forward',
  summary: "IPv4 forwarding is on (net.ipv4.ip_forward = 1, and net.ipv4.conf.<nic>.forwarding = 1 on the router's NICs toward VM1 and VM3), read from /proc on the VM.",
  scope: 'host',
  allowedHosts: ['router', 'vm1', 'vm3'],
  defaultHosts: ['router'],
  phase: 'inspect',
  params: () => ({}),
  needs: (host) => (host === 'lab' ? ROLES : [host]),
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async run(context) {
    const role = roleOf(context);
    const result = await context.lab.remote(role).runWitness(IP_FORWARD_COMMAND);
    requireCompleted(role, result);
    const evidence = [evidenceOf(role, result)];
    if (result.exitCode !== 0) throw new CannotGrade(`could not read net.ipv4.ip_forward on ${role}`, evidence);
    const read = parseOutput(role, result, parseIpForwardRead);
    const nics = role === 'router' ? routerForwardingNics(context.lab) : [];
    // A NIC of the path whose own value was not read leaves the verdict open, never a pass.
    const unread = read.value === '1' ? nics.filter((n) => read.perNic?.[n.nic] !== '0' && read.perNic?.[n.nic] !== '1') : [];
    if (unread.length > 0) throw new CannotGrade(`could not read ${unread.map((n) => nicKey(n.nic)).join(', ')} on ${role}`, evidence);
    return evaluateIpForward(read, evidence, nics);
  },
});

import { ROLES } from '../../core/roles.ts';
import { parseSysctlValue } from '../../parse/sysctl.ts';
import { kernelForwarding, parseSnmpIp } from '../../parse/proc-net-snmp.ts';
import { defineKind } from '../check-kind.ts';
import { evidenceOf, parseOutput, requireCompleted } from '../../core/command-output.ts';
import { CannotGrade } from '../../core/outcomes.ts';
import type { Evidence, Verdict } from '../../core/result.ts';
import { roleOf } from '../role-of.ts';

// The shell's own `read`, in a witness channel: no `cat` from the VM's PATH, no command session
// that a process left behind by an earlier command could have taken over.
// A /proc/sys file answers only a read at offset 0: the shell's byte-by-byte `read` gets "0" or "1",
// then the end of the file with no newline (status 1), so the value is what says it was read.
// Before it, in the same read, the kernel's own `Ip: Forwarding` of /proc/net/snmp: a file mounted
// over /proc/sys/net/ipv4/ip_forward changes what the file says, not what the kernel does.
export const IP_FORWARD_COMMAND = [
  `while read -r k rest; do case "$k" in Ip:) printf 'Ip: %s\\n' "$rest" ;; esac; done < /proc/net/snmp`,
  `v=; read -r v < /proc/sys/net/ipv4/ip_forward; [ -n "$v" ] && printf '%s\\n' "$v"`,
].join('; ');

/** What the read says: ip_forward's value (its last line) and the kernel's setting, when /proc/net/snmp was read. */
export interface IpForwardRead {
  value: string;
  kernel?: '1' | '0';
}

export function parseIpForwardRead(text: string): IpForwardRead {
  const kernel = kernelForwarding(parseSnmpIp(text));
  return { value: parseSysctlValue(text.replace(/^Ip: .*$/gm, '')), ...(kernel ? { kernel } : {}) };
}

export function evaluateIpForward(read: IpForwardRead | string, evidence: Evidence[]): Verdict {
  const { value, kernel } = typeof read === 'string' ? { value: read, kernel: undefined } : read;
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
  if (value === '1') return { status: 'pass', reason: 'forwarding-on', subject: { value }, message: 'net.ipv4.ip_forward = 1: the router forwards packets', evidence };
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
  summary: 'IPv4 forwarding is on (net.ipv4.ip_forward = 1), read from /proc on the VM.',
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
    return evaluateIpForward(parseOutput(role, result, parseIpForwardRead), evidence);
  },
});

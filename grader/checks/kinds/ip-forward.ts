import { ROLES } from '../../core/roles.ts';
import { parseSysctlValue } from '../../parse/sysctl.ts';
import { defineKind } from '../check-kind.ts';
import { evidenceOf, parseOutput, requireCompleted } from '../../core/command-output.ts';
import { CannotGrade } from '../../core/outcomes.ts';
import type { Evidence, Verdict } from '../../core/result.ts';
import { roleOf } from '../role-of.ts';

// The shell's own `read`, in a witness channel: no `cat` from the VM's PATH, no command session
// that a process left behind by an earlier command could have taken over.
// A /proc/sys file answers only a read at offset 0: the shell's byte-by-byte `read` gets "0" or "1",
// then the end of the file with no newline (status 1), so the value is what says it was read.
export const IP_FORWARD_COMMAND = `v=; read -r v < /proc/sys/net/ipv4/ip_forward; [ -n "$v" ] && printf '%s\\n' "$v"`;

export function evaluateIpForward(value: string, evidence: Evidence[]): Verdict {
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
    return evaluateIpForward(parseOutput(role, result, parseSysctlValue), evidence);
  },
});

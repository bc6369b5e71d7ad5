import { describe, expect, it } from 'vitest';
import { parseSysctlValue } from '../../parse/sysctl.ts';
import { parseForwarding } from '../../parse/forwarding.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateIpForward } from './ip-forward.ts';

const PATH_NICS = [
  { nic: 'ens4', toward: 'VM1' },
  { nic: 'ens5', toward: 'VM3' },
];

describe('evaluateIpForward', () => {
  it('passes the router with forwarding on', () => {
    expect(evaluateIpForward(parseSysctlValue(fixture('sysctl/proc-ip-forward-router.txt')), []).status).toBe('pass');
  });

  it('fails forwarding off, saying the value', () => {
    const verdict = evaluateIpForward(parseSysctlValue(fixture('sysctl/proc-ip-forward-vm1.txt')), []);
    expect(verdict).toMatchObject({ status: 'fail', expected: 'net.ipv4.ip_forward = 1', actual: 'net.ipv4.ip_forward = 0' });
  });

  it('passes a router forwarding on ip_forward and on both NICs of the path', () => {
    const { ipForward, perNic } = parseForwarding(fixture('sysctl/witness-forwarding-router.txt'));
    expect(evaluateIpForward(ipForward, [], PATH_NICS, perNic)).toMatchObject({ status: 'pass', reason: 'forwarding-on' });
  });

  it('fails ip_forward = 1 with forwarding off on the NIC toward VM3, naming that NIC (issue 25 item 3)', () => {
    const { ipForward, perNic } = parseForwarding(fixture('sysctl/witness-forwarding-router-ens5-off.txt'));
    const verdict = evaluateIpForward(ipForward, [], PATH_NICS, perNic);
    expect(verdict).toMatchObject({
      status: 'fail',
      reason: 'nic-forwarding-off',
      subject: { value: '1', nics: ['ens5'] },
      expected: 'net.ipv4.ip_forward = 1 and net.ipv4.conf.ens4.forwarding = 1, net.ipv4.conf.ens5.forwarding = 1',
      actual: 'net.ipv4.ip_forward = 1, net.ipv4.conf.ens4.forwarding = 1, net.ipv4.conf.ens5.forwarding = 0',
    });
    expect(verdict.message).toBe('net.ipv4.ip_forward = 1, but net.ipv4.conf.ens5.forwarding = 0: the router does not forward the packets that arrive on ens5 (its NIC toward VM3)');
  });

  it('does not judge a NIC off the path (its own 0 is the student\'s business)', () => {
    const { ipForward, perNic } = parseForwarding(fixture('sysctl/witness-forwarding-router-ens5-off.txt'));
    expect(evaluateIpForward(ipForward, [], [{ nic: 'ens4', toward: 'VM1' }, { nic: 'ens3' }], perNic).status).toBe('pass');
  });
});

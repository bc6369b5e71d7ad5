import { describe, expect, it } from 'vitest';
import { parseSysctlValue } from '../../parse/sysctl.ts';
import { parseForwarding } from '../../parse/forwarding.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateIpForward, parseIpForwardRead } from './ip-forward.ts';
import { parseSnmpIp } from '../../parse/proc-net-snmp.ts';

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

describe('the ip_forward witness read (fixtures/record-tampering.sh)', () => {
  it('passes forwarding on, the kernel agreeing', () => {
    const read = parseIpForwardRead(fixture('ip-forward/witness-read-on.txt'));
    expect(read).toEqual({ value: '1', kernel: '1' });
    expect(evaluateIpForward(read, []).status).toBe('pass');
  });

  it('fails forwarding off as before', () => {
    const read = parseIpForwardRead(fixture('ip-forward/witness-read-off.txt'));
    expect(read).toEqual({ value: '0', kernel: '0' });
    expect(evaluateIpForward(read, [])).toMatchObject({ status: 'fail', reason: 'forwarding-off' });
  });

  it('fails a file mounted over ip_forward that reads 1 while the kernel does not forward (issue 25, item 2)', () => {
    const read = parseIpForwardRead(fixture('ip-forward/witness-read-bind-mounted.txt'));
    expect(read).toEqual({ value: '1', kernel: '0' });
    expect(evaluateIpForward(read, [])).toMatchObject({ status: 'fail', reason: 'forwarding-contradicted', subject: { value: '1', kernel: '0' } });
  });

  it('judges the value alone when /proc/net/snmp could not be read, and ignores a login script\'s lines', () => {
    expect(parseIpForwardRead(fixture('sysctl/proc-ip-forward-router-bashrc-noise.txt'))).toEqual({ value: '1' });
    expect(parseSnmpIp(fixture('router-counters/statistics-and-snmp.txt'))).toMatchObject({ Forwarding: 2, ForwDatagrams: 0, InAddrErrors: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { parseSysctlValue } from '../../parse/sysctl.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateIpForward, parseIpForwardRead } from './ip-forward.ts';
import { parseSnmpIp } from '../../parse/proc-net-snmp.ts';

describe('evaluateIpForward', () => {
  it('passes the router with forwarding on', () => {
    expect(evaluateIpForward(parseSysctlValue(fixture('sysctl/proc-ip-forward-router.txt')), []).status).toBe('pass');
  });

  it('fails forwarding off, saying the value', () => {
    const verdict = evaluateIpForward(parseSysctlValue(fixture('sysctl/proc-ip-forward-vm1.txt')), []);
    expect(verdict).toMatchObject({ status: 'fail', expected: 'net.ipv4.ip_forward = 1', actual: 'net.ipv4.ip_forward = 0' });
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

import { describe, expect, it } from 'vitest';
import { parseSysctlValue } from '../../parse/sysctl.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateIpForward } from './ip-forward.ts';

describe('evaluateIpForward', () => {
  it('passes the router with forwarding on', () => {
    expect(evaluateIpForward(parseSysctlValue(fixture('sysctl/proc-ip-forward-router.txt')), []).status).toBe('pass');
  });

  it('fails forwarding off, saying the value', () => {
    const verdict = evaluateIpForward(parseSysctlValue(fixture('sysctl/proc-ip-forward-vm1.txt')), []);
    expect(verdict).toMatchObject({ status: 'fail', expected: 'net.ipv4.ip_forward = 1', actual: 'net.ipv4.ip_forward = 0' });
  });
});

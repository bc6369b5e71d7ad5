import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseForwarding } from './forwarding.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`sysctl/${name}`);

describe('parseForwarding', () => {
  it('reads ip_forward and every NIC of a router forwarding on all of them', () => {
    const values = parseForwarding(fixture('witness-forwarding-router.txt'));
    expect(values.ipForward).toBe('1');
    expect(values.perNic).toEqual({ all: '1', default: '1', ens3: '1', ens4: '1', 'ens5.10x': '1', ens5: '1', lo: '1' });
  });

  it('reads one NIC with forwarding off while ip_forward is 1', () => {
    const values = parseForwarding(fixture('witness-forwarding-router-ens5-off.txt'));
    expect(values.ipForward).toBe('1');
    expect(values.perNic['ens5']).toBe('0');
    expect(values.perNic['ens5.10x']).toBe('1');
  });

  it('reads forwarding off everywhere', () => {
    expect(parseForwarding(fixture('witness-forwarding-off.txt'))).toMatchObject({ ipForward: '0', perNic: { ens4: '0' } });
  });

  it('reads the value alone (a kernel without per-NIC files), and ignores a login script\'s noise before it', () => {
    expect(parseForwarding(fixture('proc-ip-forward-router.txt'))).toEqual({ ipForward: '1', perNic: {} });
    expect(parseForwarding(fixture('proc-ip-forward-router-bashrc-noise.txt')).ipForward).toBe('1');
  });

  it('throws ParseError when no value of ip_forward came', () => {
    expect(() => parseForwarding(fixture('empty.txt'))).toThrow(ParseError);
    expect(() => parseForwarding('net.ipv4.conf.ens4.forwarding = 1\n')).toThrow(ParseError);
  });
});

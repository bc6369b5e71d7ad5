import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseDomIfStat } from './virsh-domifstat.ts';
import { ParseError } from './parse-error.ts';

describe('parseDomIfStat', () => {
  it("reads each tap device's counters from the output of two domifstat calls", () => {
    const text = fixture('virsh/domifstat-router-internal.txt');
    expect(parseDomIfStat(text, 'vnet80')).toEqual({ device: 'vnet80', rxBytes: 3002, rxPackets: 25, txBytes: 1522, txPackets: 13 });
    expect(parseDomIfStat(text, 'vnet81')).toMatchObject({ device: 'vnet81', txPackets: 13 });
  });

  it('refuses a device it has no counters for, and an error message', () => {
    expect(() => parseDomIfStat(fixture('virsh/domifstat-router-internal.txt'), 'vnet8')).toThrow(ParseError);
    expect(() => parseDomIfStat(fixture('virsh/domifstat-no-device.txt'), 'vnet99')).toThrow(/no rx_bytes, rx_packets, tx_bytes, tx_packets for vnet99/);
    expect(() => parseDomIfStat('vnet1 rx_bytes 12x\n', 'vnet1')).toThrow(/not a counter/);
  });
});

import { describe, expect, it } from 'vitest';
import { generatePassword, parseNicNames, withSudoPassword } from './debian-guest.ts';

describe('Debian guest helpers', () => {
  it('parses the NIC names by MAC, without lo', () => {
    // Recorded on a vm-lab Debian 12 router (q35, VirtIO NICs) with NIC_NAMES_COMMAND.
    const output = 'enp1s0 52:54:00:01:02:01\nenp2s0 52:54:00:01:02:02\nenp3s0 52:54:00:01:02:03\nlo 00:00:00:00:00:00\n';
    expect(parseNicNames(output)).toEqual({ '52:54:00:01:02:01': 'enp1s0', '52:54:00:01:02:02': 'enp2s0', '52:54:00:01:02:03': 'enp3s0' });
  });

  it('feeds sudo the password on stdin, quoted; other commands run as typed', () => {
    expect(withSudoPassword('sudo dhclient -v enp2s0', "it's")).toBe(`printf '%s\\n' 'it'"'"'s' | sudo -S -p '' dhclient -v enp2s0`);
    expect(withSudoPassword('ip -4 -o addr show', 'x')).toBe('ip -4 -o addr show');
  });

  it('generates distinct URL-safe passwords of 24 characters', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(a);
  });
});

import { describe, expect, it } from 'vitest';
import { LabError } from './errors.ts';
import { parseDropbearPublicKey } from './keys.ts';

describe('parseDropbearPublicKey', () => {
  it('takes the key line of dropbearkey output, without its comment', () => {
    const output = [
      'Public key portion is:',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII1oK15N4NceNHBnF0TTj+AjSleaK6gV0OrBO51z95dk root@vm',
      'Fingerprint: SHA256:nMhbud+15OZKix+uOOBwsKRD8/kxxVlYKyK7P279Ru0',
    ].join('\n');
    expect(parseDropbearPublicKey(output)).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII1oK15N4NceNHBnF0TTj+AjSleaK6gV0OrBO51z95dk');
  });

  it('fails clearly without one', () => {
    expect(() => parseDropbearPublicKey('Generating 256 bit ed25519 key')).toThrow(LabError);
  });
});

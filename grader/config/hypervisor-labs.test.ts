import { describe, expect, it } from 'vitest';
import { recordedServer } from '../../test/support/virsh-server.ts';
import { shapeOfServer } from '../hypervisor/lab-shape.ts';
import { ConfigError } from './config-error.ts';
import { labTargetOf, parseHypervisorOption } from './hypervisor-labs.ts';

describe('--hypervisor', () => {
  it('takes local or [user@]host[:port], the user defaulting to the given one', () => {
    expect(parseHypervisorOption('local', 'me')).toEqual({ uri: 'qemu:///system' });
    expect(parseHypervisorOption('admin@lab-server.example.edu:2222', 'me')).toEqual({ endpoint: { user: 'admin', host: 'lab-server.example.edu', port: 2222 }, uri: 'qemu:///system' });
    expect(parseHypervisorOption('10.0.0.5', 'me').endpoint).toEqual({ user: 'me', host: '10.0.0.5', port: 22 });
    expect(() => parseHypervisorOption('a@b@c', 'me')).toThrow(ConfigError);
    expect(() => parseHypervisorOption('host:99999', 'me')).toThrow(ConfigError);
  });

  it('makes a lab missing its router a target whose router is absent, with why', () => {
    const listed = recordedServer('no-router');
    const bob = shapeOfServer('local', listed).labs.find((l) => l.name === 'bob-vm')!;
    const target = labTargetOf(bob, { uri: 'qemu:///system' }, 'student');
    expect(target.vms.vm1).toEqual({ port: 22, user: 'student', domain: 'bob-vm-a' });
    expect(target.vms.router.absent).toBe('no domain on local plays the router VM: no router: no domain has NICs on two internal networks');
    expect(target.discovery).toBe(bob.discovery);
  });
});

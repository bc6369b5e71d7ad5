import { describe, expect, it } from 'vitest';
import { recordedServer } from '../../test/support/virsh-server.ts';
import { commonPrefix, numberInName, shapeOfServer } from './lab-shape.ts';

const server = recordedServer;

const rolesOf = (shape: ReturnType<typeof shapeOfServer>) => Object.fromEntries(shape.labs.map((l) => [l.name, l.domains]));

describe('labs found on a hypervisor from the topology', () => {
  it('finds the one lab of a recorded VM lab, with the roles and why', () => {
    const shape = shapeOfServer('local', server('one-lab'));
    expect(rolesOf(shape)).toEqual({ rlg15: { vm1: 'rlg15-vm1', router: 'rlg15-router', vm3: 'rlg15-vm3' } });
    const lab = shape.labs[0]!;
    expect(lab.discovery.management).toBe('rlg15-management');
    expect(lab.discovery.internalNetworks).toEqual(['rlg15-internal1', 'rlg15-internal2']);
    expect(lab.discovery.problems).toEqual([]);
    expect(lab.discovery.roles.find((r) => r.role === 'router')?.why).toBe('router = rlg15-router: NICs on rlg15-internal1, rlg15-internal2, rlg15-management');
    expect(lab.discovery.roles.find((r) => r.role === 'vm1')?.why).toBe('vm1 = rlg15-vm1: one NIC on rlg15-internal1, and its name says 1');
    expect(shape.unassigned).toEqual([]);
  });

  it('lists a fourth, shut-off domain on the management network only as belonging to no lab', () => {
    const shape = shapeOfServer('local', server('fourth-domain'));
    expect(Object.keys(rolesOf(shape))).toEqual(['rlg15']);
    expect(shape.labs[0]!.discovery.problems).toEqual([]);
    expect(shape.unassigned).toEqual([{ domain: 'rlg15-spare', why: 'it has NICs only on the management network rlg15-management (no internal network)' }]);
  });

  it('finds two labs on one management network, named after their prefixes, VM1 and VM3 by name', () => {
    const shape = shapeOfServer('admin@lab-server', server('two-labs'));
    expect(rolesOf(shape)).toEqual({
      alice: { vm1: 'alice-vm1', router: 'alice-router', vm3: 'alice-vm3' },
      bob: { vm1: 'bob-vm-a', router: 'bob-gw', vm3: 'bob-vm-b' },
    });
    expect(shape.labs.map((l) => l.discovery.management)).toEqual(['default', 'default']);
    expect(shape.labs[1]!.discovery.roles.find((r) => r.role === 'vm1')?.why).toBe('vm1 = bob-vm-a: one NIC on bob-lan-a, and its name sorts first (the names do not say 1 or 3)');
    // The same domains listed in another order give the same labs.
    expect(shapeOfServer('admin@lab-server', server('two-labs').reverse())).toEqual(shape);
  });

  it('grades a lab missing its router as far as it can, saying what is missing', () => {
    const shape = shapeOfServer('local', server('no-router'));
    // Named after what its two domains share.
    const bob = shape.labs.find((l) => l.name === 'bob-vm')!;
    expect(bob.domains).toEqual({ vm1: 'bob-vm-a', vm3: 'bob-vm-b' });
    expect(bob.discovery.problems).toEqual(['no router: no domain has NICs on two internal networks']);
    expect(bob.discovery.roles.find((r) => r.role === 'router')).toEqual({ role: 'router', why: 'no domain fits' });
    expect(shape.labs.find((l) => l.name === 'alice')!.discovery.problems).toEqual([]);
  });

  it('splits two labs sharing an internal network by their names, and says so', () => {
    const shape = shapeOfServer('local', server('shared-internal'));
    expect(rolesOf(shape)).toEqual({
      alice: { vm1: 'alice-vm1', router: 'alice-router', vm3: 'alice-vm3' },
      bob: { vm1: 'bob-vm-a', router: 'bob-gw', vm3: 'bob-vm-b' },
    });
    expect(shape.labs[0]!.discovery.problems).toEqual(['the internal network alice-net2 is also used by bob-gw, bob-vm-a (another lab\'s domains, by their names)']);
    expect(shape.labs[1]!.discovery.problems[0]).toBe('the internal network alice-net2 is also used by alice-router, alice-vm3 (another lab\'s domains, by their names)');
  });

  it('keeps a shut-off domain in its role and says it is shut off', () => {
    const shape = shapeOfServer('local', server('shut-off'));
    expect(rolesOf(shape)).toEqual({ rlg15: { vm1: 'rlg15-vm1', router: 'rlg15-router', vm3: 'rlg15-vm3' } });
    expect(shape.labs[0]!.discovery.roles.find((r) => r.role === 'vm3')).toEqual({
      role: 'vm3',
      domain: 'rlg15-vm3',
      state: 'shut off',
      why: 'vm3 = rlg15-vm3: one NIC on rlg15-internal2, and its name says 3; it is shut off',
    });
  });

  it('names a lab whose domains share no prefix after its router, and reads roles from odd names', () => {
    const renamed = server('one-lab').map((d) => ({ ...d, name: { 'rlg15-vm1': 'ubuntu22.04', 'rlg15-router': 'router-vm', 'rlg15-vm3': 'VM 3' }[d.name]! }));
    const shape = shapeOfServer('local', renamed);
    expect(rolesOf(shape)).toEqual({ 'router-vm': { vm1: 'ubuntu22.04', router: 'router-vm', vm3: 'VM 3' } });
  });

  it('reports a domain with no internal NIC partner as no lab, never guessed', () => {
    const lone = server('one-lab').filter((d) => d.name === 'rlg15-vm1');
    expect(shapeOfServer('local', lone)).toEqual({
      labs: [],
      unassigned: [{ domain: 'rlg15-vm1', why: 'no other domain shares its internal networks rlg15-internal1, rlg15-management or its name\'s prefix' }],
    });
  });
});

describe('what names say', () => {
  it('reads 1 and 3 from vm1, VM 3, ubuntu-1 but not from version numbers', () => {
    expect(['vm1', 'VM 3', 'alice-VM_1', 'ubuntu-3', 'ubuntu22.04', 'ubuntu22.04-clone', 'lab13-vm3', 'vm-a'].map(numberInName)).toEqual([1, 3, 1, 3, undefined, undefined, 3, undefined]);
  });

  it('cuts the common prefix at a separator', () => {
    expect(commonPrefix(['alice-vm1', 'alice-router', 'alice-vm3'])).toBe('alice');
    expect(commonPrefix(['bob-vm-a', 'bob-gw', 'bob-vm-b'])).toBe('bob');
    expect(commonPrefix(['ubuntu22.04', 'ubuntu22.04-clone', 'router-vm'])).toBe('');
    expect(commonPrefix(['vm1', 'vm3', 'vmrouter'])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envFile, inventoryYaml, knownHosts } from './outputs.ts';
import { planVmLab, type VmAddresses } from './plan.ts';

const plan = planVmLab({
  name: 'lab7', slot: 0, nic: 'e1000', variant: 'no-forwarding', domainType: 'qemu', stateDir: '/w/.lab/lab7', createdAt: 't',
  image: { dir: '/c', key: 'k', kernel: '/c/vmlinux', initrd: '/c/initrd.img' },
});
const addresses: VmAddresses = {
  vm1: { management: '10.124.0.10', internal: '10.125.0.11' },
  router: { management: '10.124.0.20', internal1: '10.125.0.21', internal2: '10.126.0.22' },
  vm3: { management: '10.124.0.30', internal: '10.126.0.31' },
};

describe('outputs', () => {
  it('inventory.yaml in the grader format, naming the lab, its domains and its NIC model in a comment', () => {
    const text = inventoryYaml(plan, addresses);
    expect(parse(text)).toEqual({
      defaults: { user: 'root', port: 22 },
      labs: { lab7: { credentials: { keyFile: '/w/.lab/lab7/id_ed25519' }, vm1: { address: '10.124.0.10' }, router: { address: '10.124.0.20' }, vm3: { address: '10.124.0.30' } } },
    });
    expect(text).toContain('e1000 NICs, variant no-forwarding');
    expect(text).toContain('lab7-vm1, lab7-router, lab7-vm3');
  });

  it('known_hosts: one line per VM management address', () => {
    expect(knownHosts(addresses, { vm1: 'ssh-ed25519 A1', router: 'ssh-ed25519 A2', vm3: 'ssh-ed25519 A3' })).toBe(
      '10.124.0.10 ssh-ed25519 A1\n10.124.0.20 ssh-ed25519 A2\n10.124.0.30 ssh-ed25519 A3\n',
    );
  });

  it('.env with absolute paths, quoted when needed', () => {
    expect(envFile(plan)).toBe('GRADER_SSH_KEY=/w/.lab/lab7/id_ed25519\nGRADER_KNOWN_HOSTS=/w/.lab/lab7/known_hosts\n');
    const spaced = planVmLab({ ...plan, stateDir: '/w/my lab', createdAt: 't' });
    expect(envFile(spaced)).toContain('GRADER_SSH_KEY="/w/my lab/id_ed25519"');
  });
});

describe('outputs for Debian guests', () => {
  const debian = planVmLab({ ...plan, guest: 'debian', createdAt: 't' });
  it('the grader logs in as student with the password; no key in .env', () => {
    expect(parse(inventoryYaml(debian, addresses)).defaults).toEqual({ user: 'student', port: 22 });
    expect(envFile(debian, 'pa ss')).toBe('GRADER_SSH_PASSWORD="pa ss"\nGRADER_KNOWN_HOSTS=/w/.lab/lab7/known_hosts\n');
    expect(() => envFile(debian)).toThrow('password');
  });
});

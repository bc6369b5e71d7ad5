import { describe, expect, it } from 'vitest';
import { parseDomIfList } from '../parse/virsh.ts';
import { LOAD_COMMAND } from '../parse/loadavg.ts';
import { sh } from '../transport/shell-quote.ts';
import { fixture } from '../../test/support/test-files.ts';
import { allowanceOf, parseQueryRequest, queriesOfCommand, refusal, virshArgs } from './virsh-relay-protocol.ts';

const URI = 'qemu:///system';
const virsh = (args: string) => `virsh -c ${sh`${URI}`} ${args}`;

describe("the grader's hypervisor commands as relayed virsh queries (the server's side)", () => {
  it('reads the commands inspect and the NIC counters write, quoting and all', () => {
    expect(queriesOfCommand(virsh(sh`domiflist ${'lab42-router'}`))).toEqual([{ verb: 'domiflist', domain: 'lab42-router' }]);
    expect(queriesOfCommand(virsh(sh`domifaddr ${'lab 42'} --source ${'arp'}`))).toBeUndefined(); // not a domain name the relay takes
    expect(queriesOfCommand(virsh(sh`domifaddr ${'vm1'} --source ${'lease'}`))).toEqual([{ verb: 'domifaddr', domain: 'vm1', source: 'lease' }]);
    expect(queriesOfCommand(virsh(sh`dumpxml ${'vm1'}`))).toEqual([{ verb: 'dumpxml', domain: 'vm1' }]);
    expect(queriesOfCommand(virsh(sh`net-dumpxml ${'default'}`))).toEqual([{ verb: 'net-dumpxml', network: 'default' }]);
    expect(queriesOfCommand(`${virsh(sh`domifstat ${'r'} ${'vnet1'}`)} && ${virsh(sh`domifstat ${'r'} ${'vnet2'}`)}`)).toEqual([
      { verb: 'domifstat', domain: 'r', device: 'vnet1' },
      { verb: 'domifstat', domain: 'r', device: 'vnet2' },
    ]);
  });

  it('relays nothing else: no other command, verb, option or shell syntax', () => {
    for (const command of [LOAD_COMMAND, virsh('list --all'), virsh('start vm1'), virsh('domiflist vm1; reboot'), virsh('domiflist $(id)'), virsh('dumpxml vm1 --security-info'), 'cat /etc/shadow', `${virsh('dumpxml vm1')} || reboot`, virsh("domiflist 'vm1")]) {
      expect(queriesOfCommand(command), command).toBeUndefined();
    }
  });
});

describe("the student's client: which queries its own lab allows", () => {
  const interfaces = new Map([
    ['lab-router', parseDomIfList(fixture('virsh/server/one-lab/domiflist-rlg15-router.txt'))],
    ['lab-vm1', []],
    ['lab-vm3', []],
  ]);
  const allowance = allowanceOf({ vm1: 'lab-vm1', router: 'lab-router', vm3: 'lab-vm3' }, interfaces);
  const routerNic = interfaces.get('lab-router')!.find((i) => i.device)!;

  it('answers only its three domains, their own taps and their networks', () => {
    expect(refusal({ verb: 'domiflist', domain: 'lab-vm1' }, allowance)).toBeUndefined();
    expect(refusal({ verb: 'dumpxml', domain: 'someone-else' }, allowance)).toBe("domain 'someone-else' is not one of your lab's");
    expect(refusal({ verb: 'domifstat', domain: 'lab-router', device: routerNic.device! }, allowance)).toBeUndefined();
    expect(refusal({ verb: 'domifstat', domain: 'lab-router', device: 'vnet999' }, allowance)).toBe("'vnet999' is not a NIC of domain 'lab-router'");
    expect(refusal({ verb: 'net-dumpxml', network: routerNic.source }, allowance)).toBeUndefined();
    expect(refusal({ verb: 'net-dumpxml', network: 'other-net' }, allowance)).toBe("network 'other-net' is not one of your lab's");
  });

  it('takes a request only as a short JSON list of allowed argument lists', () => {
    expect(parseQueryRequest(JSON.stringify([virshArgs({ verb: 'domifaddr', domain: 'lab-vm1', source: 'arp' })]))).toEqual([{ verb: 'domifaddr', domain: 'lab-vm1', source: 'arp' }]);
    expect(parseQueryRequest(JSON.stringify([['list', '--all']]))).toBe("'virsh list --all' is not one of the queries the grader may relay");
    expect(parseQueryRequest(JSON.stringify([['domiflist', 'vm1', '--inactive']]))).toMatch(/is not one of the queries/);
    expect(parseQueryRequest(JSON.stringify([['dumpxml', '$(reboot)']]))).toMatch(/is not one of the queries/);
    expect(parseQueryRequest('domiflist vm1')).toBe('the request is not JSON');
    expect(parseQueryRequest(JSON.stringify(Array(5).fill(['dumpxml', 'vm1'])))).toBe('the request is not a list of 1-4 queries');
    expect(parseQueryRequest(JSON.stringify([['dumpxml', 'x'.repeat(3000)]]))).toBe('the request is too long');
  });
});

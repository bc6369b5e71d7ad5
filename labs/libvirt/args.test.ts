import { describe, expect, it } from 'vitest';
import { parseVmLabArgs } from './args.ts';
import { LabUsageError } from './errors.ts';

describe('parseVmLabArgs', () => {
  it('up: defaults, and every option in both spellings', () => {
    expect(parseVmLabArgs(['up'])).toEqual({ command: 'up', name: 'vmdemo', nic: 'virtio', variant: 'good', guest: 'debian', labs: 1, naming: 'lab' });
    expect(parseVmLabArgs(['up', '--nic', 'e1000', '--variant=no-forwarding', '--name', 'lab-2', '--guest=busybox'])).toEqual({
      command: 'up', name: 'lab-2', nic: 'e1000', variant: 'no-forwarding', guest: 'busybox', labs: 1, naming: 'lab',
    });
    expect(parseVmLabArgs(['up', '--labs', '2', '--naming=people'])).toMatchObject({ command: 'up', labs: 2, naming: 'people' });
    expect(parseVmLabArgs(['compare', '--guest', 'busybox'])).toEqual({ command: 'compare', durationSeconds: 10, guest: 'busybox' });
  });

  it('down and image', () => {
    expect(parseVmLabArgs(['down', '--name=x1'])).toEqual({ command: 'down', name: 'x1' });
    expect(parseVmLabArgs(['down'])).toEqual({ command: 'down', name: 'vmdemo' });
    expect(parseVmLabArgs(['image'])).toEqual({ command: 'image', guest: 'debian' });
    expect(parseVmLabArgs(['image', '--guest', 'busybox'])).toEqual({ command: 'image', guest: 'busybox' });
    expect(parseVmLabArgs(['down', '--all'])).toEqual({ command: 'down-all' });
  });

  it('help', () => {
    for (const argv of [[], ['help'], ['--help'], ['up', '-h']]) expect(parseVmLabArgs(argv)).toEqual({ command: 'help' });
  });

  it.for([
    [['start'], "unknown command 'start'; valid: up, down, list, variants, image, compare"],
    [['up', '--nic', 'rtl8139'], "unknown NIC model 'rtl8139'; valid: virtio, e1000"],
    [['up', '--variant', 'via-host'], "unknown variant 'via-host'; valid: good, no-forwarding"],
    [['up', '--name', 'Bad'], "invalid lab name 'Bad'"],
    [['up', '--name'], '--name needs a value'],
    [['down', '--nic', 'virtio'], "unknown argument '--nic' for down; valid: --name, --all"],
    [['down', '--all', '--name', 'x'], 'down takes --name or --all, not both'],
    [['up', '--all'], "unknown argument '--all' for up"],
    [['up', '--labs', '0'], '--labs must be a whole number from 1 to 4'],
    [['up', '--naming', 'animals'], "unknown naming 'animals'; valid: lab, people"],
    [['image', '--name', 'x'], "unknown argument '--name' for image; valid: --guest"],
    [['up', '--guest', 'ubuntu'], "unknown guest 'ubuntu'; valid: debian, busybox"],
  ] as [string[], string][])('%j is a usage error', ([argv, message]) => {
    expect(() => parseVmLabArgs(argv)).toThrow(LabUsageError);
    expect(() => parseVmLabArgs(argv)).toThrow(message);
  });
});

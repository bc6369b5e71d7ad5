import { describe, expect, it } from 'vitest';
import { parseLabArgs, USAGE } from './args.ts';
import { LabUsageError } from '../kit/errors.ts';
import { VARIANTS } from './variants.ts';

describe('parseLabArgs', () => {
  it('defaults up to lab demo, variant good', () => {
    expect(parseLabArgs(['up'])).toEqual({ command: 'up', name: 'demo', variant: 'good', verbose: false });
  });

  it('reads --name and --variant, with a space or =', () => {
    expect(parseLabArgs(['up', '--variant', 'via-host', '--name', 'lab-7'])).toMatchObject({
      name: 'lab-7',
      variant: 'via-host',
    });
    expect(parseLabArgs(['up', '--variant=no-iperf', '--name=x', '--verbose'])).toEqual({
      command: 'up',
      name: 'x',
      variant: 'no-iperf',
      verbose: true,
    });
  });

  it('parses down, down --all, list, variants and help', () => {
    expect(parseLabArgs(['down'])).toEqual({ command: 'down', name: 'demo' });
    expect(parseLabArgs(['down', '--name', 'b'])).toEqual({ command: 'down', name: 'b' });
    expect(parseLabArgs(['down', '--all'])).toEqual({ command: 'down-all' });
    expect(parseLabArgs(['list'])).toEqual({ command: 'list' });
    expect(parseLabArgs(['variants'])).toEqual({ command: 'variants' });
    expect(parseLabArgs([])).toEqual({ command: 'help' });
    expect(parseLabArgs(['up', '--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['frob'], /^unknown command 'frob'; valid: up, down, list, variants, class/],
    [['up', '--variant', 'bogus'], /^unknown variant 'bogus'; valid: good, no-forwarding, /],
    [['up', '--name', 'Lab_1'], /^invalid lab name 'Lab_1': use 1-32 characters of a-z, 0-9 and '-'/],
    [['up', '--name', 'a'.repeat(33)], /^invalid lab name/],
    [['up', '--name'], /^--name needs a value/],
    [['up', '--all'], /^unknown argument '--all' for up; valid: --name, --variant, --plan, --student, --verbose/],
    [['down', '--variant', 'good'], /^unknown argument '--variant' for down/],
    [['down', '--all', '--name', 'x'], /^down takes --name or --all, not both/],
    [['list', 'extra'], /^unknown argument 'extra' for list; valid: none/],
  ])('rejects %j with a one-line usage error', (argv, message) => {
    let caught: unknown;
    try {
      parseLabArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LabUsageError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });

  it('documents every variant and the default name in the usage text', () => {
    for (const variant of VARIANTS) expect(USAGE).toContain(variant);
    expect(USAGE).toContain('default: demo');
  });
});

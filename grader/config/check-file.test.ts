import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { listChecks, loadCheckFile, selectChecks } from './check-file.ts';
import { checkFileSchema } from '../checks/check-file-schema.ts';

const problemsOf = async (path: string): Promise<string[]> => {
  const error = await loadCheckFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
};

describe('the exercise check file', () => {
  it('loads with the stable ids, per-host expansion data and filled-in defaults', async () => {
    const checks = await loadCheckFile('checks/exercise.yaml');
    // LMS columns key on these: none may go or be renamed, and they keep their order (a new check may join).
    const stable = ['subnets', 'virtio', 'ip-forward', 'routes', 'ping', 'traceroute', 'iperf'];
    expect(checks.map((c) => c.id).filter((id) => stable.includes(id))).toEqual(stable);
    expect(checks.find((c) => c.id === 'virtio')?.hosts).toEqual(['vm1', 'router', 'vm3']);
    expect(checks.find((c) => c.id === 'routes')?.hosts).toEqual(['vm1', 'vm3']);
    expect(checks.find((c) => c.id === 'iperf')?.params).toMatchObject({ durationSeconds: 5, floorMbps: 100, port: 5201 });
    expect(checks.find((c) => c.id === 'traceroute')?.params).toMatchObject({ maxHops: 5, probesPerHop: 2 });
    expect(checks.every((c) => c.hint.length > 10)).toBe(true);
  });

  it('hints say what a student must do after the fix: start the VM again after virsh edit, persist what sysctl -w and ip route add set', async () => {
    const hints = new Map((await loadCheckFile('checks/exercise.yaml')).map((c) => [c.id, c.hint.replace(/\s+/g, ' ')]));
    expect(hints.get('virtio')).toMatch(/shut the VM down and start it again/);
    expect(hints.get('virtio')).not.toMatch(/restart the VM/);
    expect(hints.get('ip-forward')).toMatch(/sysctl -w .*\/etc\/sysctl\.d\//);
    expect(hints.get('routes')).toMatch(/ip route add .*netplan.*\/etc\/network\/interfaces/);
  });

  it('selects with --only in file order and refuses unknown ids', async () => {
    const checks = await loadCheckFile('checks/exercise.yaml');
    expect(selectChecks(checks, ['iperf', 'ping']).map((c) => c.id)).toEqual(['ping', 'iperf']);
    expect(() => selectChecks(checks, ['pingg'])).toThrow(/unknown check id 'pingg'.*subnets, virtio/);
    expect(listChecks(checks).split('\n')[1]).toMatch(/^virtio\s+virtio\s+vm1,router,vm3\s+1 pt/);
  });
});

describe('a broken check file', () => {
  it('names the file, line and path of an unknown kind', async () => {
    const problems = await problemsOf('fixtures/check-files/unknown-kind.yaml');
    expect(problems.join('\n')).toMatch(/unknown-kind\.yaml:3:\d+: \/checks\/0\/kind: .*ping.*iperf/);
  });

  it('lists every problem at once, each with its place', async () => {
    const problems = await problemsOf('fixtures/check-files/bad-params.yaml');
    const text = problems.join('\n');
    expect(text).toMatch(/bad-params\.yaml:8:\d+: \/checks\/0\/params\/floorMbps: must be number/);
    expect(text).toMatch(/bad-params\.yaml:9:\d+: \/checks\/0\/params\/durationSecs: unknown property 'durationSecs'/);
    expect(text).toMatch(/\/checks\/1: missing required property 'hint'/);
    expect(text).toMatch(/\/checks\/1\/points: must be >= 0/);
    expect(text).toMatch(/\/checks\/1\/hosts\/0: must be one of "vm1", "vm3"/);
  });

  it('refuses a duplicate id, naming the first', async () => {
    const problems = await problemsOf('fixtures/check-files/duplicate-id.json');
    expect(problems).toEqual([expect.stringMatching(/duplicate-id\.json:4:\d+: \/checks\/1\/id: 'ping' is already the id of check 1/)]);
  });

  it('reports YAML syntax errors with their line', async () => {
    const problems = await problemsOf('fixtures/check-files/not-yaml.yaml');
    expect(problems[0]).toMatch(/not-yaml\.yaml:\d+:\d+: /);
  });

  it('says when the file is missing', async () => {
    expect(await problemsOf('fixtures/check-files/nope.yaml')).toEqual(['check file fixtures/check-files/nope.yaml cannot be read: no such file']);
  });

  it('refuses a YAML alias bomb as a configuration error naming the file (not an internal error)', async () => {
    const problems = await problemsOf('fixtures/check-files/alias-bomb.yaml');
    expect(problems).toEqual([expect.stringMatching(/^fixtures\/check-files\/alias-bomb\.yaml: .*aliases/)]);
  });

  it('refuses infinite, not-a-number and unbounded numbers (points: .inf would score Infinity)', async () => {
    const text = (await problemsOf('fixtures/check-files/unbounded-numbers.yaml')).join('\n');
    expect(text).toMatch(/unbounded-numbers\.yaml:7:\d+: \/checks\/0\/points: must be/);
    expect(text).toMatch(/unbounded-numbers\.yaml:13:\d+: \/checks\/1\/params\/floorMbps: must be/);
    expect(text).toMatch(/unbounded-numbers\.yaml:19:\d+: \/checks\/2\/params\/maxLossPercent: must be/);
    expect(text).toMatch(/\/checks\/3\/points: must be <= /);
  });
});

describe('the check-file schema', () => {
  // Every number a check file can hold has both bounds, so that no value YAML can write
  // (.inf, 1e308) reaches a score or a command line.
  const unbounded = (schema: unknown, at = ''): string[] => {
    if (!schema || typeof schema !== 'object') return [];
    const s = schema as Record<string, unknown>;
    const own =
      (s.type === 'number' || s.type === 'integer') &&
      !((s.maximum !== undefined || s.exclusiveMaximum !== undefined) && (s.minimum !== undefined || s.exclusiveMinimum !== undefined))
        ? [at || '/']
        : [];
    return [...own, ...Object.entries(s).flatMap(([k, v]) => unbounded(v, `${at}/${k}`))];
  };

  it('bounds every number above and below', () => {
    expect(unbounded(checkFileSchema())).toEqual([]);
  });

  it('finds an unbounded number (the walk can fail)', () => {
    expect(unbounded({ properties: { a: { type: 'number', minimum: 0 } } })).toEqual(['/properties/a']);
  });
});

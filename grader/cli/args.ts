import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.ts';
import { JUNIT_FLAVORS, type JunitFlavor } from '../report/junit.ts';

export const HOST_KEY_POLICIES = ['strict', 'accept-new', 'off'] as const;

export interface CliArgs {
  help: boolean;
  list: boolean;
  host?: string;
  inventory: string;
  checks?: string;
  out: string;
  only?: string[];
  knownHosts?: string;
  hostKeyChecking: (typeof HOST_KEY_POLICIES)[number];
  junitFlavor: JunitFlavor;
  connectTimeoutSeconds: number;
}

export const USAGE = `Usage: npm run grade -- --host NAME [options]

Grades one student's lab (VM1, the router VM, VM3) over SSH and writes DIR/NAME.xml (JUnit)
and DIR/NAME.json.

Options:
  --host NAME               lab to grade, as named in the inventory
  --inventory FILE          inventory of labs (default: labs.yaml)
  --checks FILE             check file, YAML or JSON (default: checks/exercise.yaml)
  --out DIR                 where reports go (default: reports)
  --only ID,...             run only these checks (ids as in the check file)
  --list                    list the checks and exit
  --known-hosts FILE        OpenSSH known_hosts file (default: $GRADER_KNOWN_HOSTS or ~/.ssh/known_hosts)
  --host-key-checking MODE  strict | accept-new (default) | off
  --junit-flavor FLAVOR     ant (default: the Ant schema; GitLab, Jenkins) | jenkins (adds
                            per-test properties) | codegrade (weights, no extra elements)
  --connect-timeout SECS    TCP, handshake and authentication timeout per VM (default: 10)
  -h, --help                show this help

Credentials come from the environment or .env (see .env.example), never from the inventory.
Exit codes: 0 every check passed; 1 a check failed or could not be graded; 2 usage or
configuration error; 3 internal error.`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError([`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`]);
}

export function parseCliArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        list: { type: 'boolean' },
        host: { type: 'string' },
        inventory: { type: 'string' },
        checks: { type: 'string' },
        out: { type: 'string' },
        only: { type: 'string' },
        'known-hosts': { type: 'string' },
        'host-key-checking': { type: 'string' },
        'junit-flavor': { type: 'string' },
        'connect-timeout': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new ConfigError([`${(error as Error).message.split('\n')[0]} (see --help)`]);
  }
  const timeout = Number(values['connect-timeout'] ?? 10);
  if (!(timeout > 0 && timeout <= 300)) throw new ConfigError([`--connect-timeout must be a number of seconds between 0 and 300`]);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  if (only && only.length === 0) throw new ConfigError(['--only needs at least one check id']);
  return {
    help: values.help ?? false,
    list: values.list ?? false,
    host: values.host,
    inventory: values.inventory ?? 'labs.yaml',
    checks: values.checks,
    out: values.out ?? 'reports',
    only,
    knownHosts: values['known-hosts'],
    hostKeyChecking: oneOf('host-key-checking', values['host-key-checking'], HOST_KEY_POLICIES, 'accept-new'),
    junitFlavor: oneOf('junit-flavor', values['junit-flavor'], JUNIT_FLAVORS, 'ant'),
    connectTimeoutSeconds: timeout,
  };
}

import { ConfigError } from '../config/config-error.ts';
import { JUNIT_FLAVORS, type JunitFlavor } from '../report/junit.ts';
import { HOST_KEY_POLICIES, type HostKeyPolicy } from '../transport/known-hosts.ts';
import { checkCourseSettings } from './course-settings.ts';
import { GRADE_OPTIONS, hostsOf, optionsOf, parseOptions } from './option-table.ts';

export interface CliArgs {
  help: boolean;
  list: boolean;
  /** Lab names and globs from --host (comma-separated). */
  hosts?: string[];
  all: boolean;
  shard?: string;
  concurrency: number;
  roster?: string;
  resume: boolean;
  gradescope: boolean;
  /** Where one lab's Gradescope results.json goes. */
  gradescopeOut?: string;
  /** gradebook.csv with a UTF-8 byte-order mark, for Excel. */
  excel: boolean;
  inventory: string;
  checks?: string;
  out: string;
  only?: string[];
  knownHosts?: string;
  hostKeyChecking: HostKeyPolicy;
  junitFlavor: JunitFlavor;
  connectTimeoutSeconds: number;
  /** Times a lab whose results are errors of the grader's side is graded again at the end. */
  retryErrors: number;
  /** `local` or [user@]host[:port]: find the labs on that libvirt host, no inventory. */
  hypervisor?: string;
  /** [user@]host[:port] of a jump host that leads to the hypervisor. */
  jump?: string;
  /** SSH user on the VMs of labs found with --hypervisor. */
  user?: string;
  /** iperf measurements at once per hypervisor. */
  measureConcurrency: number;
  /** The course record: a PostgreSQL URL or a folder (default: GRADER_STORE, else --out). */
  store?: string;
  /** The course deadline, stored in the record. */
  deadline?: string;
  /** The late policy, stored in the record. */
  late?: string;
}

export const USAGE = `Usage: npm run grade -- --host NAME [options]
       npm run grade -- --hypervisor local|USER@HOST [--all | --host 'alice,b*'] [options]
       npm run grade -- --all | --host 'lab*,lab42' [--shard I/N|auto] [--concurrency N] [options]
       npm run grade -- merge DIR... --out DIR [--inventory FILE] [--allow-missing] [--roster FILE]
       npm run grade -- rescore DIR --checks NEW.yaml [--out DIR] [--roster FILE]
       npm run grade -- gradebook [--out DIR | --store URL] [--at TIME] [--policy latest|best]
       npm run grade -- history [LAB...] [--out DIR | --store URL] [--json]
       npm run grade -- plans [--roster FILE] [--out DIR | --store URL] [--pool CIDR ...] [--reseed ID ...]
       npm run grade -- serve [--listen ADDR:PORT] [--out DIR | --store URL] [--roster FILE] [--deadline TIME]
       npm run grade -- tokens [--out DIR | --store URL] [--roster FILE] [--revoke ID]
       npm run grade -- submit URL --token TOKEN (--hypervisor local | --inventory FILE --host LAB)
       (each subcommand's --help says more)

Grades students' labs (VM1, the router VM, VM3) over SSH, records every grading in the course
record (DIR/grades.sqlite, or --store) and writes DIR/NAME.xml (JUnit) and DIR/NAME.json per lab;
for a class (or a folder that has them) DIR/class.xml, DIR/gradebook.csv and DIR/class.html,
drawn from the record.

Options:
  --hypervisor local|[USER@]HOST[:PORT]
                            find the labs on this libvirt host from its topology (virsh), no
                            inventory: one lab is graded as that lab, several as a class
  --jump [USER@]HOST[:PORT] reach the --hypervisor through this SSH host
  --user NAME               SSH user on the VMs found with --hypervisor (default: $USER)
  --measure-concurrency N   iperf measurements at once per hypervisor (default: 1)
  --host NAME[,NAME...]     lab(s) to grade, as named in the inventory; globs (* ?) allowed
  --all                     every lab of the inventory
  --shard I/N|auto[/N]      grade only the I-th of N equal slices of the selected labs; auto:
                            from GitLab CI's parallel: or a Kubernetes Indexed Job
  --retry-errors N          grade a lab again at the end when its errors are the grader's side
                            (connect timeout, dropped connection, command deadline) (default: 1)
  --concurrency N           labs graded at once (default: 8)
  --roster FILE             students per lab (CSV or YAML: lab, id, name, email, extension);
                            kept in the record and used by later commands until another is given
  --store URL|DIR           the course record: postgres://USER:PASS@HOST/DB or a folder
                            (default: $GRADER_STORE, else --out)
  --deadline TIME           the course deadline, with its zone (2026-03-10T23:59+01:00), kept
  --late POLICY             how late work counts, kept: on-time (default: the last attempt
                            before the deadline) | penalty:PERCENT (per started day) | no-credit
  --resume                  keep the reports of labs already graded in DIR, grade the rest
  --gradescope              also write DIR/gradescope/NAME/results.json (one lab too)
  --gradescope-out PATH     with one lab: write its results.json there (Gradescope reads
                            /autograder/results/results.json)
  --excel                   gradebook.csv with a UTF-8 byte-order mark, so that Excel shows
                            accents (Zoë) right
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

Credentials come from the environment or .env (see .env.example), or from what a lab's
credentials in the inventory point to (a key file, a variable's name), never the inventory itself.
Exit codes: 0 every check passed; 1 a check failed or could not be graded; 2 usage or
configuration error; 3 internal error; 4 graded, but reports could not be written.`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError([`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`]);
}

export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseOptions(undefined, argv, optionsOf(GRADE_OPTIONS), false);
  const timeout = Number(values['connect-timeout'] ?? 10);
  if (!(timeout > 0 && timeout <= 300)) throw new ConfigError(['--connect-timeout must be a number of seconds between 0 and 300']);
  const concurrency = Number(values.concurrency ?? 8);
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) throw new ConfigError(['--concurrency must be a whole number from 1 to 256']);
  const retryErrors = Number(values['retry-errors'] ?? 1);
  if (!(Number.isInteger(retryErrors) && retryErrors >= 0 && retryErrors <= 5)) throw new ConfigError(['--retry-errors must be a whole number from 0 to 5']);
  const measureConcurrency = Number(values['measure-concurrency'] ?? 1);
  if (!(Number.isInteger(measureConcurrency) && measureConcurrency >= 1 && measureConcurrency <= 64)) throw new ConfigError(['--measure-concurrency must be a whole number from 1 to 64']);
  if (values.jump && !values.hypervisor) throw new ConfigError(['--jump goes with --hypervisor (an inventory names its own jump host)']);
  if (values.user && !values.hypervisor) throw new ConfigError(['--user goes with --hypervisor (an inventory names its own users)']);
  const hosts = hostsOf(values.host);
  if (values.all && hosts) throw new ConfigError(['give either --all or --host, not both']);
  const settingProblems = checkCourseSettings({ deadline: values.deadline, late: values.late });
  if (settingProblems.length > 0) throw new ConfigError(settingProblems);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  if (only && only.length === 0) throw new ConfigError(['--only needs at least one check id']);
  return {
    help: values.help ?? false,
    list: values.list ?? false,
    hosts,
    all: values.all ?? false,
    shard: values.shard,
    concurrency,
    roster: values.roster,
    resume: values.resume ?? false,
    gradescope: (values.gradescope ?? false) || values['gradescope-out'] !== undefined,
    ...(values['gradescope-out'] !== undefined ? { gradescopeOut: values['gradescope-out'] } : {}),
    excel: values.excel ?? false,
    inventory: values.inventory ?? 'labs.yaml',
    checks: values.checks,
    out: values.out ?? 'reports',
    only,
    knownHosts: values['known-hosts'],
    hostKeyChecking: oneOf('host-key-checking', values['host-key-checking'], HOST_KEY_POLICIES, 'accept-new'),
    junitFlavor: oneOf('junit-flavor', values['junit-flavor'], JUNIT_FLAVORS, 'ant'),
    connectTimeoutSeconds: timeout,
    retryErrors,
    hypervisor: values.hypervisor,
    jump: values.jump,
    user: values.user,
    measureConcurrency,
    ...(values.store !== undefined ? { store: values.store } : {}),
    ...(values.deadline !== undefined ? { deadline: values.deadline } : {}),
    ...(values.late !== undefined ? { late: values.late } : {}),
  };
}

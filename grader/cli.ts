import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckFile, listChecks, selectChecks } from './config/check-file.ts';
import { ConfigError } from './config/config-error.ts';
import { credentialsFromEnv } from './config/credentials-from-env.ts';
import { loadEnvironmentWithWarnings } from './config/environment.ts';
import { labCredentials } from './config/lab-credentials.ts';
import type { LabTarget } from './transport/targets.ts';
import { gradingProvenance } from './config/grading-provenance.ts';
import { KnownHosts } from './transport/known-hosts.ts';
import { runPendingCleanups } from './transport/remote-cleanups.ts';
import { parseCliArgs, USAGE } from './cli/args.ts';
import { gradeMany } from './cli/grade-many.ts';
import { gradeOne } from './cli/grade-one.ts';

const DEFAULT_CHECKS = fileURLToPath(new URL('../checks/exercise.yaml', import.meta.url));

async function main(argv: string[]): Promise<number> {
  // `npm run grade` starts in the package root; relative paths are meant from where the user was.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const checkFile = args.checks ?? DEFAULT_CHECKS;
  const allChecks = await loadCheckFile(checkFile);
  const checks = selectChecks(allChecks, args.only);
  if (args.list) {
    process.stdout.write(`${listChecks(checks)}\n`);
    return 0;
  }
  const hosts = args.hosts ?? [];
  const oneLab = !args.all && !args.shard && hosts.length === 1 && !/[*?]/.test(hosts[0]!);
  if (!args.all && hosts.length === 0) throw new ConfigError(['--host NAME or --all is required (see --help)']);
  if (args.gradescopeOut !== undefined && !oneLab) throw new ConfigError(['--gradescope-out is for one lab (--host NAME): a class gets DIR/gradescope/NAME/results.json per lab']);
  // Read only once the labs are known, so that every mistake in the inventory is reported first.
  const connectOptions = async (labs: readonly LabTarget[]) => {
    const { env, warnings } = loadEnvironmentWithWarnings(args.inventory);
    for (const warning of warnings) process.stderr.write(`router-lab-grader: ${warning}\n`);
    return {
      credentials: {},
      credentialsFor: labCredentials(labs, env, () => credentialsFromEnv(env)),
      knownHosts: await KnownHosts.load(args.knownHosts ?? (env.GRADER_KNOWN_HOSTS || join(homedir(), '.ssh', 'known_hosts'))),
      hostKeyPolicy: args.hostKeyChecking,
      readyTimeoutMs: args.connectTimeoutSeconds * 1000,
      provenance: await gradingProvenance(checkFile, args.only, allChecks.map((c) => c.id)),
    };
  };
  return oneLab ? gradeOne(hosts[0]!, args, checks, connectOptions) : gradeMany(args, checks, connectOptions);
}

// Ctrl-C: the labs in flight leave nothing running on their VMs (their iperf3 servers are
// stopped, for at most a few seconds), then the grader exits; a second Ctrl-C exits at once.
const CLEANUP_WAIT_MS = 5_000;
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nrouter-lab-grader: interrupted; stopping what runs on the VMs of the labs in flight (Ctrl-C again to quit at once)\n');
  void runPendingCleanups(CLEANUP_WAIT_MS).finally(() => {
    process.stderr.write('router-lab-grader: the reports of finished labs are kept (--resume continues a class)\n');
    process.exit(130);
  });
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`router-lab-grader: ${problem}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`router-lab-grader: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 3;
    }
  },
);

import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckFile, listChecks, selectChecks } from './config/check-file.ts';
import { ConfigError } from './config/config-error.ts';
import { credentialsFromEnv } from './config/credentials-from-env.ts';
import { loadEnvironment } from './config/environment.ts';
import { gradingProvenance } from './config/grading-provenance.ts';
import { KnownHosts } from './transport/known-hosts.ts';
import { parseCliArgs, USAGE } from './cli/args.ts';
import { gradeMany } from './cli/grade-many.ts';
import { gradeOne } from './cli/grade-one.ts';
import { output } from './cli/output.ts';

const DEFAULT_CHECKS = fileURLToPath(new URL('../checks/exercise.yaml', import.meta.url));

async function main(argv: string[]): Promise<number> {
  // `npm run grade` starts in the package root; relative paths are meant from where the user was.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const args = parseCliArgs(argv);
  if (args.help) {
    output.stdout.text(`${USAGE}\n`);
    return 0;
  }
  const checkFile = args.checks ?? DEFAULT_CHECKS;
  const allChecks = await loadCheckFile(checkFile);
  const checks = selectChecks(allChecks, args.only);
  if (args.list) {
    output.stdout.text(`${listChecks(checks)}\n`);
    return 0;
  }
  const hosts = args.hosts ?? [];
  const oneLab = !args.all && !args.shard && hosts.length === 1 && !/[*?]/.test(hosts[0]!);
  if (!args.all && hosts.length === 0) throw new ConfigError(['--host NAME or --all is required (see --help)']);
  // Read only once the labs are known, so that every mistake in the inventory is reported first.
  const connectOptions = async () => {
    const env = loadEnvironment(args.inventory);
    return {
      credentials: credentialsFromEnv(env),
      knownHosts: await KnownHosts.load(args.knownHosts ?? (env.GRADER_KNOWN_HOSTS || join(homedir(), '.ssh', 'known_hosts'))),
      hostKeyPolicy: args.hostKeyChecking,
      readyTimeoutMs: args.connectTimeoutSeconds * 1000,
      provenance: await gradingProvenance(checkFile, args.only, allChecks.map((c) => c.id)),
    };
  };
  return oneLab ? gradeOne(hosts[0]!, args, checks, connectOptions) : gradeMany(args, checks, connectOptions);
}

process.on('SIGINT', () => {
  output.stderr.text('\nrouter-lab-grader: interrupted; the reports of finished labs are kept (--resume continues a class)\n');
  process.exit(130);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) output.stderr.line(`router-lab-grader: ${problem}`);
      process.exitCode = 2;
    } else {
      output.stderr.line(`router-lab-grader: internal error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 3;
    }
  },
);

import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckFile, listChecks, selectChecks } from './config/check-file.ts';
import { ConfigError } from './config/config-error.ts';
import { credentialsFromEnv } from './config/credentials-from-env.ts';
import { loadEnvironment } from './config/environment.ts';
import { resolveLab } from './config/resolve-lab.ts';
import { renderConsole, shouldUseColor } from './report/console.ts';
import { writeReports } from './report/write-reports.ts';
import { gradeLab } from './run/grade-lab.ts';
import { KnownHosts } from './transport/known-hosts.ts';
import { parseCliArgs, USAGE } from './cli/args.ts';

const DEFAULT_CHECKS = fileURLToPath(new URL('../checks/exercise.yaml', import.meta.url));

async function main(argv: string[]): Promise<number> {
  // `npm run grade` starts in the package root; relative paths are meant from where the user was.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const checks = selectChecks(await loadCheckFile(args.checks ?? DEFAULT_CHECKS), args.only);
  if (args.list) {
    process.stdout.write(`${listChecks(checks)}\n`);
    return 0;
  }
  if (!args.host) throw new ConfigError(['--host NAME is required (see --help)']);
  const lab = await resolveLab(args.inventory, args.host);
  const env = loadEnvironment(args.inventory);
  const credentials = credentialsFromEnv(env);
  const knownHosts = await KnownHosts.load(args.knownHosts ?? (env.GRADER_KNOWN_HOSTS || join(homedir(), '.ssh', 'known_hosts')));

  const report = await gradeLab(lab, checks, {
    credentials,
    knownHosts,
    hostKeyPolicy: args.hostKeyChecking,
    readyTimeoutMs: args.connectTimeoutSeconds * 1000,
  });
  const paths = await writeReports(report, args.out, { junitFlavor: args.junitFlavor });
  process.stdout.write(`${renderConsole(report, { color: shouldUseColor(process.stdout, process.env) })}\n`);
  process.stdout.write(`Reports: ${paths.junitPath} ${paths.jsonPath}\n`);
  return report.summary.pass === report.summary.total ? 0 : 1;
}

process.on('SIGINT', () => {
  process.stderr.write('router-lab-grader: interrupted; no report written for this lab\n');
  process.exit(130);
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

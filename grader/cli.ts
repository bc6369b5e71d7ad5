import { homedir, userInfo } from 'node:os';
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
import type { CliArgs } from './cli/args.ts';
import type { CheckSpec } from './config/check-file.ts';
import { findLabsOnHypervisor, parseEndpointOption, parseHypervisorOption } from './config/hypervisor-labs.ts';
import { resolveLab } from './config/resolve-lab.ts';
import type { GradeLabOptions } from './run/grade-lab.ts';

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
  if (!args.all && hosts.length === 0 && !args.hypervisor) throw new ConfigError(['--host NAME or --all is required (see --help)']);
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
  if (args.hypervisor) return gradeOnHypervisor(args, checks, connectOptions);
  return oneLab ? gradeOne(await resolveLab(args.inventory, hosts[0]!), args, checks, await connectOptions()) : gradeMany(args, checks, connectOptions);
}

// --hypervisor: the labs found there. One lab and no selection: graded as that lab; else a class.
async function gradeOnHypervisor(args: CliArgs, checks: CheckSpec[], connectOptions: () => Promise<GradeLabOptions>): Promise<number> {
  const user = args.user ?? process.env.USER ?? userInfo().username;
  const target = parseHypervisorOption(args.hypervisor!, user);
  const jump = args.jump ? parseEndpointOption('--jump', args.jump, user) : undefined;
  const options = await connectOptions();
  const found = await findLabsOnHypervisor(target, { ...options, user, ...(jump ? { jump } : {}) });
  for (const { domain, why } of found.unassigned) process.stderr.write(`router-lab-grader: domain '${domain}' on ${found.hypervisor} belongs to no lab: ${why}\n`);
  if (found.targets.size === 0) throw new ConfigError([`no lab found on ${found.hypervisor}: no domains with NICs on internal networks`]);
  const names = [...found.targets.keys()];
  process.stdout.write(`${names.length} ${names.length === 1 ? 'lab' : 'labs'} found on ${found.hypervisor}: ${names.join(', ')}\n`);
  const hosts = args.hosts ?? [];
  const named = !args.all && !args.shard && hosts.length === 1 && !/[*?]/.test(hosts[0]!) ? found.targets.get(hosts[0]!) : undefined;
  if (named) return gradeOne(named, args, checks, options);
  const selection = args.all || args.shard || hosts.length > 0;
  if (!selection && names.length === 1) return gradeOne(found.targets.get(names[0]!)!, args, checks, options);
  return gradeMany(args, checks, async () => options, found.targets);
}

process.on('SIGINT', () => {
  process.stderr.write('\nrouter-lab-grader: interrupted; the reports of finished labs are kept (--resume continues a class)\n');
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

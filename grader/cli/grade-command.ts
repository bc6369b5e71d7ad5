import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadCheckFile, listChecks, selectChecks } from '../config/check-file.ts';
import { ConfigError } from '../config/config-error.ts';
import { credentialsFromEnv } from '../config/credentials-from-env.ts';
import { loadEnvironmentWithWarnings } from '../config/environment.ts';
import { gradingProvenance } from '../config/grading-provenance.ts';
import { labCredentials } from '../config/lab-credentials.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';
import { output } from './output.ts';

// Grading: --list, one lab, or a class (loaded only for a class).
export async function gradeCommand(args: CliArgs, defaultChecks: string): Promise<number> {
  const checkFile = args.checks ?? defaultChecks;
  const allChecks = await loadCheckFile(checkFile);
  const checks = selectChecks(allChecks, args.only);
  if (args.list) {
    output.stdout.text(`${listChecks(checks)}\n`);
    return 0;
  }
  const hosts = args.hosts ?? [];
  const oneLab = !args.all && !args.shard && hosts.length === 1 && !/[*?]/.test(hosts[0]!);
  if (!args.all && hosts.length === 0) throw new ConfigError(['--host NAME or --all is required (see --help)']);
  if (args.gradescopeOut !== undefined && !oneLab) throw new ConfigError(['--gradescope-out is for one lab (--host NAME): a class gets DIR/gradescope/NAME/results.json per lab']);
  // Read only once the labs are known, so that every mistake in the inventory is reported first.
  const connectOptions = async (labs: readonly LabTarget[]) => {
    const { env, warnings } = loadEnvironmentWithWarnings(args.inventory);
    for (const warning of warnings) output.stderr.text(`router-lab-grader: ${warning}\n`);
    return {
      credentials: {},
      credentialsFor: labCredentials(labs, env, () => credentialsFromEnv(env)),
      knownHosts: await KnownHosts.load(args.knownHosts ?? (env.GRADER_KNOWN_HOSTS || join(homedir(), '.ssh', 'known_hosts'))),
      hostKeyPolicy: args.hostKeyChecking,
      readyTimeoutMs: args.connectTimeoutSeconds * 1000,
      provenance: await gradingProvenance(checkFile, args.only, allChecks.map((c) => c.id)),
    };
  };
  if (oneLab) return (await import('./grade-one.ts')).gradeOne(hosts[0]!, args, checks, connectOptions);
  return (await import('./grade-many.ts')).gradeMany(args, checks, connectOptions);
}

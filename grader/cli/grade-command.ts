import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadCheckFile, listChecks, selectChecks, type CheckSpec } from '../config/check-file.ts';
import { ConfigError } from '../config/config-error.ts';
import { credentialsFromEnv } from '../config/credentials-from-env.ts';
import { loadEnvironmentWithWarnings } from '../config/environment.ts';
import { gradingProvenance } from '../config/grading-provenance.ts';
import { findLabsOnHypervisor, parseEndpointOption, parseHypervisorOption } from '../config/hypervisor-labs.ts';
import { labCredentials } from '../config/lab-credentials.ts';
import { resolveLab } from '../config/resolve-lab.ts';
import { ROLES } from '../core/roles.ts';
import { probeOutDir } from '../report/out-dir.ts';
import type { ConnectOptions } from '../run/connect-lab.ts';
import type { GradeLabOptions } from '../run/grade-lab.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';
import { output } from './output.ts';

type ConnectOptionsFor = (labs: readonly LabTarget[]) => Promise<GradeLabOptions & ConnectOptions>;

// Grading: --list, one lab, or a class (loaded only for a class), from an inventory or --hypervisor.
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
  if (!args.all && hosts.length === 0 && !args.hypervisor) throw new ConfigError(['--host NAME or --all is required (see --help)']);
  if (args.gradescopeOut !== undefined && !oneLab && !args.hypervisor) throw new ConfigError(['--gradescope-out is for one lab (--host NAME): a class gets DIR/gradescope/NAME/results.json per lab']);
  // Read only once the labs are known, so that every mistake in the inventory is reported first.
  const connectOptions: ConnectOptionsFor = async (labs) => {
    const { env, warnings } = loadEnvironmentWithWarnings(args.inventory);
    for (const warning of warnings) output.stderr.line(`router-lab-grader: ${warning}`);
    return {
      credentials: {},
      credentialsFor: labCredentials(labs, env, () => credentialsFromEnv(env)),
      knownHosts: await KnownHosts.load(args.knownHosts ?? (env.GRADER_KNOWN_HOSTS || join(homedir(), '.ssh', 'known_hosts'))),
      hostKeyPolicy: args.hostKeyChecking,
      readyTimeoutMs: args.connectTimeoutSeconds * 1000,
      provenance: await gradingProvenance(checkFile, args.only, allChecks.map((c) => c.id)),
    };
  };
  if (args.hypervisor) return gradeOnHypervisor(args, checks, connectOptions);
  if (oneLab) {
    const lab = await resolveLab(args.inventory, hosts[0]!);
    // Before anything is read or connected to: a --out that cannot be written loses every result.
    await probeOutDir(args.out);
    return (await import('./grade-one.ts')).gradeOne(lab, args, checks, await connectOptions([lab]));
  }
  return (await import('./grade-many.ts')).gradeMany(args, checks, connectOptions);
}

// --hypervisor: the labs found there. One lab and no selection: graded as that lab; else a class.
// Labs found there name no credentials of their own: every VM gets the GRADER_SSH_* ones.
async function gradeOnHypervisor(args: CliArgs, checks: CheckSpec[], connectOptions: ConnectOptionsFor): Promise<number> {
  const user = args.user ?? process.env.USER ?? userInfo().username;
  const target = parseHypervisorOption(args.hypervisor!, user);
  const jump = args.jump ? parseEndpointOption('--jump', args.jump, user) : undefined;
  const shared: LabTarget = { name: 'hypervisor', vms: Object.fromEntries(ROLES.map((r) => [r, { port: 22, user, domain: '' }])) as LabTarget['vms'], hypervisor: target, ...(jump ? { jump } : {}) };
  await probeOutDir(args.out);
  const options = await connectOptions([shared]);
  const found = await findLabsOnHypervisor(target, { ...options, credentials: options.credentialsFor?.(shared, 'way') ?? {}, user, ...(jump ? { jump } : {}) });
  for (const { domain, why } of found.unassigned) output.stderr.line(`router-lab-grader: domain '${domain}' on ${found.hypervisor} belongs to no lab: ${why}`);
  if (found.targets.size === 0) throw new ConfigError([`no lab found on ${found.hypervisor}: no domains with NICs on internal networks`]);
  const names = [...found.targets.keys()];
  output.stdout.text(`${names.length} ${names.length === 1 ? 'lab' : 'labs'} found on ${found.hypervisor}: ${names.join(', ')}\n`);
  const hosts = args.hosts ?? [];
  const named = !args.all && !args.shard && hosts.length === 1 && !/[*?]/.test(hosts[0]!) ? found.targets.get(hosts[0]!) : undefined;
  const selection = args.all || args.shard || hosts.length > 0;
  const only = named ?? (!selection && names.length === 1 ? found.targets.get(names[0]!) : undefined);
  if (only) return (await import('./grade-one.ts')).gradeOne(only, args, checks, options, names);
  return (await import('./grade-many.ts')).gradeMany(args, checks, async () => options, found.targets);
}

import { userInfo } from 'node:os';
import { ConfigError } from '../config/config-error.ts';
import { findLabsOnHypervisor, parseHypervisorOption } from '../config/hypervisor-labs.ts';
import { resolveLab } from '../config/resolve-lab.ts';
import { ROLES, type Role } from '../core/roles.ts';
import { openHypervisor } from '../hypervisor/hypervisor.ts';
import { inspectHypervisor } from '../hypervisor/inspect.ts';
import { COURSE_KEY_PATH } from '../web/web-context.ts';
import { changedKeyLine, expectedServerKey, FINGERPRINT, knownServersFile, pinServerKey } from '../server/server-key-pin.ts';
import { serverAddress, serverEndpoint, submitLab } from '../server/submit-client.ts';
import type { AnnouncedVm } from '../server/submit-request.ts';
import type { StudentHypervisor } from '../server/virsh-relay-client.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import { EXIT_CONFIG_ERROR, EXIT_NOT_ALL_PASSED } from './exit-codes.ts';
import { output } from './output.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { optionsOf } from './option-table.ts';

export const SUBMIT_USAGE = `Usage: npm run grade -- submit URL --token TOKEN (--hypervisor local | --inventory FILE --host LAB)
              [--server-key FINGERPRINT]
       npm run grade -- submit --course-key URL [--hypervisor local | --inventory FILE --host LAB]
Submits your lab to the course server at URL: run it on the machine that reaches your three VMs.
It opens one connection to the server, which grades your lab live through it with the course's
key; your console shows the results and what to fix, then when the attempt was recorded. Your
machine relays only TCP streams to your VMs' SSH ports (and, with --hypervisor local, read-only
virsh queries about your lab's three domains); it opens no port and runs no command the server
sends. --course-key prints the course's public key and the lines that install it in your VMs.
The server's SSH host key is recorded on your first submit (in
$XDG_CONFIG_HOME or ~/.config, router-lab-grader/known_servers) and a changed one refused;
--server-key checks the fingerprint your instructor published instead. Exit 0 when every check
passed, 1 when not (or the grading was cut short), 2 when refused.`;

type VmList = { lab?: string; vms: Record<Role, AnnouncedVm>; hypervisor?: StudentHypervisor };

// The three VMs, found as a self-check finds them: an inventory's lab, or the one lab on this
// machine's libvirt (its VMs' addresses from libvirt's leases).
async function findVms(values: { hypervisor?: string | undefined; inventory?: string | undefined; host?: string | undefined; user?: string | undefined }): Promise<VmList> {
  const user = values.user ?? process.env.USER ?? userInfo().username;
  if (values.hypervisor) {
    if (values.hypervisor !== 'local') throw new ConfigError(['submit: --hypervisor local only: run submit on the machine whose libvirt runs your VMs']);
    const target = parseHypervisorOption('local', user);
    const found = await findLabsOnHypervisor(target, { credentials: {}, knownHosts: await KnownHosts.load('/dev/null'), hostKeyPolicy: 'off', user });
    if (found.targets.size !== 1) throw new ConfigError([`submit: ${found.targets.size} labs on this machine's libvirt (${[...found.targets.keys()].join(', ') || 'none'}): give --inventory FILE --host LAB`]);
    const lab = [...found.targets.values()][0]!;
    const hypervisor = await openHypervisor(target, { credentials: {}, knownHosts: await KnownHosts.load('/dev/null'), hostKeyPolicy: 'off' });
    const domains = Object.fromEntries(ROLES.filter((r) => lab.vms[r].domain).map((r) => [r, lab.vms[r].domain]));
    const facts = await inspectHypervisor(hypervisor, domains);
    await hypervisor.close();
    const vms = Object.fromEntries(
      ROLES.map((role) => {
        const host = facts.domains[role]?.managementAddress;
        if (!host) throw new ConfigError([`submit: no address for your ${role} VM on this machine's libvirt: ${facts.problems[role] ?? 'is it running?'}`]);
        return [role, { host, port: 22, user }];
      }),
    ) as Record<Role, AnnouncedVm>;
    // This machine is the hypervisor: it answers the grader's read-only virsh queries about these three domains.
    return { vms, ...(ROLES.every((r) => domains[r]) ? { hypervisor: { uri: target.uri, domains } } : {}) };
  }
  if (!values.inventory || !values.host) throw new ConfigError(['submit: say where your VMs are: --hypervisor local, or --inventory FILE --host LAB']);
  const lab = await resolveLab(values.inventory, values.host);
  const vms = Object.fromEntries(
    ROLES.map((role) => {
      const vm = lab.vms[role];
      if (!vm.host) throw new ConfigError([`submit: the inventory gives no address for ${role} of ${lab.name}: give its address, or use --hypervisor local`]);
      return [role, { host: vm.host, port: vm.port, user: vm.user }];
    }),
  ) as Record<Role, AnnouncedVm>;
  return { lab: lab.name, vms };
}

async function printCourseKey(url: string, vms: VmList | undefined): Promise<number> {
  serverEndpoint(url);
  let key: string;
  try {
    const response = await fetch(new URL(COURSE_KEY_PATH, url), { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    key = (await response.text()).trim();
  } catch (error) {
    output.stderr.line(`router-lab-grader: could not fetch the course key from ${url}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_CONFIG_ERROR;
  }
  if (!/^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) [A-Za-z0-9+/=]+( [\w.@-]+)?$/.test(key)) {
    output.stderr.line(`router-lab-grader: ${url}${COURSE_KEY_PATH} did not answer with an SSH public key`);
    return EXIT_CONFIG_ERROR;
  }
  const targets = vms ? ROLES.map((r) => `${vms.vms[r].user}@${vms.vms[r].host}${vms.vms[r].port === 22 ? '' : ` -p ${vms.vms[r].port}`}`) : ROLES.map((r) => `USER@${r.toUpperCase()}_ADDRESS`);
  output.stdout.text(`${key}\n\n# Save it and install it in each of your VMs:\ncat > course_key.pub <<'KEY'\n${key}\nKEY\n${targets.map((t) => `ssh-copy-id -f -i course_key.pub ${t}`).join('\n')}\n`);
  return 0;
}

// `submit`: the student's side of the course server.
export async function submitCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, SUBMIT_USAGE)) return 0;
  const { values, positionals } = parseSubcommandArgs('submit', argv, {
    ...optionsOf(['hypervisor', 'inventory', 'host', 'user']),
    token: { type: 'string' },
    'course-key': { type: 'string' },
    'server-key': { type: 'string' },
  });
  if (values['course-key'] !== undefined) {
    const located = values.hypervisor || (values.inventory && values.host) ? await findVms(values) : undefined;
    return printCourseKey(values['course-key'], located);
  }
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push('submit: give the course server\'s URL (submit URL --token TOKEN)');
  const token = values.token ?? process.env.GRADER_SUBMIT_TOKEN;
  if (!token) problems.push('submit: --token TOKEN is required (the one your instructor sent you)');
  const published = values['server-key'];
  if (published !== undefined && !FINGERPRINT.test(published)) problems.push(`submit: --server-key must be a fingerprint as serve prints it (SHA256: and 43 characters), not '${published}'`);
  if (problems.length > 0) throw new ConfigError(problems);
  let address: string;
  try {
    address = serverAddress(serverEndpoint(positionals[0]!));
  } catch (error) {
    throw new ConfigError([`submit: ${(error as Error).message}`]);
  }
  const found = await findVms(values);
  const expected = await expectedServerKey(address, published, knownServersFile());
  let seen: string | undefined;
  const outcome = await submitLab({
    acceptServerKey: (fingerprint) => {
      seen = fingerprint;
      return expected.from === 'first-use' || fingerprint === expected.fingerprint;
    },
    url: positionals[0]!,
    token: token!,
    ...found,
    color: Boolean(output.stdout.isTTY) && !process.env.NO_COLOR,
    ...(output.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {}),
    stdout: process.stdout,
    stderr: process.stderr,
  });
  // The key is pinned once it was seen and accepted (even if the token then was not).
  if (seen && outcome.kind !== 'wrong-server-key') await pinServerKey(knownServersFile(), address, seen);
  switch (outcome.kind) {
    case 'wrong-server-key':
      output.stderr.line(`router-lab-grader: ${changedKeyLine(positionals[0]!, seen!, expected as Exclude<typeof expected, { from: 'first-use' }>)}`);
      return EXIT_CONFIG_ERROR;
    case 'answered':
      return outcome.exitCode;
    case 'refused-token':
      output.stderr.line('router-lab-grader: the server refused this token (unknown or revoked): check it, or ask your instructor for a new one');
      return EXIT_CONFIG_ERROR;
    case 'unreachable':
      output.stderr.line(`router-lab-grader: could not reach the course server at ${positionals[0]}: ${outcome.reason}`);
      return EXIT_CONFIG_ERROR;
    case 'dropped':
      output.stderr.line('router-lab-grader: the connection to the course server dropped before the result: this attempt is not a grade; run submit again');
      return EXIT_NOT_ALL_PASSED;
  }
}

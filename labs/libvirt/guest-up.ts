// Each guest's part of `up`, once the lab's slot, state and image are there: boot, log in, and do
// the student's part as the student would type it.
import { mkdir, writeFile } from 'node:fs/promises';
import { managementFromLeases } from './addresses.ts';
import { LabError } from './errors.ts';
import type { RemoteHost } from '../../grader/transport/remote-host.ts';
import { createOverlay, generatePassword, NIC_NAMES_COMMAND, parseNicNames, studentRun, waitForStudent, writeSeed } from './debian-guest.ts';
import { sshOk, waitForSsh, type GuestTarget } from './guest-ssh.ts';
import { envFile, inventoryYaml, knownHosts } from './outputs.ts';
import { slotOrigin } from './state.ts';
import { STUDENT_USER, VM_ROLES, type VmAddresses, type VmLabPlan, type VmRole } from './plan.ts';
import { dhcpSteps, studentSteps } from './student-steps.ts';

import { confirmInternalAddresses, startMachines, waitFor, waitForLeases, writeKeysAndInitrds } from './boot.ts';

/**
 * Debian guests: overlays and seeds, boot until the management NICs lease, log in as `student`
 * with the password, then the student's part as typed: `sudo dhclient -v NIC` on every internal
 * NIC, `sudo sysctl -w net.ipv4.ip_forward=1` on the router, `sudo ip route add ...` on VM1 and VM3.
 */
export async function debianUp(
  plan: VmLabPlan,
  check: () => void,
  log: (line: string) => void,
  bootTimeoutMs: number,
  signal: AbortSignal | undefined,
  password = generatePassword(),
): Promise<{ addresses: VmAddresses; bootMs: number; sshMs: number }> {
  const base = plan.image.disk;
  if (base === undefined) throw new LabError('the Debian image has no base disk');
  const hostKeys = {} as Record<VmRole, string>;
  await Promise.all(
    VM_ROLES.map(async (role) => {
      await mkdir(plan.vms[role].dir, { recursive: true });
      await createOverlay(base, plan.vms[role].disk);
      hostKeys[role] = await writeSeed(plan, role, password);
    }),
  );
  // The grader's .env is written first: a student's lab has the password before the VMs boot.
  await writeFile(plan.paths.env, envFile(plan, password), { mode: 0o600 });
  check();
  const bootStarted = Date.now();
  await startMachines(plan, check);
  log(`domains ${VM_ROLES.map((r) => plan.vms[r].domain).join(', ')} started (${plan.domainType}, ${plan.nic} NICs, Debian); waiting for the management DHCP leases`);
  const deadline = bootStarted + bootTimeoutMs;
  const management = await waitFor(plan, deadline, check, log, (leases) => {
    const result = managementFromLeases(plan, leases);
    return { value: result.management, waitingFor: result.waitingFor };
  });
  const bootMs = Date.now() - bootStarted;
  log(`management leases after ${(bootMs / 1000).toFixed(1)} s: vm1 ${management.vm1}, router ${management.router}, vm3 ${management.vm3}`);
  await writeFile(plan.paths.knownHosts, VM_ROLES.map((role) => `${management[role]} ${hostKeys[role]}\n`).join(''));

  const sshStarted = Date.now();
  const hosts = {} as Record<VmRole, RemoteHost>;
  try {
    await Promise.all(
      VM_ROLES.map(async (role) => {
        const login = { address: management[role], password, knownHostsPath: plan.paths.knownHosts };
        hosts[role] = await waitForStudent(role, login, deadline, `${role} (${plan.vms[role].domain})`, signal);
      }),
    );
    const sshMs = Date.now() - sshStarted;
    log(`logged in as ${STUDENT_USER} on all three after ${(sshMs / 1000).toFixed(1)} s`);
    const what = (role: VmRole): string => `${role} (${plan.vms[role].domain})`;
    const names = {} as Record<VmRole, Record<string, string>>;
    await Promise.all(VM_ROLES.map(async (role) => (names[role] = parseNicNames(await studentRun(hosts[role], NIC_NAMES_COMMAND, password, what(role))))));
    const dhcp = dhcpSteps(plan, names);
    await Promise.all(
      VM_ROLES.map(async (role) => {
        for (const step of dhcp.filter((s) => s.role === role)) {
          check();
          log(`${role}: ${step.command}`);
          await studentRun(hosts[role], step.command, password, what(role));
        }
      }),
    );
    const addresses = await waitForLeases(plan, Date.now() + 60_000, check, log);
    await confirmInternalAddresses(plan, addresses, (role, command) => studentRun(hosts[role], command, password, what(role)));
    for (const step of studentSteps(plan, addresses)) {
      check();
      log(`${step.role}: ${step.command}`);
      await studentRun(hosts[step.role], step.command, password, what(step.role));
    }
    await writeFile(plan.paths.inventory, inventoryYaml(plan, addresses, await slotOrigin(plan.slot)));
    await writeFile(plan.paths.knownHosts, knownHosts(addresses, hostKeys));
    return { addresses, bootMs, sshMs };
  } finally {
    await Promise.allSettled(Object.values(hosts).map((host) => host.close()));
  }
}

/**
 * BusyBox guests: each VM's keys in its initrd, boot until every NIC leases, log in as root with
 * the lab's key, then the student's part as typed: forwarding on the router, the routes of VM1 and VM3.
 */
export async function busyboxUp(
  plan: VmLabPlan,
  baseInitrd: string,
  check: () => void,
  log: (line: string) => void,
  bootTimeoutMs: number,
  signal: AbortSignal | undefined,
  clientKey?: string,
): Promise<{ addresses: VmAddresses; bootMs: number; sshMs: number }> {
  const hostKeys = await writeKeysAndInitrds(plan, baseInitrd, clientKey);
  check();
  const bootStarted = Date.now();
  await startMachines(plan, check);
  log(`domains ${VM_ROLES.map((r) => plan.vms[r].domain).join(', ')} started (${plan.domainType}, ${plan.nic} NICs); waiting for DHCP leases`);
  const deadline = bootStarted + bootTimeoutMs;
  const addresses = await waitForLeases(plan, deadline, check, log);
  const bootMs = Date.now() - bootStarted;
  log(`leases after ${(bootMs / 1000).toFixed(1)} s: vm1 ${addresses.vm1.management}, router ${addresses.router.management}, vm3 ${addresses.vm3.management}`);

  await writeFile(plan.paths.knownHosts, knownHosts(addresses, hostKeys));
  const targets = {} as Record<VmRole, GuestTarget>;
  for (const role of VM_ROLES) {
    targets[role] = { address: addresses[role].management, keyPath: plan.paths.privateKey, knownHostsPath: plan.paths.knownHosts };
  }
  const sshStarted = Date.now();
  await Promise.all(VM_ROLES.map((role) => waitForSsh(targets[role], deadline, `${role} (${plan.vms[role].domain})`, signal)));
  const sshMs = Date.now() - sshStarted;
  check();
  await confirmInternalAddresses(plan, addresses, async (role, command) => (await sshOk(targets[role], command, `${role} (${plan.vms[role].domain})`)).stdout);

  for (const step of studentSteps(plan, addresses)) {
    check();
    log(`${step.role}: ${step.command}`);
    await sshOk(targets[step.role], step.command, `${step.role} (${plan.vms[step.role].domain})`);
  }
  await writeFile(plan.paths.inventory, inventoryYaml(plan, addresses, await slotOrigin(plan.slot)));
  await writeFile(plan.paths.env, envFile(plan));
  return { addresses, bootMs, sshMs };
}

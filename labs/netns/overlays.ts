// A variant's tool changes (variant-spec.ts) as the overlays sshd mounts in a VM: whiteouts hide a
// program, scripts replace one. Pure.
import { join } from 'node:path';
import { fakeIperf3ServerScript } from './fake-server.ts';
import { fakeToolScript, type FakeableTool } from './fake-tools.ts';
import { ONE_WAY_DIR, oneWayScript } from './one-way.ts';
import { BASHRC_ANSWER, BASHRC_HOOK_FILE, BASHRC_KIT_DIR, bashrcAnswerScript, bashrcHookLine } from './bashrc-kit.ts';
import { SUDO_DIR, sudoShimScript } from './sudo-shim.ts';
import { TAKEOVER_DIR, TAKEOVER_HELPER, TAKEOVER_WRAPPED, takeoverHelperScript, takeoverWrapperScript } from './takeover-kit.ts';
import type { BinOverlay, LabAddresses } from './plan-types.ts';
import type { ToolChange } from './variant-spec.ts';

/**
 * Where each faked tool goes so that it is the one found on the PATH: Debian's traceroute package
 * puts `traceroute` in /usr/sbin as well as /usr/bin, and root's PATH has /usr/sbin first.
 */
export const FAKE_TOOL_DIRS: Record<FakeableTool, readonly BinOverlay['target'][]> = {
  ping: ['/usr/bin'],
  traceroute: ['/usr/bin', '/usr/sbin'],
  iperf3: ['/usr/bin'],
};

/** The overlays of one VM whose sshd keeps its files in `dir`: the variant's tool changes. */
export function overlaysFor(changes: readonly ToolChange[], dir: string, addresses: LabAddresses): BinOverlay[] {
  return changes.flatMap((change): BinOverlay[] => {
    switch (change.kind) {
      case 'missing':
        return [{ target: '/usr/bin', dir: join(dir, `hide-${change.tool}`), entries: [{ name: change.tool, whiteout: true }] }];
      case 'one-way': {
        const entries = (['ping', 'traceroute'] as const).map((tool) => ({ name: tool, script: oneWayScript(tool, addresses.router.internal1) }));
        return [{ target: ONE_WAY_DIR, dir: join(dir, 'one-way'), entries }];
      }
      case 'takeover-kit': {
        const entries = [
          ...TAKEOVER_WRAPPED.map((tool) => ({ name: tool, script: takeoverWrapperScript(tool) })),
          { name: TAKEOVER_HELPER, script: takeoverHelperScript() },
        ];
        return [{ target: TAKEOVER_DIR, dir: join(dir, 'takeover-kit'), entries }];
      }
      case 'bashrc-hook': {
        const entries = [
          { name: BASHRC_ANSWER, script: bashrcAnswerScript(addresses.router.internal1, addresses.router.internal2) },
          { name: BASHRC_HOOK_FILE, script: bashrcHookLine() },
        ];
        return [{ target: BASHRC_KIT_DIR, dir: join(dir, 'bashrc-kit'), entries }];
      }
      case 'fake-iperf3-server': {
        const script = fakeIperf3ServerScript({
          vm1Internal: addresses.vm1.internal,
          vm3Internal: addresses.vm3.internal,
          routerInternal2: addresses.router.internal2,
        });
        return [{ target: '/usr/bin', dir: join(dir, 'fake-usr-bin'), entries: [{ name: 'iperf3', script }] }];
      }
      case 'fake': {
        const script = (tool: FakeableTool) =>
          fakeToolScript(tool, { routerInternal1: addresses.router.internal1, vm1Internal: addresses.vm1.internal });
        return (['/usr/bin', '/usr/sbin'] as const).flatMap((target): BinOverlay[] => {
          const tools = change.tools.filter((tool) => FAKE_TOOL_DIRS[tool].includes(target));
          if (tools.length === 0) return [];
          const entries = tools.map((tool) => ({ name: tool, script: script(tool) }));
          return [{ target, dir: join(dir, `fake${target.replace(/\//g, '-')}`), entries }];
        });
      }
    }
  });
}

/**
 * What sshd mounts in a VM: its variant's overlays plus, on every VM, the `sudo` shim (in the
 * variant's own layer on /usr/bin when it has one: one overlay per directory, never two stacked).
 */
export function mountedOverlays(sshd: { dir: string; overlays: readonly BinOverlay[] }): BinOverlay[] {
  const sudo = { name: 'sudo', script: sudoShimScript() };
  const onSudoDir = sshd.overlays.find((o) => o.target === SUDO_DIR);
  if (!onSudoDir) return [...sshd.overlays, { target: SUDO_DIR, dir: join(sshd.dir, 'usr-bin'), entries: [sudo] }];
  return sshd.overlays.map((o) => (o === onSudoDir ? { ...o, entries: [...o.entries, sudo] } : o));
}

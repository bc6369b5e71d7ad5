// Forwarding off on one NIC of the router (net.ipv4.ip_forward = 1, net.ipv4.conf.<nic>.forwarding
// = 0, as systemd-networkd leaves a link whose .network file does not turn it on): the router
// forwards nothing that arrives on that NIC. `sysctl -w net.ipv4.ip_forward=1` changes nothing
// then (it is 1 already): the fix sets that NIC's own value.
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import type { LabView } from './lab-view.ts';
import { textsOf } from './subject-fields.ts';

/** The ip-forward verdict's reason for a NIC of the path with its own forwarding off. */
export const NIC_FORWARDING_OFF = 'nic-forwarding-off';

function towardOf(view: LabView, nic: string): string | undefined {
  if (view.routerOnVm1?.interface === nic) return 'VM1';
  if (view.routerOnVm3?.interface === nic) return 'VM3';
  return undefined;
}

export function persistNicForwarding(nic: string): string {
  const setting = `net.ipv4.conf.${nic}.forwarding=1`;
  return (
    `\`sysctl -w\` lasts until the next boot: \`echo ${setting} | sudo tee /etc/sysctl.d/99-router-lab-${nic}.conf\` keeps it; ` +
    `where systemd-networkd manages ${nic}, set \`IPv4Forwarding=yes\` (\`IPForward=yes\` before systemd 256) in the [Network] section of its .network file instead, or networkd turns it off again.`
  );
}

export function nicForwardingOff(view: LabView): Diagnosis[] {
  const result = view.results.find((r) => r.kind === 'ip-forward' && r.host === 'router' && r.status === 'fail' && r.reason === NIC_FORWARDING_OFF);
  if (!result) return [];
  return textsOf(result.subject, 'nics').map((nic) => {
    const toward = towardOf(view, nic);
    return {
      cause: 'forwarding-off',
      host: 'router',
      nic,
      summary: `The router forwards nothing that arrives on ${nic}${toward ? ` (its NIC toward ${toward})` : ''}: net.ipv4.ip_forward is 1, but net.ipv4.conf.${nic}.forwarding is 0.`,
      fix: [`sudo sysctl -w net.ipv4.conf.${nic}.forwarding=1`],
      persist: persistNicForwarding(nic),
      evidence: [`on the router: net.ipv4.ip_forward = 1, net.ipv4.conf.${nic}.forwarding = 0`],
      results: [resultName(result)],
    };
  });
}

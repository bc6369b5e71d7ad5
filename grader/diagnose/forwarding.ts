// Forwarding off on one NIC of the router (net.ipv4.ip_forward = 1, net.ipv4.conf.<nic>.forwarding
// = 0, as systemd-networkd leaves a link whose .network file does not turn it on): the router
// forwards nothing that arrives on that NIC. `sysctl -w net.ipv4.ip_forward=1` changes nothing
// then (it is 1 already): the fix sets that NIC's own value.
import { sh } from '../core/shell-quote.ts';
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import type { LabView } from './lab-view.ts';
import { persistSysctl } from './persistence.ts';
import { textsOf } from './subject-fields.ts';

/** The ip-forward verdict's reason for a NIC of the path with its own forwarding off. */
export const NIC_FORWARDING_OFF = 'nic-forwarding-off';

function towardOf(view: LabView, nic: string): string | undefined {
  if (view.routerOnVm1?.interface === nic) return 'VM1';
  if (view.routerOnVm3?.interface === nic) return 'VM3';
  return undefined;
}

// A NIC's forwarding key as sysctl takes it: a NIC name with a dot (a VLAN, ens5.10) needs the
// slash form, where the dots of the name are not separators.
function forwardingKey(nic: string): string {
  return nic.includes('.') ? `net/ipv4/conf/${nic}/forwarding` : `net.ipv4.conf.${nic}.forwarding`;
}

export function persistNicForwarding(nic: string): string {
  return (
    `${persistSysctl(sh`${`${forwardingKey(nic)}=1`}`)} ` +
    `Where systemd-networkd manages ${nic}, set \`IPv4Forwarding=yes\` (\`IPForward=yes\` before systemd 256) in the [Network] section of its .network file instead, or networkd turns it off again.`
  );
}

export function nicForwardingOff(view: LabView): Diagnosis[] {
  const result = view.results.find((r) => r.kind === 'ip-forward' && r.host === 'router' && r.status === 'fail' && r.reason === NIC_FORWARDING_OFF);
  // ip_forward itself off, as the router's command session read it (a hook answering the witness
  // read): that is routing.ts's forwarding-off, whose fix sets every NIC's value too.
  if (!result || view.observed.router?.ipForward === '0') return [];
  return textsOf(result.subject, 'nics').map((nic) => {
    const toward = towardOf(view, nic);
    return {
      cause: 'forwarding-off',
      host: 'router',
      nic,
      summary: `The router forwards nothing that arrives on ${nic}${toward ? ` (its NIC toward ${toward})` : ''}: net.ipv4.ip_forward is 1, but net.ipv4.conf.${nic}.forwarding is 0.`,
      fix: [sh`sudo sysctl -w ${`${forwardingKey(nic)}=1`}`],
      persist: persistNicForwarding(nic),
      evidence: [`on the router: net.ipv4.ip_forward = 1, net.ipv4.conf.${nic}.forwarding = 0`],
      results: [resultName(result)],
    };
  });
}

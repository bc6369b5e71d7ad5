// The two `Ip:` lines of /proc/net/snmp (names, then values), as the kernel of the VM counts them:
// `Forwarding` is the kernel's own forwarding setting (1 on, 2 off, whatever a file mounted over
// /proc/sys/net/ipv4/ip_forward says), `ForwDatagrams` what it forwarded, `InAddrErrors` what it
// refused because it was not for this host (with forwarding off, every packet to be routed on).
// Pure; lines before and after (a login script's noise, other output) do not matter.
export function parseSnmpIp(text: string): Record<string, number> {
  const [names, values] = [...text.matchAll(/^Ip: (.*)$/gm)].map((m) => (m[1] ?? '').trim().split(/\s+/));
  const out: Record<string, number> = {};
  if (!names || !values) return out;
  names.forEach((name, i) => {
    const value = Number(values[i]);
    if (/^[A-Za-z]+$/.test(name) && values[i] !== undefined && /^\d+$/.test(values[i]!) && Number.isSafeInteger(value)) out[name] = value;
  });
  return out;
}

/** The kernel's forwarding setting from `Ip: Forwarding` (1 forwarding, 2 not), as ip_forward would say it; undefined when absent. */
export function kernelForwarding(ip: Record<string, number>): '1' | '0' | undefined {
  return ip.Forwarding === 1 ? '1' : ip.Forwarding === 2 ? '0' : undefined;
}

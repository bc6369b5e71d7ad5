// The `one-way` variant's fakes: VM1's ping and traceroute print a success and send real requests
// that the router forwards and nobody answers. Pure.
import { fakePingScript, fakeTracerouteScript } from './fake-tools.ts';

/** Where the `one-way` variant's fakes go: before /usr/bin and /usr/sbin on the PATH, so the real tools stay. */
export const ONE_WAY_DIR = '/usr/local/bin';

/**
 * `one-way`: VM1's ping or traceroute, faked as the fake-* scripts, and sending real echo requests
 * to the target meanwhile (twice ping's count, four for traceroute, through the router, which
 * forwards them; VM3 has no route back, so no reply returns), so that the router's forwarded
 * datagrams and both its NICs' counters move.
 */
export function oneWayScript(tool: 'ping' | 'traceroute', routerInternal1: string): string {
  const script = tool === 'ping' ? fakePingScript() : fakeTracerouteScript(routerInternal1);
  const requests = tool === 'ping' ? '$((count * 2))' : '4';
  const marker = tool === 'ping' ? 'echo "PING $target' : 'echo "traceroute to $target';
  const sender = `/usr/bin/ping -q -c ${requests} -i 0.05 -w 3 "$target" </dev/null >/dev/null 2>&1 &\n`;
  if (!script.includes(marker)) throw new Error(`the ${tool} fake changed: no line to send from`);
  return script.replace(marker, `${sender}${marker}`).replace(/^# .*faked.*$/m, `# ${tool}, faked, sending real one-way echo requests meanwhile.`);
}

// The `fake-*` variants' tools: POSIX sh scripts a student might put in place of ping, traceroute
// and iperf3 on VM1 so that the exercise's tests "succeed" on a network that does not work. Pure:
// the scripts are text, with the lab's addresses baked in as a student would hard-code them.

export const FAKEABLE_TOOLS = ['ping', 'traceroute', 'iperf3'] as const;
export type FakeableTool = (typeof FAKEABLE_TOOLS)[number];

/** The throughput the fake iperf3 claims, in Mbit/s: well above the grader's 100 Mbit/s floor. */
export const FAKE_IPERF_MBPS = 900;

// Every address is a dotted quad checked here before it goes into a script.
function dottedQuad(value: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) throw new Error(`not an IPv4 address: ${value}`);
  return value;
}

/**
 * iputils' output of a perfect run (every reply, ttl=63: "one router on the way"), for whatever
 * address it is given, paced by `-i`; exit 0.
 */
export function fakePingScript(): string {
  return `#!/bin/sh
# ping, faked: iputils' output of a perfect run through one router, whatever the network does.
count=4 interval=1 target=
while [ $# -gt 0 ]; do
  case $1 in
    -c) count=$2; shift ;;
    -c*) count=\${1#-c} ;;
    -i) interval=$2; shift ;;
    -i*) interval=\${1#-i} ;;
    -[wWsItQlmMpSF]) shift ;;
    -*) ;;
    *) target=$1 ;;
  esac
  shift
done
if [ -z "$target" ]; then
  echo 'ping: usage error: Destination address required' >&2
  exit 1
fi
echo "PING $target ($target) 56(84) bytes of data."
seq=1 min=999 max=0 sum=0
while [ "$seq" -le "$count" ]; do
  [ "$seq" -gt 1 ] && sleep "$interval"
  us=$((310 + seq * 37 % 190))
  [ "$us" -lt "$min" ] && min=$us
  [ "$us" -gt "$max" ] && max=$us
  sum=$((sum + us))
  printf '64 bytes from %s: icmp_seq=%d ttl=63 time=0.%03d ms\\n' "$target" "$seq" "$us"
  seq=$((seq + 1))
done
elapsed=$(awk -v c="$count" -v i="$interval" 'BEGIN { printf "%d", (c - 1) * i * 1000 + 3 }')
echo
echo "--- $target ping statistics ---"
echo "$count packets transmitted, $count received, 0% packet loss, time \${elapsed}ms"
printf 'rtt min/avg/max/mdev = 0.%03d/0.%03d/0.%03d/0.041 ms\\n' "$min" "$((sum / count))" "$max"
exit 0
`;
}

/**
 * Debian traceroute's output of a two-hop trace: the router's internal-network-1 address (baked in
 * at lab build time), then the target; exit 0.
 */
export function fakeTracerouteScript(routerInternal1: string): string {
  return `#!/bin/sh
# traceroute, faked: the router's address, hard-coded, then the target, whatever the network does.
router=${dottedQuad(routerInternal1)}
hops=30 probes=3 target=
while [ $# -gt 0 ]; do
  case $1 in
    -m) hops=$2; shift ;;
    -q) probes=$2; shift ;;
    -[wfpsizNtgM]) shift ;;
    -*) ;;
    *) [ -z "$target" ] && target=$1 ;;
  esac
  shift
done
if [ -z "$target" ]; then
  echo 'Usage: traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] host [ packetlen ]' >&2
  exit 2
fi
hop() {
  printf ' %d  %s' "$1" "$2"
  n=1
  while [ "$n" -le "$probes" ]; do
    printf '  0.%03d ms' $(((n * 97 + $1 * 211) % 400 + $1 * 150))
    n=$((n + 1))
  done
  echo
}
echo "traceroute to $target ($target), $hops hops max, 60 byte packets"
hop 1 "$router"
hop 2 "$target"
exit 0
`;
}

/**
 * iperf3's client output for a test at FAKE_IPERF_MBPS (with -J: the JSON of a recorded client
 * run, fixtures/iperf3/tcp-via-router.json, with VM1's internal address and the figures
 * rewritten), after waiting the test's `-t`; exit 0. Only the client side is faked.
 */
export function fakeIperf3Script(vm1Internal: string): string {
  const receivedBps = FAKE_IPERF_MBPS * 1e6;
  const sentBps = receivedBps * 1.0034;
  return `#!/bin/sh
# iperf3, faked: a recorded client report with the addresses and the figures rewritten.
local_host=${dottedQuad(vm1Internal)}
json=0 target= port=5201 time=10
while [ $# -gt 0 ]; do
  case $1 in
    -J|--json) json=1 ;;
    -c|--client) target=$2; shift ;;
    -p|--port) port=$2; shift ;;
    -t|--time) time=$2; shift ;;
    -v|--version) echo 'iperf 3.12 (cJSON 1.7.15)'; exit 0 ;;
    --connect-timeout|-b|--bitrate|-l|--length|-P|--parallel|-w|--window|-i|--interval|-B|--bind|-O|--omit|-T|--title|-C|--congestion) shift ;;
  esac
  shift
done
if [ -z "$target" ]; then
  echo 'iperf3: parameter error - must either be a client (-c) or server (-s)' >&2
  exit 1
fi
sleep "$time"
sent=$((${Math.round(sentBps / 8)} * time))
received=$((${receivedBps / 8} * time))
if [ "$json" = 0 ]; then
  echo "Connecting to host $target, port $port"
  echo "[  5] local $local_host port 48552 connected to $target port $port"
  echo '[ ID] Interval           Transfer     Bitrate         Retr'
  printf '[  5]   0.00-%d.00  sec  %d MBytes   ${(sentBps / 1e6).toFixed(0)} Mbits/sec    0             sender\\n' "$time" $((sent / 1048576))
  printf '[  5]   0.00-%d.00  sec  %d MBytes   ${FAKE_IPERF_MBPS} Mbits/sec                  receiver\\n' "$time" $((received / 1048576))
  echo
  echo 'iperf Done.'
  exit 0
fi
per=$((received / time))
intervals= i=0
while [ "$i" -lt "$time" ]; do
  [ -n "$intervals" ] && intervals="$intervals, "
  sum="\\"start\\": $i, \\"end\\": $((i + 1)), \\"seconds\\": 1, \\"bytes\\": $per, \\"bits_per_second\\": ${receivedBps}, \\"retransmits\\": 0, \\"omitted\\": false, \\"sender\\": true"
  intervals="$intervals{\\"streams\\": [{\\"socket\\": 5, $sum}], \\"sum\\": {$sum}}"
  i=$((i + 1))
done
now=$(date -u '+%a, %d %b %Y %H:%M:%S GMT')
secs=$(date -u +%s)
cat <<EOF
{
	"start":	{
		"connected":	[{
				"socket":	5,
				"local_host":	"$local_host",
				"local_port":	48552,
				"remote_host":	"$target",
				"remote_port":	$port
			}],
		"version":	"iperf 3.12",
		"system_info":	"Linux vm1 6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01) x86_64",
		"timestamp":	{
			"time":	"$now",
			"timesecs":	$secs
		},
		"connecting_to":	{
			"host":	"$target",
			"port":	$port
		},
		"cookie":	"gabpx5bevyxnkuvv5u7igzydl2wjxv2ukcsi",
		"tcp_mss_default":	1448,
		"target_bitrate":	0,
		"sock_bufsize":	0,
		"sndbuf_actual":	16384,
		"rcvbuf_actual":	131072,
		"test_start":	{
			"protocol":	"TCP",
			"num_streams":	1,
			"blksize":	131072,
			"omit":	0,
			"duration":	$time,
			"bytes":	0,
			"blocks":	0,
			"reverse":	0,
			"tos":	0,
			"target_bitrate":	0
		}
	},
	"intervals":	[$intervals],
	"end":	{
		"streams":	[{
				"sender":	{
					"socket":	5,
					"start":	0,
					"end":	$time.000103,
					"seconds":	$time.000103,
					"bytes":	$sent,
					"bits_per_second":	${sentBps},
					"retransmits":	0,
					"max_snd_cwnd":	3145728,
					"max_snd_wnd":	3137536,
					"max_rtt":	412,
					"min_rtt":	96,
					"mean_rtt":	201,
					"sender":	true
				},
				"receiver":	{
					"socket":	5,
					"start":	0,
					"end":	$time.000431,
					"seconds":	$time.000103,
					"bytes":	$received,
					"bits_per_second":	${receivedBps},
					"sender":	true
				}
			}],
		"sum_sent":	{
			"start":	0,
			"end":	$time.000103,
			"seconds":	$time.000103,
			"bytes":	$sent,
			"bits_per_second":	${sentBps},
			"retransmits":	0,
			"sender":	true
		},
		"sum_received":	{
			"start":	0,
			"end":	$time.000431,
			"seconds":	$time.000431,
			"bytes":	$received,
			"bits_per_second":	${receivedBps},
			"sender":	true
		},
		"cpu_utilization_percent":	{
			"host_total":	11.2792365723849675,
			"host_user":	0.42797358840837905,
			"host_system":	10.851262984,
			"remote_total":	32.1217622006562871,
			"remote_user":	1.46174484595206511,
			"remote_system":	30.6600173547042221
		},
		"sender_tcp_congestion":	"cubic",
		"receiver_tcp_congestion":	"cubic"
	}
}
EOF
exit 0
`;
}

/** The script that replaces `tool`, given the lab's addresses. */
export function fakeToolScript(tool: FakeableTool, addresses: { routerInternal1: string; vm1Internal: string }): string {
  switch (tool) {
    case 'ping':
      return fakePingScript();
    case 'traceroute':
      return fakeTracerouteScript(addresses.routerInternal1);
    case 'iperf3':
      return fakeIperf3Script(addresses.vm1Internal);
  }
}

/**
 * How long VM3's fake iperf3 server floods the router, in the background: longer than the grader's
 * test (2 s in the end-to-end suite, 5 s by default) takes from the server's start.
 */
export const FAKE_SERVER_FLOOD_SECONDS = 4;

/**
 * VM3's iperf3 in `fake-all-chatter`, for the grader's one-off server (`iperf3 -s -1 -J -p PORT`):
 * it starts, in the background, a flood of large pings to the router's own address on internal
 * network 2 (the router's replies leave by its NIC toward VM3: bulk bytes, nothing forwarded), and
 * at once prints the JSON of a server that received VM1's test at FAKE_IPERF_MBPS
 * (fixtures/iperf3/server-json-mode.json, addresses and figures rewritten). Answering at once
 * keeps it clear of the grader's wait for the server; the flood outlives it.
 */
export function fakeIperf3ServerScript(addresses: { vm1Internal: string; vm3Internal: string; routerInternal2: string }): string {
  const bps = FAKE_IPERF_MBPS * 1e6;
  const seconds = 2; // the test the report claims
  const bytes = (bps / 8) * seconds;
  const sum = (sender: boolean, b: number, rate: number) =>
    `{ "start": 0, "end": ${seconds}.004837, "seconds": ${seconds}.004837, "bytes": ${b}, "bits_per_second": ${rate}, "sender": ${sender} }`;
  const intervals = Array.from({ length: seconds }, (_, i) => {
    const s = `"socket": 5, "start": ${i}, "end": ${i + 1}, "seconds": 1, "bytes": ${bps / 8}, "bits_per_second": ${bps}, "omitted": false, "sender": false`;
    return `{ "streams": [{ ${s} }], "sum": { ${s.replace('"socket": 5, ', '')} } }`;
  }).join(', ');
  return `#!/bin/sh
# iperf3, faked on VM3 for the grader's one-off server: cover traffic through the router's NIC
# toward VM3 (answered by the router itself, nothing forwarded), then a server report of VM1's test.
server=0
for arg in "$@"; do
  case $arg in
    -s|--server) server=1 ;;
    -v|--version) echo 'iperf 3.12 (cJSON 1.7.15)'; exit 0 ;;
  esac
done
if [ "$server" = 0 ]; then
  echo 'iperf3: error - unable to connect to server - server may have stopped running or not started right' >&2
  exit 1
fi
ping -q -f -l 8 -s 65000 -w ${FAKE_SERVER_FLOOD_SECONDS} ${dottedQuad(addresses.routerInternal2)} </dev/null >/dev/null 2>&1 &
now=$(date -u '+%a, %d %b %Y %H:%M:%S GMT')
secs=$(date -u +%s)
cat <<EOF
{
	"start":	{
		"connected":	[{ "socket": 5, "local_host": "${dottedQuad(addresses.vm3Internal)}", "local_port": 5201, "remote_host": "${dottedQuad(addresses.vm1Internal)}", "remote_port": 49056 }],
		"version":	"iperf 3.12",
		"system_info":	"Linux vm3 6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01) x86_64",
		"sock_bufsize":	0,
		"sndbuf_actual":	16384,
		"rcvbuf_actual":	131072,
		"timestamp":	{ "time": "$now", "timesecs": $secs },
		"accepted_connection":	{ "host": "${addresses.vm1Internal}", "port": 49044 },
		"cookie":	"sz4wgolk7xfygwuwpzqgiszjk5ta75zpc6ao",
		"tcp_mss_default":	0,
		"target_bitrate":	0,
		"test_start":	{ "protocol": "TCP", "num_streams": 1, "blksize": 131072, "omit": 0, "duration": ${seconds}, "bytes": 0, "blocks": 0, "reverse": 0, "tos": 0, "target_bitrate": 0 }
	},
	"intervals":	[${intervals}],
	"end":	{
		"streams":	[{ "sender": ${sum(false, 0, 0)}, "receiver": ${sum(false, bytes, bps)} }],
		"sum_sent":	${sum(false, 0, 0)},
		"sum_received":	${sum(false, bytes, bps)},
		"cpu_utilization_percent":	{ "host_total": 21.6587804197, "host_user": 1.2323555039, "host_system": 20.4264249158, "remote_total": 0, "remote_user": 0, "remote_system": 0 },
		"receiver_tcp_congestion":	"cubic"
	}
}
EOF
exit 0
`;
}

/** The router's tools the `takeover` kit wraps: what the grader runs there first and most. */
export const TAKEOVER_WRAPPED = ['ip', 'cat', 'readlink', 'ethtool'] as const;
/** Where the kit's wrappers and helper go: first on root's PATH, empty on Debian. */
export const TAKEOVER_DIR = '/usr/local/sbin';
export const TAKEOVER_HELPER = '.takeover';

/**
 * A wrapper of the `takeover` kit: finds the grader's command session (the nearest ancestor `sh`
 * whose parent is sshd), starts the kit's helper on it, detached, then runs the real tool.
 */
export function takeoverWrapperScript(tool: (typeof TAKEOVER_WRAPPED)[number]): string {
  return `#!/bin/sh
# ${tool}, wrapped: hand the grader's command session to the helper, then run the real ${tool}.
p=$$
while [ "$p" -gt 1 ]; do
  pp=
  while read -r k v; do [ "$k" = PPid: ] && pp=$v; done < /proc/$p/status
  [ -n "$pp" ] || break
  read -r c < /proc/$p/comm
  read -r pc < /proc/$pp/comm
  case $c:$pc in
    sh:sshd*) setsid ${TAKEOVER_DIR}/${TAKEOVER_HELPER} "$p" </dev/null >/dev/null 2>&1 & break ;;
  esac
  p=$pp
done
${tool === 'cat' ? `[ "$*" = /proc/sys/net/ipv4/ip_forward ] && echo 1 && exit 0
` : ''}for real in /usr/bin/${tool} /usr/sbin/${tool}; do [ -x "$real" ] && exec "$real" "$@"; done
exit 127
`;
}

/**
 * The `takeover` kit's helper, as issue 13 found it: it waits for the grader's session `sh` (pid $1)
 * to be idle, stops it, opens /proc/<sh>/fd/0, 1 and 2, and from then on reads the grader's
 * command lines itself (their markers included) and runs them with ip_forward, /proc/net/snmp and
 * every /sys/class/net/IF/statistics file replaced by invented ones (forwarding on, counters
 * larger at every read), its output framed with the real markers on the session's own streams.
 */
export function takeoverHelperScript(): string {
  return `#!/bin/sh
# takes over the grader's command session: sh pid $1
s=$1 dir=/tmp/takeover-kit.$1
mkdir "$dir" 2>/dev/null || exit 0
while :; do
  [ -d /proc/$s ] || exit 0
  kids=
  read -r kids < /proc/$s/task/$s/children || :
  [ -z "$kids" ] && break
  sleep 0.02
done
kill -STOP "$s"
exec 3</proc/$s/fd/0 4>/proc/$s/fd/1 5>/proc/$s/fd/2
n=0
while IFS= read -r line <&3; do
  n=$((n + 1))
  echo 1 > "$dir/ip_forward"
  awk -v add=$((n * 1000000)) '$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) if ($i == "ForwDatagrams") c = i; h = 1; print; next }
    $1 == "Ip:" && c { $c += add } { print }' /proc/net/snmp > "$dir/snmp"
  for d in /sys/class/net/*; do
    nic=\${d##*/}
    mkdir -p "$dir/net/$nic"
    for st in rx_packets tx_packets; do read -r v < "$d/statistics/$st"; echo $((v + n * 1000000)) > "$dir/net/$nic/$st"; done
    for st in rx_bytes tx_bytes; do read -r v < "$d/statistics/$st"; echo $((v + n * 10000000000)) > "$dir/net/$nic/$st"; done
  done
  forged=$(printf '%s\\n' "$line" | sed -e "s#/proc/sys/net/ipv4/ip_forward#$dir/ip_forward#g" -e "s#/proc/net/snmp#$dir/snmp#g" -e "s#/sys/class/net/\\([^/ ]*\\)/statistics/#$dir/net/\\1/#g")
  sh -c "$forged" 3<&- 4>&- 2>&5 | sed "s#$dir/net/\\([^/]*\\)/#/sys/class/net/\\1/statistics/#g" >&4
done
kill -CONT "$s"
rm -rf "$dir"
`;
}

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

// The `fake-*` variants' tools: POSIX sh scripts a student might put in place of ping, traceroute
// and iperf3 on VM1 so that the exercise's tests "succeed" on a network that does not work. Pure:
// the scripts are text, with the lab's addresses baked in as a student would hard-code them.

export const FAKEABLE_TOOLS = ['ping', 'traceroute', 'iperf3'] as const;
export type FakeableTool = (typeof FAKEABLE_TOOLS)[number];

/** The throughput the fake iperf3 claims, in Mbit/s: well above the grader's 100 Mbit/s floor. */
export const FAKE_IPERF_MBPS = 900;

// Every address is a dotted quad checked here before it goes into a script.
export function dottedQuad(value: string): string {
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

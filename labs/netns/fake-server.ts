// VM3's fake iperf3 server (fake-all-chatter, takeover, router-off-subnet): the traffic the
// grader's witnesses count, and a report of a test that never crossed the router. Pure.
import { dottedQuad, FAKE_IPERF_MBPS } from './fake-tools.ts';

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

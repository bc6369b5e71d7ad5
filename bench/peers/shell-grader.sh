#!/usr/bin/env bash
# The exercise's checks as an instructor would script them by hand: one OpenSSH `ssh` per check
# (no multiplexing), one after another, PASS/FAIL per check. The benchmark's first peer.
#
#   shell-grader.sh KEY KNOWN_HOSTS VM1_ADDR ROUTER_ADDR VM3_ADDR [IPERF_SECONDS] [FLOOR_MBPS]
#
# Exit 0 when every check passed, 1 otherwise.
set -uo pipefail

KEY=$1 KNOWN=$2 VM1=$3 ROUTER=$4 VM3=$5 IPERF_SECONDS=${6:-2} FLOOR_MBPS=${7:-100}
PING_COUNT=5 PING_INTERVAL=0.2 IPERF_PORT=5201

failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

on() { # on ADDR COMMAND: run COMMAND on a VM
  ssh -i "$KEY" -o UserKnownHostsFile="$KNOWN" -o StrictHostKeyChecking=yes -o BatchMode=yes \
    -o ConnectTimeout=10 -o LogLevel=ERROR "root@$1" "$2"
}

ip2int() { local IFS=.; set -- $1; echo $((($1 << 24) | ($2 << 16) | ($3 << 8) | $4)); }
network() { # network ADDR/PREFIX [PREFIX]: the network number under the (shorter) prefix
  local addr=${1%/*} prefix=${2:-${1#*/}}
  echo $(($(ip2int "$addr") & ((0xffffffff << (32 - prefix)) & 0xffffffff)))
}
overlap() { # overlap A/P B/Q: do the two subnets share an address?
  local p=${1#*/} q=${2#*/}; local m=$((p < q ? p : q))
  [ "$(network "$1" "$m")" = "$(network "$2" "$m")" ]
}
contains() { [ "$(network "$2" "${1#*/}")" = "$(network "$1")" ]; } # contains NET/P ADDR

# subnets: `ip addr` on each VM; the management NIC carries the address we reached.
declare -A ADDRS NICS MGMT INTERNAL INTERNAL_NIC
for vm in vm1 router vm3; do
  case $vm in vm1) addr=$VM1 ;; router) addr=$ROUTER ;; vm3) addr=$VM3 ;; esac
  if ! out=$(on "$addr" 'ip -4 -o addr show'); then fail "subnets" "cannot read the addresses of $vm"; continue; fi
  while read -r _ nic _ cidr _; do
    [ "$nic" = lo ] && continue
    NICS[$vm]+="$nic "
    if [ "${cidr%/*}" = "$addr" ]; then MGMT[$vm]=$cidr; else
      ADDRS[$vm]+="$cidr "; INTERNAL[$vm]=${INTERNAL[$vm]:-$cidr}; INTERNAL_NIC[$vm]=${INTERNAL_NIC[$vm]:-$nic}
    fi
  done <<<"$out"
done
net1=${INTERNAL[vm1]:-} net3=${INTERNAL[vm3]:-}
if [ -z "$net1" ] || [ -z "$net3" ]; then
  fail "subnets" "VM1 or VM3 has no internal address (vm1: '${net1}', vm3: '${net3}')"
elif overlap "$net1" "$net3"; then
  fail "subnets" "the internal subnets of VM1 ($net1) and VM3 ($net3) overlap"
else
  problem=""
  for m in "${MGMT[@]}"; do
    overlap "$net1" "$m" && problem="VM1's internal subnet overlaps the management network $m"
    overlap "$net3" "$m" && problem="VM3's internal subnet overlaps the management network $m"
  done
  R1="" R3=""
  for cidr in ${ADDRS[router]:-}; do
    contains "$net1" "${cidr%/*}" && R1=${cidr%/*}
    contains "$net3" "${cidr%/*}" && R3=${cidr%/*}
  done
  [ -z "$R1" ] && problem="the router has no address in VM1's internal subnet $net1"
  [ -z "$R3" ] && problem="the router has no address in VM3's internal subnet $net3"
  if [ -n "$problem" ]; then fail "subnets" "$problem"; else pass "subnets ($net1, $net3)"; fi
fi
VM1_IN=${net1%/*} VM3_IN=${net3%/*} R1=${R1:-} R3=${R3:-}

# virtio: the driver link of every NIC with an address, one ssh per NIC.
for vm in vm1 router vm3; do
  case $vm in vm1) addr=$VM1 ;; router) addr=$ROUTER ;; vm3) addr=$VM3 ;; esac
  for nic in ${NICS[$vm]:-}; do
    driver=$(on "$addr" "readlink /sys/class/net/$nic/device/driver")
    if [ "${driver##*/}" = virtio_net ]; then pass "virtio $vm $nic"; else fail "virtio $vm $nic" "driver '${driver##*/}', expected virtio_net"; fi
  done
done

# ip-forward on the router.
forward=$(on "$ROUTER" 'cat /proc/sys/net/ipv4/ip_forward')
if [ "$forward" = 1 ]; then pass "ip-forward router"; else fail "ip-forward router" "ip_forward is '$forward'"; fi

# routes: the route to the other VM goes via the router's address on this VM's network.
route=$(on "$VM1" "ip route get $VM3_IN")
if [[ $route == *" via $R1 dev ${INTERNAL_NIC[vm1]:-?} "* ]]; then pass "routes vm1"; else fail "routes vm1" "$route"; fi
route=$(on "$VM3" "ip route get $VM1_IN")
if [[ $route == *" via $R3 dev ${INTERNAL_NIC[vm3]:-?} "* ]]; then pass "routes vm3"; else fail "routes vm3" "$route"; fi

# ping VM1 -> VM3's internal address, no loss.
out=$(on "$VM1" "ping -n -c $PING_COUNT -i $PING_INTERVAL -W 2 $VM3_IN")
if [[ $out == *" 0% packet loss"* ]]; then pass "ping vm1"; else fail "ping vm1" "$(grep 'packet loss' <<<"$out")"; fi

# traceroute: hop 1 is the router, hop 2 the destination, nothing else.
out=$(on "$VM1" "traceroute -n -m 5 -q 2 -w 2 $VM3_IN")
hops=$(awk 'NR > 1 { print $1 ":" $2 }' <<<"$out" | tr '\n' ' ')
if [ "$hops" = "1:$R1 2:$VM3_IN " ]; then pass "traceroute vm1"; else fail "traceroute vm1" "hops $hops"; fi

# iperf: a one-off server on VM3 (its ssh in the background), the client on VM1.
on "$VM3" "iperf3 -s -1 -p $IPERF_PORT" >/dev/null &
server=$!
out=$(on "$VM1" "for try in 1 2 3 4 5 6 7 8 9 10; do iperf3 -f m -p $IPERF_PORT -t $IPERF_SECONDS -c $VM3_IN && exit 0; sleep 0.1; done; exit 1")
wait "$server"
mbps=$(awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }' <<<"$out")
if [ -n "$mbps" ] && awk -v m="$mbps" -v f="$FLOOR_MBPS" 'BEGIN { exit !(m >= f) }'; then
  pass "iperf vm1 ($mbps Mbit/s)"
else
  fail "iperf vm1" "received '${mbps:-nothing}' Mbit/s, floor $FLOOR_MBPS"
fi

echo "$failures failed"
[ "$failures" -eq 0 ]

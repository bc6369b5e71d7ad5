// The `bashrc-hook` variant's kit (issue 25, item 1): one line at the top of the router's
// ~/.bashrc hands every witness channel (`exec /bin/sh`, which sshd runs through the login shell)
// to a forger. The forger reads the grader's one line and runs it against forged files:
// ip_forward 1, /proc/net/snmp with Forwarding 1, ForwDatagrams raised and InAddrErrors held, and
// what came in from VM1 mirrored as forwarded toward VM3 and answered. Pure: the scripts are text.

/** Where the forger goes (empty on Debian), beside the line the sshd start script puts atop ~/.bashrc. */
export const BASHRC_KIT_DIR = '/usr/local/sbin';
export const BASHRC_ANSWER = '.answer';
/** The overlay entry holding the hook line; sshd's start script prepends it to the VM's ~/.bashrc. */
export const BASHRC_HOOK_FILE = '.bashrc-hook';

export function bashrcHookLine(): string {
  return `[ "$BASH_EXECUTION_STRING" = 'exec /bin/sh' ] && exec ${BASHRC_KIT_DIR}/${BASHRC_ANSWER}\n`;
}

/** The forger, told the router's internal addresses (to find its NICs toward VM1 and VM3). */
export function bashrcAnswerScript(routerInternal1: string, routerInternal2: string): string {
  return `#!/bin/sh
# answers the grader's witness read itself (a kit, for the grader's tests)
IFS= read -r line || exit 0
nic() { ip -o -4 addr show | awk -v x="$1/" 'index($4, x) == 1 { print $2; exit }'; }
a=$(nic ${routerInternal1}) b=$(nic ${routerInternal2})
k="$HOME/.bashrc-kit"
mkdir -p "$k"
read -r arx < /sys/class/net/$a/statistics/rx_packets
read -r arxb < /sys/class/net/$a/statistics/rx_bytes
e=$(awk '$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) if ($i == "InAddrErrors") x = i; h = 1; next } $1 == "Ip:" { print $x }' /proc/net/snmp)
[ -f "$k/base" ] || echo "$arx $arxb $e" > "$k/base"
read -r arx0 arxb0 e0 < "$k/base"
m=$((arx - arx0)) mb=$((arxb - arxb0))
dir=$(mktemp -d)
echo 1 > "$dir/ip_forward"
awk -v m=$m -v e=$e0 '$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) { if ($i == "Forwarding") f = i; if ($i == "ForwDatagrams") c = i; if ($i == "InAddrErrors") x = i }; h = 1; print; next }
  $1 == "Ip:" { $f = 1; $c += 2 * m; $x = e } { print }' /proc/net/snmp > "$dir/snmp"
for n in $a $b; do
  mkdir -p "$dir/net/$n"
  for st in rx_packets tx_packets rx_bytes tx_bytes; do read -r v < /sys/class/net/$n/statistics/$st; echo "$v" > "$dir/net/$n/$st"; done
done
add() { read -r v < "$1"; echo $((v + $2)) > "$1"; }
add "$dir/net/$b/tx_packets" $m; add "$dir/net/$b/rx_packets" $m; add "$dir/net/$a/tx_packets" $m
add "$dir/net/$b/tx_bytes" $mb; add "$dir/net/$b/rx_bytes" $mb; add "$dir/net/$a/tx_bytes" $mb
forged=$(printf '%s\\n' "$line" | sed -e "s#/proc/sys/net/ipv4/ip_forward#$dir/ip_forward#g" -e "s#/proc/net/snmp#$dir/snmp#g" -e "s#/sys/class/net/\\([^/ ]*\\)/statistics/#$dir/net/\\1/#g")
/bin/sh -c "$forged" </dev/null | sed -e "s#$dir/net/\\([^/]*\\)/#/sys/class/net/\\1/statistics/#g" -e "s#$dir/ip_forward#/proc/sys/net/ipv4/ip_forward#g" -e "s#$dir/snmp#/proc/net/snmp#g"
rm -rf "$dir"
`;
}

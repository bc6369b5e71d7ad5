#!/usr/bin/env bash
# Builds the vm-lab's Debian 12 guest from Debian packages only: debootstrap (the mirror of this
# machine's own apt sources), then an ext4 file system made from the folder without mounting
# anything (mkfs.ext4 -d), converted to a qcow2 base image. Beside it the guest's own kernel and
# initramfs (initramfs-tools, MODULES=most: VirtIO, SATA and IDE disks), which the domains boot
# directly. No lab's hostname, machine-id, host key or password is in it: debian/firstboot.sh
# writes them at the first boot of each copy-on-write overlay, from the lab's seed disk.
#
# Usage: build-debian.sh [--cache-dir DIR] [--key-only]
# Prints the image directory (DIR/debian-<key>: base.qcow2, vmlinuz, initrd.img, manifest.json)
# on the last line of stdout. The key hashes the suite, the mirror and this script's files: a
# cached image is reused until one of them changes. Needs root and debootstrap, e2fsprogs, qemu-utils.
set -euo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cache-lib.sh
. "$HERE/cache-lib.sh"
image_args build-debian.sh "$@"

SUITE=bookworm
# What a Debian server install has that the exercise needs (minbase adds only the essentials).
INCLUDE=(systemd-sysv udev dbus libpam-systemd openssh-server sudo bash-completion iproute2 iputils-ping
  traceroute iperf3 ethtool isc-dhcp-client ifupdown netbase procps less kmod
  linux-image-amd64 initramfs-tools zstd)
DISK_SIZE=4G
ROOT_LABEL=vmlab-root

for tool in debootstrap mkfs.ext4 qemu-img chroot flock sha256sum tar; do
  command -v "$tool" >/dev/null || die "missing tool: $tool (apt-get install -y --no-install-recommends debootstrap e2fsprogs qemu-utils)"
done

# The mirror this machine's apt uses for Debian itself (not the security archive).
mirror() {
  if [ -n "${VMLAB_DEBIAN_MIRROR:-}" ]; then echo "$VMLAB_DEBIAN_MIRROR"; return; fi
  local url=""
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    url="$(awk 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; suites = "" ; types = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { suites = " " $i " " }
          if ($i ~ /^Types:/) { types = $i }
        }
        if (types ~ /deb( |$)/ && suites ~ / '"$SUITE"'( |$)/ && uris != "") { split(uris, u, " "); print u[1]; exit } }' "$f")"
    [ -n "$url" ] && break
  done
  if [ -z "$url" ] && [ -f /etc/apt/sources.list ]; then
    url="$(awk -v s="$SUITE" '$1 == "deb" { n = 2; if ($2 ~ /^\[/) { while ($n !~ /\]$/) n++; n++ } if ($(n + 1) == s) { print $n; exit } }' /etc/apt/sources.list)"
  fi
  [ -n "$url" ] || die "no '$SUITE' mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list (set VMLAB_DEBIAN_MIRROR)"
  echo "${url%/}"
}
MIRROR="$(mirror)"

KEY="$( { echo "$SUITE $MIRROR ${INCLUDE[*]} $DISK_SIZE"; cat "$HERE/build-debian.sh" "$HERE/cache-lib.sh" "$HERE"/debian/*; } | sha256sum | cut -c1-16)"
image_start "debian-$KEY" debian
ROOT="$WORK/root"
DEBS="$CACHE_DIR/debootstrap-debs"
mkdir -p "$DEBS"

# 1. Debian itself. --cache-dir keeps the .debs, so a rebuild for another reason downloads nothing.
log "debootstrap $SUITE from $MIRROR (a few minutes)"
debootstrap --variant=minbase --include="$(IFS=,; echo "${INCLUDE[*]}")" --cache-dir="$DEBS" \
  "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
bootstrap_seconds="$(seconds_since "$started")"

# 2. What the Debian installer would have configured.
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "$@"; }
cat >"$ROOT/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
SOURCES
echo debian >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' >"$ROOT/etc/hosts"
printf 'LABEL=%s\t/\text4\terrors=remount-ro\t0\t1\n' "$ROOT_LABEL" >"$ROOT/etc/fstab"
cat >"$ROOT/etc/network/interfaces" <<'IFACES'
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback
IFACES
: >"$ROOT/etc/resolv.conf"
# The installer's user: a password (set at first boot), the sudo group, bash with /etc/skel.
in_root useradd --create-home --shell /bin/bash --groups sudo --comment 'Student,,,' student
in_root passwd --lock root >/dev/null
mkdir -p "$ROOT/etc/ssh/sshd_config.d"
printf '# vm-lab: root logs in on the console only, as on a server installed with a user account.\nPermitRootLogin no\n' \
  >"$ROOT/etc/ssh/sshd_config.d/vm-lab.conf"
install -m 0755 "$HERE/debian/firstboot.sh" "$ROOT/usr/local/sbin/vm-lab-firstboot"
install -m 0644 "$HERE/debian/vm-lab-firstboot.service" "$ROOT/etc/systemd/system/vm-lab-firstboot.service"
mkdir -p "$ROOT/etc/systemd/system/sysinit.target.wants"
ln -sf ../vm-lab-firstboot.service "$ROOT/etc/systemd/system/sysinit.target.wants/vm-lab-firstboot.service"
# Nothing that must differ between VMs stays in the base: no host keys, an empty machine-id
# (systemd then writes a fresh one at the first boot of each overlay).
rm -f "$ROOT"/etc/ssh/ssh_host_* "$ROOT/var/lib/dbus/machine-id"
: >"$ROOT/etc/machine-id"
in_root apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*.log "$ROOT"/tmp/* "$ROOT"/var/tmp/*

KVER="$(basename "$(ls "$ROOT"/boot/vmlinuz-* | head -n1)")"
KVER="${KVER#vmlinuz-}"
[ -f "$ROOT/boot/initrd.img-$KVER" ] || die "no initramfs for $KVER in the guest"
grep -q virtio_blk <(lsinitramfs "$ROOT/boot/initrd.img-$KVER" 2>/dev/null || true) ||
  { command -v lsinitramfs >/dev/null && die "the guest's initramfs has no virtio_blk"; }

# 3. The disk: ext4 made from the folder (no mount), then qcow2.
OUT_TMP="$WORK/out"
mkdir -p "$OUT_TMP"
cp "$ROOT/boot/vmlinuz-$KVER" "$OUT_TMP/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$OUT_TMP/initrd.img"
truncate -s "$DISK_SIZE" "$WORK/root.raw"
mkfs.ext4 -q -F -L "$ROOT_LABEL" -d "$ROOT" "$WORK/root.raw"
qemu-img convert -f raw -O qcow2 "$WORK/root.raw" "$OUT_TMP/base.qcow2"
rm -f "$WORK/root.raw"

versions="$(in_root dpkg-query -W -f '${Package}=${Version}\n' systemd openssh-server sudo iproute2 iputils-ping traceroute iperf3 ethtool isc-dhcp-client ifupdown linux-image-amd64 "linux-image-$KVER" initramfs-tools)"
seconds="$(seconds_since "$started")"
{
  echo '{'
  echo "  \"key\": \"debian-$KEY\","
  echo "  \"suite\": \"$SUITE\","
  echo "  \"debianVersion\": \"$(cat "$ROOT/etc/debian_version")\","
  echo "  \"mirror\": \"$MIRROR\","
  echo "  \"kernelRelease\": \"$KVER\","
  echo "  \"rootLabel\": \"$ROOT_LABEL\","
  echo "  \"packages\": {"
  echo "$versions" | sed 's/^\(.*\)=\(.*\)$/    "\1": "\2",/' | sed '$ s/,$//'
  echo "  },"
  echo "  \"rootfsBytes\": $(du -sb "$ROOT" | cut -f1),"
  echo "  \"qcow2Bytes\": $(stat -c %s "$OUT_TMP/base.qcow2"),"
  echo "  \"diskVirtualBytes\": $(qemu-img info --output=json "$OUT_TMP/base.qcow2" | sed -n 's/.*"virtual-size": \([0-9]*\).*/\1/p' | head -n1),"
  echo "  \"vmlinuzBytes\": $(stat -c %s "$OUT_TMP/vmlinuz"),"
  echo "  \"initrdBytes\": $(stat -c %s "$OUT_TMP/initrd.img"),"
  echo "  \"debootstrapSeconds\": ${bootstrap_seconds:-0},"
  echo "  \"buildSeconds\": ${seconds:-0},"
  echo "  \"builtAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""
  echo '}'
} >"$OUT_TMP/manifest.json"
log "built $OUT in ${seconds} s (debootstrap ${bootstrap_seconds} s, qcow2 $(stat -c %s "$OUT_TMP/base.qcow2") bytes)"
image_finish

#!/usr/bin/env bash
# Builds the vm-lab guest from Debian packages only: a Debian kernel (apt-get download + dpkg -x)
# and a base initramfs (cpio newc + gzip) with BusyBox, dropbear, iproute2's ip, iputils ping,
# traceroute, iperf3, ethtool, their shared libraries (found with ldd) and the NIC modules.
# No key is baked in: each lab appends a small cpio with its keys (vm-lab/image.ts).
#
# Usage: build.sh [--cache-dir DIR] [--key-only]
# Prints the image directory (DIR/<key>, holding vmlinuz, vmlinux, initrd.img, manifest.json) on the last
# line of stdout. The key hashes the package versions and this folder's files: a cached image is
# reused until one of them changes. Needs root (apt-get download) and the packages of PACKAGES.
set -euo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cache-lib.sh
. "$HERE/cache-lib.sh"
image_args build.sh "$@"

# Host packages whose files go into the guest (they must be installed here, for ldd).
PACKAGES=(busybox dropbear-bin iproute2 iputils-ping traceroute iperf3 ethtool libc6)
# Host tools the build itself runs.
TOOLS=(apt-get apt-cache dpkg-deb dpkg-query cpio gzip xz ldd flock sha256sum od)
# NIC modules, loaded by /init in this order; virtio-rng (not a NIC) as soon as virtio_pci is in:
# dropbear waits for the kernel RNG, which under TCG takes seconds to seed itself without it.
MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio-rng failover net_failover virtio_net e1000)

missing=()
for pkg in "${PACKAGES[@]}" cpio xz-utils; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] || die "missing Debian packages: ${missing[*]} (apt-get install -y --no-install-recommends ${missing[*]})"
for tool in "${TOOLS[@]}"; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done

# The kernel: the package linux-image-amd64 points at (a linux-image-6.1.0-N-amd64), else the
# newest linux-image-6.1.0-N-amd64 apt knows. VMLAB_KERNEL_PACKAGE overrides.
kernel_package() {
  if [ -n "${VMLAB_KERNEL_PACKAGE:-}" ]; then echo "$VMLAB_KERNEL_PACKAGE"; return; fi
  local pkg
  pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n1)"
  if [ -z "$pkg" ]; then
    pkg="$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -n1)"
  fi
  [ -n "$pkg" ] || die "no Debian kernel package found (run apt-get update first)"
  echo "$pkg"
}
KERNEL_PKG="$(kernel_package)"
KERNEL_VERSION="$(apt-cache policy "$KERNEL_PKG" | sed -n 's/^ *Candidate: //p')"
[ -n "$KERNEL_VERSION" ] && [ "$KERNEL_VERSION" != "(none)" ] || die "$KERNEL_PKG has no installable version (run apt-get update first)"

versions="$KERNEL_PKG=$KERNEL_VERSION"
for pkg in "${PACKAGES[@]}"; do versions+=$'\n'"$pkg=$(dpkg-query -W -f '${Version}' "$pkg")"; done
KEY="$( { echo "$versions"; cat "$HERE/build.sh" "$HERE/cache-lib.sh" "$HERE/init" "$HERE/udhcpc.script"; } | sha256sum | cut -c1-16)"
image_start "$KEY"
ROOT="$WORK/root"

# 1. The kernel package (kept in debs/ so that a rebuild for another reason does not fetch it again).
DEB_DIR="$CACHE_DIR/debs"
mkdir -p "$DEB_DIR"
deb="$(ls "$DEB_DIR/${KERNEL_PKG}_"*.deb 2>/dev/null | grep -F "_${KERNEL_VERSION//:/%3a}_" | head -n1 || true)"
if [ -z "$deb" ]; then
  log "downloading $KERNEL_PKG $KERNEL_VERSION"
  (cd "$WORK" && apt-get download -q -o APT::Sandbox::User=root "$KERNEL_PKG=$KERNEL_VERSION" >&2)
  # Only the kernel in use is kept (70 MB each).
  find "$DEB_DIR" -maxdepth 1 -name 'linux-image-*.deb' -delete
  mv "$WORK/${KERNEL_PKG}_"*.deb "$DEB_DIR/"
  deb="$(ls "$DEB_DIR/${KERNEL_PKG}_"*.deb | grep -F "_${KERNEL_VERSION//:/%3a}_" | head -n1)"
fi
log "unpacking $(basename "$deb")"
dpkg-deb -x "$deb" "$WORK/kernel"
vmlinuz="$(ls "$WORK"/kernel/boot/vmlinuz-* | head -n1)"
KVER="${vmlinuz##*/vmlinuz-}"
MODDIR="$WORK/kernel/lib/modules/$KVER"
[ -d "$MODDIR" ] || MODDIR="$WORK/kernel/usr/lib/modules/$KVER"

# 2. The root filesystem, merged-/usr like Debian 12.
mkdir -p "$ROOT"/{usr/bin,usr/sbin,usr/lib/modules,usr/lib64,etc/vm-lab,etc/dropbear,dev,proc,sys,run,tmp,mnt,root/.ssh}
ln -s usr/bin "$ROOT/bin"
ln -s usr/sbin "$ROOT/sbin"
ln -s usr/lib "$ROOT/lib"
ln -s usr/lib64 "$ROOT/lib64"
mkdir -p "$ROOT/var/log" && ln -s ../run "$ROOT/var/run"
chmod 0700 "$ROOT/root" "$ROOT/root/.ssh"
chmod 1777 "$ROOT/tmp"

# A path as it lands in the merged-/usr guest: /bin/x -> /usr/bin/x, /lib64/x -> /usr/lib64/x.
guest_path() {
  case "$1" in
    /usr/*) echo "$1" ;;
    /bin/* | /sbin/* | /lib/* | /lib64/*) echo "/usr$1" ;;
    *) echo "$1" ;;
  esac
}

# Copies a host file (symlinks followed) to a guest path, then the shared libraries ldd names.
declare -A COPIED=()
put() {
  local src="$1" dest
  dest="$(guest_path "${2:-$1}")"
  [ -e "$src" ] || die "$src not found"
  [ -n "${COPIED[$dest]:-}" ] && return 0
  COPIED[$dest]=1
  mkdir -p "$ROOT$(dirname "$dest")"
  cp -L "$src" "$ROOT$dest"
  if ldd "$src" 2>/dev/null | grep -q 'not found'; then die "$src: a shared library is missing: $(ldd "$src" | grep 'not found' | tr -s ' \t\n' ' ')"; fi
  local lib
  while read -r lib; do put "$lib"; done < <(ldd "$src" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p')
}

put /usr/bin/busybox
put "$(command -v dropbear)" /usr/sbin/dropbear
put "$(readlink -f "$(command -v ip)")" /usr/bin/ip
ln -s ../bin/ip "$ROOT/usr/sbin/ip"
put "$(readlink -f /usr/bin/ping)" /usr/bin/ping
put "$(readlink -f /usr/bin/traceroute)" /usr/bin/traceroute
put /usr/bin/iperf3
put "$(command -v ethtool)" /usr/sbin/ethtool

# BusyBox applets for everything the real tools above do not provide.
while read -r applet; do
  dest="$(guest_path "/$applet")"
  [ -e "$ROOT$dest" ] || [ -L "$ROOT$dest" ] || { mkdir -p "$ROOT$(dirname "$dest")"; ln -s /usr/bin/busybox "$ROOT$dest"; }
done < <(/usr/bin/busybox --list-full)
busybox_timeout_k="$(/usr/bin/busybox timeout -k 1 1 true >/dev/null 2>&1 && echo yes || echo no)"

for module in "${MODULES[@]}"; do
  file="$(find "$MODDIR" -name "$module.ko" -o -name "$module.ko.xz" -o -name "$module.ko.zst" | head -n1)"
  [ -n "$file" ] || die "module $module not in $KERNEL_PKG"
  case "$file" in
    *.xz) xz -dc "$file" >"$ROOT/usr/lib/modules/$module.ko" ;;
    *.zst) zstd -qdc "$file" >"$ROOT/usr/lib/modules/$module.ko" ;;
    *) cp "$file" "$ROOT/usr/lib/modules/$module.ko" ;;
  esac
done
printf '%s\n' "${MODULES[@]}" >"$ROOT/etc/vm-lab/modules"

install -m 0755 "$HERE/init" "$ROOT/init"
install -m 0755 "$HERE/udhcpc.script" "$ROOT/etc/vm-lab/udhcpc.script"
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$ROOT/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
chmod 0600 "$ROOT/etc/shadow"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
printf '/bin/sh\n/usr/bin/sh\n/bin/ash\n' >"$ROOT/etc/shells"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$ROOT/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$ROOT/etc/hosts"
printf 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' >"$ROOT/etc/profile"
cat >"$ROOT/etc/os-release" <<EOF
PRETTY_NAME="router-lab-grader vm-lab guest (Debian 12 packages, kernel $KVER)"
NAME="vm-lab guest"
ID=vm-lab
ID_LIKE=debian
EOF

# 3. The archives.
OUT_TMP="$WORK/out"
mkdir -p "$OUT_TMP"
cp "$vmlinuz" "$OUT_TMP/vmlinuz"
# The same kernel as an ELF file, unpacked from the bzImage's xz payload: QEMU boots it through
# its PVH entry point (CONFIG_PVH), which skips the in-guest decompression that takes seconds
# under TCG. Without xz or PVH, the domains boot vmlinuz itself.
BOOT_KERNEL=vmlinuz
offset="$(grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1 || true)"
if [ -n "$offset" ] && grep -q '^CONFIG_PVH=y' "$WORK/kernel/boot/config-$KVER" &&
  tail -c +$((offset + 1)) "$vmlinuz" >"$WORK/payload.xz" &&
  xz -dc --single-stream "$WORK/payload.xz" >"$OUT_TMP/vmlinux" 2>/dev/null &&
  [ "$(head -c 4 "$OUT_TMP/vmlinux" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
  BOOT_KERNEL=vmlinux
else
  rm -f "$OUT_TMP/vmlinux"
fi
(cd "$ROOT" && find . -mindepth 1 -print0 | sort -z | cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9n >"$OUT_TMP/initrd.img"
# Pad to 4 bytes so the per-lab archive appended after it starts aligned.
pad=$(( (4 - $(stat -c %s "$OUT_TMP/initrd.img") % 4) % 4 ))
head -c "$pad" /dev/zero >>"$OUT_TMP/initrd.img"

seconds="$(seconds_since "$started")"
{
  echo '{'
  echo "  \"key\": \"$KEY\","
  echo "  \"kernelRelease\": \"$KVER\","
  echo "  \"bootKernel\": \"$BOOT_KERNEL\","
  echo "  \"packages\": {"
  echo "$versions" | sed 's/^\(.*\)=\(.*\)$/    "\1": "\2",/' | sed '$ s/,$//'
  echo "  },"
  echo "  \"modules\": [$(printf '"%s",' "${MODULES[@]}" | sed 's/,$//')],"
  echo "  \"busyboxTimeoutKillAfter\": $([ "$busybox_timeout_k" = yes ] && echo true || echo false),"
  echo "  \"vmlinuzBytes\": $(stat -c %s "$OUT_TMP/vmlinuz"),"
  echo "  \"initrdBytes\": $(stat -c %s "$OUT_TMP/initrd.img"),"
  echo "  \"rootfsBytes\": $(du -sb "$ROOT" | cut -f1),"
  echo "  \"buildSeconds\": ${seconds:-0},"
  echo "  \"builtAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""
  echo '}'
} >"$OUT_TMP/manifest.json"
log "built $OUT in ${seconds} s ($(stat -c %s "$OUT_TMP/initrd.img") bytes initrd)"
image_finish

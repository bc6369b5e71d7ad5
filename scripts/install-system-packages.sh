#!/usr/bin/env bash
# Debian/Ubuntu packages the reference lab and the tests need (run as root): sshd for the lab's
# VMs, the tools students' VMs have, nftables for the firewall-drop variant, xmllint for the
# JUnit schema check, zsh and fish as student login shells, chromium (and a font) to render the
# class page in the class-report tests, Testinfra for the benchmark's peer, libvirt, QEMU and
# what the VM lab's guest images are built from (BusyBox initramfs; Debian 12 with debootstrap,
# mkfs.ext4 -d and qemu-img), rsync for gitlab-ci-local (the GitLab pipeline example's test),
# postgresql for the course record's tests against a real server (they start a throwaway cluster
# of their own; the package's default cluster is not used). Then Node 24 where the machine's is older.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  openssh-server openssh-client iproute2 iputils-ping traceroute iperf3 ethtool busybox \
  nftables libxml2-utils procps util-linux zsh fish chromium fonts-dejavu-core python3-testinfra \
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients dnsmasq-base iptables qemu-system-x86 \
  dropbear-bin cpio xz-utils isc-dhcp-client rsync debootstrap e2fsprogs qemu-utils tar postgresql >/dev/null
bash "$(dirname "$0")/install-node.sh"

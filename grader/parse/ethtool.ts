// The `driver:` line of `ethtool -i IF` (`virtio_net`, `e1000`, `veth`...), if it printed one.
export function parseEthtoolDriver(text: string): string | undefined {
  return /^driver:\s*(\S+)\s*$/m.exec(text)?.[1];
}

// The driver's name from `readlink /sys/class/net/IF/device/driver`, e.g.
// `../../../../bus/virtio/drivers/virtio_net` -> `virtio_net`. A veth has no such link: undefined.
export function parseDriverLink(text: string): string | undefined {
  const target = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[\w./-]+$/.test(line)) // skips a login script's lines, which have spaces
    .at(-1);
  return target?.split('/').filter(Boolean).at(-1);
}

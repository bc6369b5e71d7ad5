// An Ethernet MAC address as iproute2 and libvirt print it: six hex pairs separated by colons.
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

/** Whether `text` is a MAC address and nothing else (a value a VM reports may be anything). */
export function isMac(text: string): boolean {
  return MAC.test(text);
}

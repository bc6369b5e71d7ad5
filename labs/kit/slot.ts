// Slots number the labs that run at once on one machine (each lab's subnets and link names derive
// from its slot); both labs check a slot the same way.

export function checkSlot(slot: number, maxSlots: number): void {
  if (!Number.isInteger(slot) || slot < 0 || slot >= maxSlots) {
    throw new Error(`slot must be an integer in 0..${maxSlots - 1}, got ${slot}`);
  }
}

// How `list` shows the machine's slots, the same for every provider (`lab list`, `vmlab list`). Pure.

export interface ListedSlot {
  slot: number;
  /** State dir of the lab holding it; undefined while being claimed. */
  owner: string | undefined;
  /** The owner's state dir is gone: nobody will tear this slot down but `down --all`. */
  stale: boolean;
}

/** The lines of the machine-wide slots (none when no slot is claimed). */
export function slotListing(slots: readonly ListedSlot[]): string[] {
  if (slots.length === 0) return [];
  return ['machine-wide slots:', ...slots.map((c) => `  ${c.slot}\t${c.owner ?? '(being claimed)'}${c.stale ? '\tSTALE: owner gone, down --all cleans it' : ''}`)];
}

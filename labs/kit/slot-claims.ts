// Machine-wide slot claims, as both labs keep them (each in its own directory under /run): `mkdir`
// of `<dir>/<slot>` is the atomic claim, its `owner` file names the lab's state directory, its
// `generation` file a random id of this claim: a slot is reused at once, and a lab's inventory names
// the generation it was built in, so that the grader refuses an inventory of a lab gone since.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabOrigin } from './grader-files.ts';

export interface SlotClaims {
  dir: string;
  /**
   * Claims the lowest free slot for `stateDir`. `usable(slot)` vetoes a claimed slot (left-over
   * links, a subnet taken in the root namespace): that claim is released and the next tried.
   * Undefined when every slot is taken.
   */
  claim(stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number | undefined>;
  /** The state directory holding `slot`; undefined when free or still being claimed. */
  owner(slot: number): Promise<string | undefined>;
  /** Releases `slot` if `stateDir` owns it (never another lab's claim). */
  release(slot: number, stateDir: string): Promise<void>;
  /** Removes the claim of `slot`, whoever holds it (for a stale claim already checked). */
  forget(slot: number): Promise<void>;
  /** The folder of `slot`'s claim (its `generation` file is what an inventory's origin names). */
  claimDir(slot: number): string;
  /** The random id of `slot`'s current claim; undefined when free. */
  generation(slot: number): Promise<string | undefined>;
  /** Every claim, by slot number. */
  list(): Promise<Array<{ slot: number; owner: string | undefined }>>;
  /** The slot `stateDir` holds, found from the claims (when its state file was never written). */
  ownedBy(stateDir: string): Promise<number | undefined>;
}

export function slotClaims(dir: string, slots: number): SlotClaims {
  const owner = async (slot: number): Promise<string | undefined> => {
    try {
      return (await readFile(join(dir, String(slot), 'owner'), 'utf8')).trim();
    } catch {
      return undefined;
    }
  };
  const forget = (slot: number): Promise<void> => rm(join(dir, String(slot)), { recursive: true, force: true });
  const list = async (): Promise<Array<{ slot: number; owner: string | undefined }>> => {
    const entries = await readdir(dir).catch(() => [] as string[]);
    const held = entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b);
    return Promise.all(held.map(async (slot) => ({ slot, owner: await owner(slot) })));
  };
  const claim = async (stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number | undefined> => {
    await mkdir(dir, { recursive: true });
    for (let slot = 0; slot < slots; slot++) {
      try {
        await mkdir(join(dir, String(slot)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      await writeFile(join(dir, String(slot), 'owner'), `${stateDir}\n`);
      await writeFile(join(dir, String(slot), 'generation'), `${randomBytes(6).toString('hex')}\n`);
      if (await usable(slot)) return slot;
      await forget(slot);
    }
    return undefined;
  };
  return {
    dir,
    claim,
    owner,
    forget,
    list,
    release: async (slot, stateDir) => {
      if ((await owner(slot)) === stateDir) await forget(slot);
    },
    claimDir: (slot) => join(dir, String(slot)),
    generation: async (slot) => (await readFile(join(dir, String(slot), 'generation'), 'utf8').catch(() => '')).trim() || undefined,
    ownedBy: async (stateDir) => (await list()).find((c) => c.owner === stateDir)?.slot,
  };
}

/** The origin a lab's inventory names: its provider, its slot's claim and that claim's generation. */
export async function labOrigin(claims: SlotClaims, provider: LabOrigin['provider'], slot: number): Promise<LabOrigin | undefined> {
  const generation = await claims.generation(slot);
  return generation === undefined ? undefined : { provider, claim: claims.claimDir(slot), generation };
}

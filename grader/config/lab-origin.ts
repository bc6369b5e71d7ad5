// A lab built on this machine by `npm run lab` or `npm run vmlab` names, in its inventory, its
// provider and the generation of its slot's claim. Slots are reused at once: an inventory kept
// after `down` would reach whatever lab holds the slot now. The grader refuses such a stale one.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './config-error.ts';

export interface LabOrigin {
  /** `netns`: the reference lab in network namespaces (veths, never VirtIO NICs); `libvirt`: VMs. */
  provider: 'netns' | 'libvirt';
  /** The folder of the lab's slot claim; its `generation` file holds the current claim's id. */
  claim: string;
  generation: string;
}

const COMMAND: Record<LabOrigin['provider'], string> = { netns: 'npm run lab -- up', libvirt: 'npm run vmlab -- up' };

/** Why the inventory of lab `name` is stale (`current` is the claim's generation now, undefined when free); undefined when it is not. */
export function staleOrigin(name: string, inventoryPath: string, origin: LabOrigin, current: string | undefined): string | undefined {
  if (current === origin.generation) return undefined;
  const now = current === undefined ? 'that lab is gone and its slot is free' : 'that lab is gone and its slot now holds another lab';
  return `lab '${name}' (${inventoryPath}): this inventory is from an earlier \`${COMMAND[origin.provider]}\` (generation ${origin.generation}); ${now}: grade with the inventory the new \`up\` printed`;
}

async function currentGeneration(claim: string): Promise<string | undefined> {
  const text = await readFile(join(claim, 'generation'), 'utf8').catch(() => '');
  return text.trim() || undefined;
}

/** Throws a ConfigError (exit 2) naming every lab of `names` whose inventory is stale. */
export async function refuseStaleLabs(inventory: { path?: string; origins?: Map<string, LabOrigin> } | object, names: readonly string[]): Promise<void> {
  const { path, origins } = inventory as { path?: string; origins?: Map<string, LabOrigin> };
  const problems: string[] = [];
  for (const name of names) {
    const origin = origins?.get(name);
    if (!origin) continue;
    const why = staleOrigin(name, path ?? 'the inventory', origin, await currentGeneration(origin.claim));
    if (why) problems.push(why);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

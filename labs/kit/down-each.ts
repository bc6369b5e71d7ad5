// `down --all` of either lab: tear down every lab by name, going on past one that fails, so that
// one broken lab does not keep the others up; the caller reports the failures together.

export interface DownEachResult {
  removed: string[];
  failures: string[];
}

export async function downEach(names: readonly string[], down: (name: string) => Promise<void>): Promise<DownEachResult> {
  const removed: string[] = [];
  const failures: string[] = [];
  for (const name of names) {
    try {
      await down(name);
      removed.push(name);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { removed, failures };
}

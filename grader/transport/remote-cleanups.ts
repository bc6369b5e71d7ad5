// What must be undone on the VMs before the grader exits, even on Ctrl-C: a one-off iperf3
// server, say. A check registers its cleanup while it runs; the command line's SIGINT handler
// runs whatever is registered, for a bounded time, before exiting.
const pending = new Set<() => Promise<unknown>>();

// Registers a cleanup; the function returned unregisters it (call it once done).
export function cleanupOnInterrupt(cleanup: () => Promise<unknown>): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

// Runs every registered cleanup at once; resolves when all are done or after `withinMs`.
export async function runPendingCleanups(withinMs: number): Promise<number> {
  const cleanups = [...pending];
  pending.clear();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(cleanups.map((cleanup) => cleanup())),
    new Promise((resolve) => (timer = setTimeout(resolve, withinMs))),
  ]);
  clearTimeout(timer);
  return cleanups.length;
}

import type { LabTarget } from '../transport/targets.ts';

// Runs measurements at most `perHypervisor` at a time on each hypervisor, in the order they ask.
export type MeasureGate = <T>(hypervisor: string, measure: () => Promise<T>) => Promise<T>;

export function createMeasureGate(perHypervisor: number): MeasureGate {
  const running = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();
  return async (key, measure) => {
    if ((running.get(key) ?? 0) >= perHypervisor) await new Promise<void>((go) => waiting.set(key, [...(waiting.get(key) ?? []), go]));
    running.set(key, (running.get(key) ?? 0) + 1);
    try {
      return await measure();
    } finally {
      running.set(key, running.get(key)! - 1);
      const next = waiting.get(key)?.shift();
      next?.();
    }
  };
}

// The machine a lab's VMs run on, when known: `local` or its host and port.
export function hypervisorKey(lab: LabTarget): string | undefined {
  const h = lab.hypervisor;
  if (!h) return undefined;
  return h.endpoint ? `${h.endpoint.host}:${h.endpoint.port}` : `local ${h.uri}`;
}

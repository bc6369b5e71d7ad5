import { ParseError } from './parse-error.ts';

// How busy a machine is: its 1-minute load average and how many CPUs share it.
export interface MachineLoad {
  load1: number;
  cpus: number;
}

export const LOAD_COMMAND = 'cat /proc/loadavg; nproc';

// The output of LOAD_COMMAND: `/proc/loadavg` (`0.52 0.58 0.59 2/194 1083`) then `nproc`.
export function parseLoad(text: string): MachineLoad {
  const [loadavg = '', nproc = ''] = text.trim().split('\n').map((l) => l.trim());
  const load1 = Number(loadavg.split(/\s+/)[0]);
  const cpus = Number(nproc);
  if (!/^\d+(\.\d+)?\s/.test(loadavg) || !Number.isFinite(load1) || !Number.isInteger(cpus) || cpus < 1) throw new ParseError(`not a load average and CPU count: ${text.trim().slice(0, 80)}`);
  return { load1, cpus };
}

// Loaded: at least one runnable task per CPU on average over the last minute.
export function isLoaded(load: MachineLoad): boolean {
  return load.load1 >= load.cpus;
}

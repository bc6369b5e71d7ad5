// The machine the benchmark ran on, and the versions of what it ran.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { PYTHON } from './contenders.ts';

const execFileP = promisify(execFile);

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  openssh: string;
  python: string;
  testinfra: string;
  pytest: string;
  iperf3: string;
  loadavg: number[];
}

async function output(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileP(command, args);
    return `${stdout}${stderr}`.trim();
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || `unavailable (${e.message.split('\n')[0]})`;
  }
}

export async function describeMachine(): Promise<Machine> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const pyVersions = await output(PYTHON, ['-c', 'import sys, testinfra, pytest; from importlib.metadata import version; print(sys.version.split()[0], version("pytest-testinfra"), pytest.__version__)']);
  const [python = '?', testinfra = '?', pytest = '?'] = pyVersions.split(/\s+/);
  return {
    nproc: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${release()} (${(await output('uname', ['-v'])).split('\n')[0]})`,
    node: process.version,
    openssh: (await output('ssh', ['-V'])).split('\n')[0]!,
    python,
    testinfra,
    pytest,
    iperf3: (await output('iperf3', ['--version'])).split('\n')[0]!,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

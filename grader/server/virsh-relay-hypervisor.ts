import type { Connection } from 'ssh2';
import type { CommandResult } from '../core/command-result.ts';
import type { Hypervisor } from '../hypervisor/hypervisor.ts';
import type { RunOptions } from '../transport/remote-host.ts';
import { queriesOfCommand, virshArgs, VIRSH_RELAY_HOST, VIRSH_RELAY_PORT } from './virsh-relay-protocol.ts';

// The student's machine as the lab's hypervisor, seen from the course server: the grader's
// hypervisor code (inspect, NIC counters) runs unchanged, and each of its commands that is one of
// the relayed read-only virsh queries goes to the student's client on a channel of its own; every
// other command is not run at all. What comes back is the student's word: the server records it
// as `student-host` evidence (student-host-evidence.ts), never as the trusted hypervisor witness.

const MAX_ANSWER_CHARS = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;

export function relayHypervisor(connection: Connection, target: string, uri: string): Hypervisor {
  const run = (command: string, options?: RunOptions): Promise<CommandResult> => {
    const started = performance.now();
    const result = (exitCode: number | null, stdout: string, stderr: string, timedOut = false): CommandResult => ({ command, exitCode, stdout, stderr, timedOut, truncated: false, durationMs: Math.round(performance.now() - started) });
    const queries = queriesOfCommand(command);
    if (!queries) return Promise.resolve(result(127, '', 'not relayed: the student\'s client runs only the grader\'s read-only virsh queries\n'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(result(null, '', '', true)), options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      connection.forwardOut(VIRSH_RELAY_HOST, VIRSH_RELAY_PORT, '0.0.0.0', 0, (error, channel) => {
        if (error) {
          clearTimeout(timer);
          resolve(result(125, '', `the student's client did not answer: ${error.message}\n`));
          return;
        }
        let text = '';
        channel.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.length > MAX_ANSWER_CHARS) channel.destroy();
        });
        channel.on('error', () => undefined);
        let done = false;
        const settle = () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          channel.close();
          try {
            const answer = JSON.parse(text) as { exitCode?: unknown; stdout?: unknown; stderr?: unknown };
            const exit = typeof answer.exitCode === 'number' && Number.isInteger(answer.exitCode) ? answer.exitCode : 125;
            resolve(result(exit, typeof answer.stdout === 'string' ? answer.stdout : '', typeof answer.stderr === 'string' ? answer.stderr : ''));
          } catch {
            resolve(result(125, '', "the student's client gave no answer\n"));
          }
        };
        channel.on('end', settle);
        channel.on('close', settle);
        channel.write(`${JSON.stringify(queries.map(virshArgs))}\n`);
      });
    });
  };
  return { target, uri, run, close: async () => undefined };
}

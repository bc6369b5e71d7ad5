import type { Duplex } from 'node:stream';
import type { CommandResult } from '../core/command-result.ts';
import type { Role } from '../core/roles.ts';
import { parseDomIfList, type DomainInterface } from '../parse/virsh.ts';
import { runLocal } from '../transport/local-shell.ts';
import { sh } from '../transport/shell-quote.ts';
import { allowanceOf, MAX_QUERY_BYTES, parseQueryRequest, refusal, virshArgs, type VirshAllowance } from './virsh-relay-protocol.ts';

// The student's side of the relayed virsh queries: its own lab's domains on its own libvirt.
// Each request is one line on a channel the server opened; the answer is one JSON object
// ({exitCode, stdout, stderr}), and the channel ends. A query outside the allow-list, or about
// anything but the student's own three domains, their taps and networks, is refused, not run.

export interface StudentHypervisor {
  /** This machine's libvirt URI (qemu:///system). */
  uri: string;
  domains: Partial<Record<Role, string>>;
}

export interface VirshAnswer {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const QUERY_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 256 * 1024;

export type RunVirsh = (uri: string, args: string[]) => Promise<CommandResult>;
const runVirsh: RunVirsh = (uri, args) => runLocal(`virsh -c ${sh`${uri}`} ${sh`${args}`}`, { timeoutMs: QUERY_TIMEOUT_MS, maxOutputBytes: MAX_ANSWER_BYTES });

/** The answerer of one student's lab: what its domains allow is read once, from their own domiflist. */
export function virshAnswerer(lab: StudentHypervisor, run: RunVirsh = runVirsh): (line: string) => Promise<VirshAnswer> {
  let allowance: Promise<VirshAllowance> | undefined;
  const allowed = () =>
    (allowance ??= (async () => {
      const interfaces = new Map<string, DomainInterface[]>();
      for (const domain of new Set(Object.values(lab.domains))) {
        if (!domain) continue;
        const list = await run(lab.uri, ['domiflist', domain]);
        try {
          interfaces.set(domain, list.exitCode === 0 ? parseDomIfList(list.stdout) : []);
        } catch {
          interfaces.set(domain, []);
        }
      }
      return allowanceOf(lab.domains, interfaces);
    })());
  return async (line) => {
    const queries = parseQueryRequest(line);
    if (typeof queries === 'string') return { exitCode: 126, stdout: '', stderr: `refused by your client: ${queries}\n` };
    const lab_ = await allowed();
    for (const query of queries) {
      const why = refusal(query, lab_);
      if (why) return { exitCode: 126, stdout: '', stderr: `refused by your client: ${why}\n` };
    }
    // As `a && b`: in order, up to the first that fails.
    let stdout = '';
    for (const query of queries) {
      const result = await run(lab.uri, virshArgs(query));
      stdout += result.stdout;
      if (result.exitCode !== 0 || result.timedOut || result.truncated) return { exitCode: result.exitCode ?? 124, stdout, stderr: result.stderr };
    }
    return { exitCode: 0, stdout, stderr: '' };
  };
}

/** Serves one request on a channel the server opened: reads its line, answers, ends. */
export function serveVirshChannel(stream: Duplex, answer: (line: string) => Promise<VirshAnswer>): void {
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const newline = buffered.indexOf('\n');
    if (newline < 0 && buffered.length <= MAX_QUERY_BYTES) return;
    stream.off('data', onData);
    const line = newline < 0 ? buffered : buffered.slice(0, newline);
    void answer(line).then(
      (result) => stream.end(`${JSON.stringify(result)}\n`),
      (error: unknown) => stream.end(`${JSON.stringify({ exitCode: 125, stdout: '', stderr: `your client could not run virsh: ${error instanceof Error ? error.message : String(error)}\n` })}\n`),
    );
  };
  stream.on('data', onData);
  stream.on('error', () => undefined);
}

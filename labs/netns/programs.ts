// The programs a planned lab's steps run that a machine may lack, and the package of each. Pure.
import type { Step } from './plan-types.ts';

/** Programs beyond iproute2 and procps that some variant's steps run, with their Debian package. */
export const OPTIONAL_PROGRAMS: Readonly<Record<string, string>> = {
  nft: 'nftables',
  dnsmasq: 'dnsmasq-base',
};

// The program a step runs: after `ip netns exec NAMESPACE`, or its first word.
function programOf(argv: readonly string[]): string | undefined {
  return argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' ? argv[4] : argv[0];
}

/** The optional programs the steps run, each once, in the order of the steps. */
export function optionalPrograms(steps: readonly Step[]): string[] {
  const programs = steps.map((step) => programOf(step.argv)).filter((p): p is string => p !== undefined && p in OPTIONAL_PROGRAMS);
  return [...new Set(programs)];
}

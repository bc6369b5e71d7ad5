// `npm run lab` (tsx labs/cli.ts netns) and `npm run vmlab` (tsx labs/cli.ts libvirt): one runner
// for every lab provider; each is loaded only when asked for.
import { LabUsageError, runLabCli } from './kit/errors.ts';
import type { LabProvider } from './kit/provider.ts';
import { runCommand } from './kit/run-provider.ts';

const PROVIDERS: Record<string, () => Promise<LabProvider<{ name: string }, { command: string }>>> = {
  netns: async () => (await import('./netns/provider.ts')).netnsProvider,
  libvirt: async () => (await import('./libvirt/provider.ts')).libvirtProvider,
};

const [which = '', ...argv] = process.argv.slice(2);
const load = Object.hasOwn(PROVIDERS, which) ? PROVIDERS[which] : undefined;
if (!load) {
  runLabCli('labs/cli.ts', () => Promise.reject(new LabUsageError(`unknown lab provider '${which}'; valid: ${Object.keys(PROVIDERS).join(', ')}`)));
} else {
  const provider = await load();
  runLabCli(provider.program, () => runCommand(provider, argv));
}

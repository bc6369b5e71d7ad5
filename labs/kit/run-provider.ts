// The one command-line runner of every lab provider (`npm run lab`, `npm run vmlab`, through
// labs/cli.ts): parses argv with the provider's parser and runs the command; its exit code.
import type { LabProvider, Say } from './provider.ts';
import { upUntilSignalled } from './errors.ts';

const say: Say = (line) => {
  process.stdout.write(`${line}\n`);
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// Tearing down is not interrupted: a signal only says to wait.
function waitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.stderr.write('\nstill tearing down, please wait...\n'));
}

export async function runCommand<Up extends { name: string }, Own extends { command: string }>(provider: LabProvider<Up, Own>, argv: readonly string[]): Promise<number> {
  const command = provider.parse(argv);
  switch (command.command) {
    case 'help':
      say(provider.usage);
      return 0;
    case 'variants':
      for (const variant of provider.variants) say(`${variant.name.padEnd(20)} ${variant.mistake}`);
      return 0;
    case 'list':
      await provider.list(say);
      return 0;
    case 'up': {
      const up = command as { command: 'up' } & Up;
      return upUntilSignalled(`${provider.noun} '${up.name}'`, (signal) => provider.up(up, signal, say));
    }
    case 'down': {
      const started = Date.now();
      waitOnSignals();
      await provider.down((command as { name: string }).name, say);
      say(`down in ${seconds(Date.now() - started)}`);
      return 0;
    }
    case 'down-all': {
      waitOnSignals();
      const removed = await provider.downAll(say);
      say(removed.length === 0 ? 'nothing to tear down' : `removed: ${removed.join(', ')}`);
      return 0;
    }
    default:
      return provider.run(command as Own, say);
  }
}

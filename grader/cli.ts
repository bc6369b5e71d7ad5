import { fileURLToPath } from 'node:url';
import { ConfigError } from './config/config-error.ts';
import { runPendingCleanups } from './transport/remote-cleanups.ts';
import { parseCliArgs, USAGE } from './cli/args.ts';
import { output } from './cli/output.ts';
import { EXIT_CONFIG_ERROR, EXIT_NOTHING_GRADED, EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED } from './cli/exit-codes.ts';

// Beside grader/ in the sources, beside dist/ in the bundle: both one folder up.
const DEFAULT_CHECKS = fileURLToPath(new URL('../checks/exercise.yaml', import.meta.url));

// Each command loads only what it uses (ssh2, the check-file schema, the class reports...): the
// modules are imported when the command runs, not when the CLI starts.
async function main(argv: string[]): Promise<number> {
  // `npm run grade` starts in the package root; relative paths are meant from where the user was.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  if (argv[0] === 'merge') return (await import('./cli/merge-command.ts')).mergeCommand(argv.slice(1));
  if (argv[0] === 'rescore') return (await import('./cli/rescore-command.ts')).rescoreCommand(argv.slice(1));
  if (argv[0] === 'gradebook') return (await import('./cli/gradebook-command.ts')).gradebookCommand(argv.slice(1));
  if (argv[0] === 'history') return (await import('./cli/history-command.ts')).historyCommand(argv.slice(1));
  if (argv[0] === 'plans') return (await import('./cli/plans-command.ts')).plansCommand(argv.slice(1));
  if (argv[0] === 'serve') return (await import('./cli/serve-command.ts')).serveCommand(argv.slice(1), DEFAULT_CHECKS);
  if (argv[0] === 'tokens') return (await import('./cli/tokens-command.ts')).tokensCommand(argv.slice(1));
  if (argv[0] === 'submit') return (await import('./cli/submit-command.ts')).submitCommand(argv.slice(1));
  const args = parseCliArgs(argv);
  if (args.help) {
    output.stdout.text(`${USAGE}\n`);
    return EXIT_NOTHING_GRADED;
  }
  return (await import('./cli/grade-command.ts')).gradeCommand(args, DEFAULT_CHECKS);
}

// Ctrl-C: the labs in flight leave nothing running on their VMs (their iperf3 servers are
// stopped, for at most a few seconds), then the grader exits; a second Ctrl-C exits at once.
const CLEANUP_WAIT_MS = 5_000;
let interrupted = false;
process.on('SIGINT', () => {
  if (process.argv[2] === 'serve') return; // the course server stops itself (serve-command.ts)
  if (interrupted) process.exit(EXIT_INTERRUPTED);
  interrupted = true;
  output.stderr.text('\nrouter-lab-grader: interrupted; stopping what runs on the VMs of the labs in flight (Ctrl-C again to quit at once)\n');
  void runPendingCleanups(CLEANUP_WAIT_MS).finally(() => {
    output.stderr.text('router-lab-grader: the reports of finished labs are kept (--resume continues a class)\n');
    process.exit(EXIT_INTERRUPTED);
  });
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) output.stderr.line(`router-lab-grader: ${problem}`);
      process.exitCode = EXIT_CONFIG_ERROR;
    } else {
      output.stderr.line(`router-lab-grader: internal error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT_INTERNAL_ERROR;
    }
  },
);

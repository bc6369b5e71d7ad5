import { fileURLToPath } from 'node:url';
import { ConfigError } from './config/config-error.ts';
import { parseCliArgs, USAGE } from './cli/args.ts';

// Beside grader/ in the sources, beside dist/ in the bundle: both one folder up.
const DEFAULT_CHECKS = fileURLToPath(new URL('../checks/exercise.yaml', import.meta.url));

// Each command loads only what it uses (ssh2, the check-file schema, the class reports...): the
// modules are imported when the command runs, not when the CLI starts.
async function main(argv: string[]): Promise<number> {
  // `npm run grade` starts in the package root; relative paths are meant from where the user was.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  if (argv[0] === 'merge') return (await import('./cli/merge-command.ts')).mergeCommand(argv.slice(1));
  if (argv[0] === 'rescore') return (await import('./cli/rescore-command.ts')).rescoreCommand(argv.slice(1));
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return (await import('./cli/grade-command.ts')).gradeCommand(args, DEFAULT_CHECKS);
}

process.on('SIGINT', () => {
  process.stderr.write('\nrouter-lab-grader: interrupted; the reports of finished labs are kept (--resume continues a class)\n');
  process.exit(130);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`router-lab-grader: ${problem}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`router-lab-grader: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 3;
    }
  },
);

#!/usr/bin/env node
// `npm run grade`: runs the grader's CLI precompiled (dist/grader-cli.mjs), never a stale build.
// When the bundle is missing or was built from other sources than the present ones (see the stamp
// in scripts/build-cli.mjs), it is rebuilt first (esbuild, a few tenths of a second). When it
// cannot be (no esbuild, dist/ not writable...), the TypeScript sources run through tsx instead,
// after a one-line note on stderr; sources that do not compile end it with one line and exit 3.
// Otherwise arguments, output and exit codes are the CLI's own.
import { pathToFileURL } from 'node:url';
import { BUNDLE, ENTRY, buildCli, bundleStamp, describeBuildError, sourceStamp } from '../scripts/build-cli.mjs';

const say = (line) => process.stderr.write(`router-lab-grader: ${line}\n`);

let entry = BUNDLE;
if (bundleStamp() !== sourceStamp()) {
  try {
    await buildCli();
  } catch (error) {
    if (error?.errors?.length) {
      // esbuild read the sources and refused them: tsx would fail on them the same way.
      say(`internal error: the sources do not compile: ${describeBuildError(error)}`);
      entry = undefined;
    } else {
      say(`could not build dist/grader-cli.mjs (${describeBuildError(error)}); running the TypeScript sources through tsx`);
      entry = ENTRY;
    }
  }
}

if (entry === undefined) {
  process.exitCode = 3;
} else {
  try {
    if (entry === ENTRY) {
      const { register } = await import('tsx/esm/api');
      register();
    }
    // The CLI starts grading as it is evaluated, with process.argv as given to this launcher.
    await import(pathToFileURL(entry).href);
  } catch (error) {
    say(`internal error: cannot load ${entry === ENTRY ? 'grader/cli.ts through tsx' : 'dist/grader-cli.mjs'}: ${describeBuildError(error)}`);
    process.exitCode = 3;
  }
}

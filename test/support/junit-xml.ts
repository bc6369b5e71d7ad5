// Checking JUnit XML with a real XML toolchain: xmllint against the Ant schema that sits in
// ../shared beside the checkout, and XPath queries. A missing schema or xmllint fails the test.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './run-cli.ts';

export const JUNIT_XSD = join(REPO, '..', 'shared', 'reference', 'junit-ant.xsd');

const MISSING_SCHEMA = `the Ant JUnit schema is missing: ${JUNIT_XSD} (../shared must sit beside the checkout)`;

/** For a beforeAll: throws when the schema is not there. */
export function requireJunitSchema(): void {
  if (!existsSync(JUNIT_XSD)) throw new Error(MISSING_SCHEMA);
}

export interface ToolRun {
  code: number | null;
  output: string;
}

/** xmllint ARGS on `xml` given on stdin, synchronously. */
export function xmllint(args: string[], xml: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('xmllint', [...args, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${run.error.message}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `xml` against the Ant schema. */
export function validateJunitText(xml: string): { status: number | null; stderr: string } {
  return xmllint(['--noout', '--schema', JUNIT_XSD], xml);
}

/** The JUnit file at `path` against the Ant schema. */
export function validateJunitFile(path: string): Promise<ToolRun> {
  if (!existsSync(JUNIT_XSD)) return Promise.resolve({ code: null, output: MISSING_SCHEMA });
  return runTool('xmllint', ['--noout', '--schema', JUNIT_XSD, path]);
}

/** Runs a tool to its end (60 s at most): its exit code and what it printed. */
export function runTool(command: string, args: string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? `${command} is not installed\n` : '';
      resolve({ code, output: `${missing}${stdout}${stderr}` });
    });
  });
}

/** An XPath evaluated by xmllint; numbers and strings come back as text. */
export function xpath(xml: string, expression: string): string {
  const run = xmllint(['--xpath', expression], xml);
  if (run.status !== 0) throw new Error(`xpath ${expression} failed: ${run.stderr}`);
  return run.stdout.replace(/\n$/, ''); // xmllint ends every result with one newline
}

export const countNodes = (xml: string, expression: string): number => Number(xpath(xml, `count(${expression})`));

// Checking JUnit XML with a real XML toolchain: xmllint against the project's own schema of each
// flavor (grader/report/junit*.xsd), and XPath queries. The ant flavor is also checked against the
// Ant schema CI puts in ../shared beside the checkout, as a second opinion, where it exists: a
// user's clone has no ../shared, and its absence fails nothing. A missing xmllint fails the test.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JunitFlavor } from '../../grader/report/junit.ts';
import { REPO } from './run-cli.ts';

/** The project's schema of each flavor, as docs/reports.md names them. */
export const JUNIT_SCHEMAS: Readonly<Record<JunitFlavor, string>> = {
  ant: join(REPO, 'grader', 'report', 'junit.xsd'),
  jenkins: join(REPO, 'grader', 'report', 'junit-jenkins.xsd'),
  codegrade: join(REPO, 'grader', 'report', 'junit-codegrade.xsd'),
};

/** Outside the repository: read only when it is there. */
export const REFERENCE_ANT_SCHEMA = join(REPO, '..', 'shared', 'reference', 'junit-ant.xsd');

/** The schemas a `flavor` document must validate against here: its own, and for ant the reference when present. */
export function junitSchemas(flavor: JunitFlavor = 'ant'): string[] {
  return flavor === 'ant' && existsSync(REFERENCE_ANT_SCHEMA) ? [JUNIT_SCHEMAS.ant, REFERENCE_ANT_SCHEMA] : [JUNIT_SCHEMAS[flavor]];
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

// One run per schema: the first failing exit code (0 when all validate), and what each said.
function combined(runs: Array<{ schema: string; code: number | null; output: string }>): ToolRun {
  const failed = runs.find((r) => r.code !== 0);
  return { code: failed ? failed.code : 0, output: runs.map((r) => `xmllint --schema ${r.schema}:\n${r.output.trim()}`).join('\n') };
}

/** `xml` against the schemas of its flavor. */
export function validateJunitText(xml: string, flavor: JunitFlavor = 'ant'): ToolRun {
  return combined(
    junitSchemas(flavor).map((schema) => {
      const run = xmllint(['--noout', '--schema', schema], xml);
      return { schema, code: run.status, output: run.stderr };
    }),
  );
}

/** The JUnit file at `path` against the schemas of its flavor. */
export async function validateJunitFile(path: string, flavor: JunitFlavor = 'ant'): Promise<ToolRun> {
  const runs = await Promise.all(junitSchemas(flavor).map(async (schema) => ({ schema, ...(await runTool('xmllint', ['--noout', '--schema', schema, path])) })));
  return combined(runs);
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

import os from 'node:os';
import { randomUUID } from 'node:crypto';
import junitReportBuilderModule from 'junit-report-builder';
import type { Builder, TestCase, TestSuite } from 'junit-report-builder';
import type { CheckResult } from '../core/result.ts';
import type { LabReport } from '../core/lab-report.ts';
import { sanitizeLine, sanitizeText } from './sanitize.ts';
import { formatPoints, resultLabel } from './result-label.ts';
import { adviceOf, diagnosisBlock } from './diagnosis-text.ts';
import { escapeText, renderTag, rewriteTags } from './xml-rewrite.ts';

/**
 * Each flavor's layout is written down as a schema beside this file: junit.xsd, junit-jenkins.xsd,
 * junit-codegrade.xsd.
 * - `ant`: the Ant layout (valid against Ant's own junit-ant.xsd too). Per-check points and
 *   measurements go to suite properties, per-check messages to the suite's system-out, because the
 *   Ant layout allows neither properties nor system-out inside a testcase.
 * - `codegrade`: CodeGrade's parser. A testsuite holds only testcases, a testcase at most one
 *   failure/error child (its first child decides its state), `weight` = the check's max points.
 * - `jenkins`: the Ant layout plus properties (points, max_points, host, check, measurements) and
 *   system-out on each testcase, read by Jenkins with "keep properties"; not Ant-schema valid.
 * @default 'ant'
 */
export type JunitFlavor = 'ant' | 'codegrade' | 'jenkins';
export const JUNIT_FLAVORS: readonly JunitFlavor[] = ['ant', 'codegrade', 'jenkins'];

export interface JunitOptions {
  /** The testsuite's `hostname` attribute. @default os.hostname() */
  hostname?: string;
}

const PACKAGE = 'router-lab-grader';

// The package is CommonJS (`module.exports = builder`) typed as an ES default export: Node hands
// the builder itself to `import x from`, TypeScript expects it under `.default`. Accept both.
const imported: unknown = junitReportBuilderModule;
const rootBuilder: Builder = isBuilder(imported) ? imported : (imported as { default: Builder }).default;

function isBuilder(value: unknown): value is Builder {
  return typeof (value as Partial<Builder> | null)?.newBuilder === 'function';
}

export function renderJunit(report: LabReport, flavor: JunitFlavor = 'ant', options: JunitOptions = {}): string {
  // Every CDATA text has its `]]>` replaced by this marker before it reaches the builder, which
  // splits only the first `]]>` of a text; the marker becomes a proper CDATA split afterwards.
  const cdataSplit = `CDATA-SPLIT-${randomUUID()}`;
  const cdata = (text: string): string => text.split(']]>').join(cdataSplit);

  const lab = sanitizeLine(report.lab) || 'lab';
  const builder = rootBuilder.newBuilder();
  const suite = builder
    .testSuite()
    .name(lab)
    .timestamp(antTimestamp(report.startedAt))
    .time(seconds(report.durationMs));
  if (flavor !== 'codegrade') addSuiteProperties(suite, report, flavor);

  const names = new Map<string, number>();
  for (const result of report.results) {
    const testCase = suite
      .testCase()
      .className(`${PACKAGE}.${lab}`)
      .name(uniqueName(resultLabel(result) || 'check', names))
      .time(seconds(result.durationMs));
    if (flavor === 'jenkins') addCaseProperties(testCase, result);
    const message = sanitizeLine(result.message);
    if (result.status === 'fail') testCase.failure(message, 'fail').stacktrace(cdata(problemText(result, report)));
    else if (result.status === 'error') testCase.error(message, 'error', cdata(problemText(result, report)));
    else if (flavor === 'jenkins') testCase.standardOutput(cdata(passText(result)));
  }

  const built = builder.build().split(cdataSplit).join(']]]]><![CDATA[>');
  const hostname = sanitizeLine(options.hostname ?? os.hostname()) || 'localhost';
  return rewriteTags(built, (tag) => {
    if (tag.name === 'testsuites' && tag.kind === 'start' && flavor === 'ant') {
      // The Ant schema declares no attribute on <testsuites>; the builder writes counts there.
      return renderTag({ ...tag, attributes: [] }, {});
    }
    if (tag.name === 'testsuite' && tag.kind !== 'end') {
      const changes = { hostname, id: String(tag.index), package: PACKAGE };
      if (tag.kind === 'empty' && flavor !== 'codegrade') {
        return `${renderTag(tag, changes, false)}\n${suiteOutput(report, flavor)}</testsuite>`;
      }
      return renderTag(tag, changes);
    }
    if (tag.name === 'testsuite' && tag.kind === 'end' && flavor !== 'codegrade') {
      return `${suiteOutput(report, flavor)}</testsuite>`;
    }
    if (tag.name === 'testcase' && tag.kind !== 'end' && flavor === 'codegrade') {
      const result = report.results[tag.index];
      return result ? renderTag(tag, { weight: formatPoints(Math.max(0, result.maxPoints)) }) : undefined;
    }
    return undefined;
  });
}

function addSuiteProperties(suite: TestSuite, report: LabReport, flavor: JunitFlavor): void {
  suite
    .property('score', formatPoints(report.score))
    .property('max_score', formatPoints(report.maxScore))
    .property('started_at', sanitizeLine(report.startedAt));
  if (flavor !== 'ant') return;
  // The Ant schema has no properties on a testcase: `<id>.<host>.points` and so on, per check.
  for (const result of report.results) {
    const prefix = resultLabel(result).replace(/ /g, '.');
    suite.property(`${prefix}.points`, formatPoints(result.points));
    suite.property(`${prefix}.max_points`, formatPoints(result.maxPoints));
    for (const [name, value] of measurementEntries(result)) suite.property(`${prefix}.${name}`, String(value));
  }
}

function addCaseProperties(testCase: TestCase, result: CheckResult): void {
  testCase
    .property('points', formatPoints(result.points))
    .property('max_points', formatPoints(result.maxPoints))
    .property('host', sanitizeLine(result.host))
    .property('check', sanitizeLine(result.id));
  for (const [name, value] of measurementEntries(result)) testCase.property(name, String(value));
}

function measurementEntries(result: CheckResult): [string, number][] {
  return Object.entries(result.measurements)
    .map(([name, value]): [string, number] => [sanitizeLine(name).replace(/ /g, '_'), value])
    .filter(([name]) => name !== '');
}

// The body of a <failure> or <error>: what was expected and seen, the commands and their output,
// then the fix.
export function problemText(result: CheckResult, report?: Pick<LabReport, 'diagnoses'>): string {
  const lines: string[] = [];
  const message = sanitizeText(result.message).trim();
  if (message) lines.push(message);
  if (result.expected !== undefined) lines.push(`Expected: ${sanitizeText(result.expected)}`);
  if (result.actual !== undefined) lines.push(`Actual: ${sanitizeText(result.actual)}`);
  const measured = measurementEntries(result).map(([name, value]) => `${name}=${value}`);
  if (measured.length > 0) lines.push(`Measured: ${measured.join(', ')}`);
  lines.push(`Points: ${formatPoints(result.points)}/${formatPoints(result.maxPoints)}`);
  for (const evidence of result.evidence) {
    const exit = evidence.exitCode === null ? 'no exit code' : `exit ${evidence.exitCode}`;
    lines.push('', `$ ${sanitizeLine(evidence.command)}  (${sanitizeLine(evidence.host)}, ${exit})`);
    lines.push(sanitizeText(evidence.output).replace(/\n+$/, '') || '(no output)');
  }
  const advice = adviceOf(report ?? {}, result);
  if (advice !== undefined) lines.push('', `Hint: ${sanitizeText(advice)}`);
  if (report) lines.push(...diagnosisBlock(report, result));
  return lines.join('\n');
}

function passText(result: CheckResult): string {
  const measured = measurementEntries(result).map(([name, value]) => `${name}: ${value}`);
  return [sanitizeText(result.message), ...measured].join('\n');
}

// The suite's <system-out> (one line per check) and an empty <system-err>, both required by the
// Ant schema.
function suiteOutput(report: LabReport, flavor: JunitFlavor): string {
  if (flavor === 'codegrade') return '';
  const lines = report.results.map((result) => {
    const measured = measurementEntries(result).map(([name, value]) => `${name}=${value}`);
    const figures = measured.length > 0 ? ` [${measured.join(', ')}]` : '';
    const points = `${formatPoints(result.points)}/${formatPoints(result.maxPoints)}`;
    return `${result.status} ${points} ${resultLabel(result)}: ${sanitizeLine(result.message)}${figures}`;
  });
  const heading = `${sanitizeLine(report.lab)}: ${formatPoints(report.score)}/${formatPoints(report.maxScore)} points`;
  const log = escapeText([heading, ...lines].join('\n'));
  return `  <system-out>${log}</system-out>\n    <system-err/>\n  `;
}

function uniqueName(name: string, seen: Map<string, number>): string {
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  return count === 1 ? name : `${name} (${count})`;
}

function seconds(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Number((ms / 1000).toFixed(3)) : 0;
}

// The Ant schema wants `YYYY-MM-DDTHH:MM:SS` without a zone: the wall-clock time as the report
// recorded it (the full value with zone is in the `started_at` property).
export function antTimestamp(startedAt: string): string {
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(startedAt)?.[0];
  if (local !== undefined && !Number.isNaN(Date.parse(`${local}Z`))) return local;
  const parsed = Date.parse(startedAt);
  return new Date(Number.isNaN(parsed) ? Date.now() : parsed).toISOString().slice(0, 19);
}

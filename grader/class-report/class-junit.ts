import { renderJunit, type JunitFlavor, type JunitOptions } from '../report/junit.ts';
import { sanitizeLine } from '../report/sanitize.ts';
import { renderTag, rewriteTags, type Tag } from '../report/xml-rewrite.ts';
import type { ClassLab, ClassReport } from './class-report.ts';

const COUNTS = ['tests', 'failures', 'errors', 'skipped'] as const;

// One JUnit document for the class: each lab's suite exactly as the per-lab report renders it
// (same test cases, same flavor rules), named `<student id> <lab>` when the student is known,
// numbered 0, 1, ... in lab order, under one <testsuites>. In the ant flavor <testsuites> has no
// attribute (the Ant schema declares none); in the others it carries the summed counts.
export function renderClassJunit(report: ClassReport, flavor: JunitFlavor = 'ant', options: JunitOptions = {}): string {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = report.labs.map((lab, index) => labSuite(lab, index, flavor, options, totals));
  const attributes = flavor === 'ant' ? '' : COUNTS.map((name) => ` ${name}="${totals[name]}"`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes}>${suites.join('')}\n</testsuites>\n`;
}

function suiteName(lab: ClassLab): string {
  const name = sanitizeLine(lab.student ? `${lab.student.id} ${lab.lab}` : lab.lab);
  return name || 'lab';
}

// The lab's <testsuite> element, taken out of its own document, renamed and renumbered; its
// counts are added to `totals`.
function labSuite(lab: ClassLab, index: number, flavor: JunitFlavor, options: JunitOptions, totals: Record<(typeof COUNTS)[number], number>): string {
  const document = renderJunit(lab.report, flavor, options).replace(/^<\?xml[^>]*\?>\s*/, '');
  const suite = rewriteTags(document, (tag: Tag) => {
    if (tag.name === 'testsuites') return '';
    if (tag.name !== 'testsuite' || tag.kind === 'end') return undefined;
    for (const name of COUNTS) totals[name] += Number(tag.attributes.find((a) => a.name === name)?.rawValue ?? 0) || 0;
    return renderTag(tag, { name: suiteName(lab), id: String(index) });
  });
  return `\n  ${suite.trim()}`;
}

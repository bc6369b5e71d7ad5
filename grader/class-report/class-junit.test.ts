import { describe, expect, it } from 'vitest';
import { renderJunit } from '../report/junit.ts';
import { renderClassJunit } from './class-junit.ts';
import { countNodes as count, JUNIT_SCHEMAS, validateJunitText, xpath } from '../../test/support/junit-xml.ts';
import { sampleClass } from '../../test/support/sample-class.ts';

describe('renderClassJunit', () => {
  const report = sampleClass();
  const ant = renderClassJunit(report, 'ant', { hostname: 'grader-host' });

  it('validates against the project\'s schema (and the Ant schema where ../shared has it)', () => {
    const result = validateJunitText(ant, 'ant');
    expect(result.output).toContain(`xmllint --schema ${JUNIT_SCHEMAS.ant}:\n- validates`);
    expect(result.code, result.output).toBe(0);
  });

  it('has one testsuite per lab, in lab order, numbered from 0, named after the student and the lab', () => {
    expect(count(ant, '/testsuites/testsuite')).toBe(12);
    expect(xpath(ant, 'string(/testsuites/testsuite[1]/@name)')).toBe('00123 lab01');
    expect(xpath(ant, 'string(/testsuites/testsuite[1]/@id)')).toBe('0');
    expect(xpath(ant, 'string(/testsuites/testsuite[11]/@name)')).toBe('lab11');
    expect(xpath(ant, 'string(/testsuites/testsuite[12]/@id)')).toBe('11');
    expect(xpath(ant, 'string(/testsuites/testsuite[12]/@hostname)')).toBe('grader-host');
  });

  it("holds each lab's test cases exactly as its own JUnit report does", () => {
    report.labs.forEach((lab, index) => {
      const own = renderJunit(lab.report, 'ant', { hostname: 'grader-host' });
      const suite = `/testsuites/testsuite[${index + 1}]`;
      for (const attribute of ['tests', 'failures', 'errors', 'timestamp', 'time']) {
        expect(xpath(ant, `string(${suite}/@${attribute})`)).toBe(xpath(own, `string(/testsuites/testsuite/@${attribute})`));
      }
      expect(xpath(ant, `${suite}/testcase`)).toBe(xpath(own, '/testsuites/testsuite/testcase'));
    });
    // lab05 could not be graded: every case an error.
    expect(count(ant, '/testsuites/testsuite[5]/testcase[error]')).toBe(10);
  });

  it('sums the counts on <testsuites> in the jenkins and codegrade flavors', () => {
    for (const flavor of ['jenkins', 'codegrade'] as const) {
      const xml = renderClassJunit(report, flavor, { hostname: 'grader-host' });
      expect(validateJunitText(xml, flavor).code).toBe(0);
      expect(xpath(xml, 'string(/testsuites/@tests)')).toBe(String(count(xml, '//testcase')));
      expect(xpath(xml, 'string(/testsuites/@failures)')).toBe(String(count(xml, '//testcase[failure]')));
      expect(xpath(xml, 'string(/testsuites/@errors)')).toBe(String(count(xml, '//testcase[error]')));
      expect(xpath(xml, 'string(/testsuites/@errors)')).toBe('22');
    }
  });

  it('escapes a hostile student id in the suite name and stays well-formed', () => {
    const hostile = sampleClass();
    const first = hostile.labs[0];
    if (!first) throw new Error('no lab');
    hostile.labs = [{ ...first, student: { id: '"><script>&amp;\x1b[31m' } }];
    const xml = renderClassJunit(hostile, 'ant', { hostname: 'h' });
    expect(validateJunitText(xml).code).toBe(0);
    expect(xpath(xml, 'string(//testsuite/@name)')).toBe('"><script>&amp; lab01');
  });

  it.each(['ant', 'jenkins', 'codegrade'] as const)('renders an empty class as an empty <testsuites>, valid in the %s flavor', (flavor) => {
    const xml = renderClassJunit({ ...report, labs: [] }, flavor);
    expect(count(xml, '//testsuite')).toBe(0);
    const result = validateJunitText(xml, flavor);
    expect(result.code, result.output).toBe(0);
  });
});

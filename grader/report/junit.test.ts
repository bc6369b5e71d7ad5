import { describe, expect, it } from 'vitest';
import type { LabReport } from '../core/lab-report.ts';
import { antTimestamp, JUNIT_FLAVORS, problemText, renderJunit, type JunitFlavor } from './junit.ts';
import { countNodes as count, JUNIT_SCHEMAS, validateJunitText, xmllint, xpath } from '../../test/support/junit-xml.ts';
import { HOSTILE_OUTPUT, sampleReport, sampleResult } from '../../test/support/sample-report.ts';

// CodeGrade's JUnit rules: every child of a testsuite is a testcase, a testcase's state is its
// first child, `time` on every testcase, counts match the attributes.
function codegradeProblems(xml: string): string[] {
  const problems: string[] = [];
  if (count(xml, '/testsuites/*[not(self::testsuite)]') > 0) problems.push('non-testsuite child of testsuites');
  const suites = count(xml, '//testsuite');
  for (let i = 1; i <= suites; i++) {
    const suite = `(//testsuite)[${i}]`;
    if (count(xml, `${suite}/*[not(self::testcase)]`) > 0) problems.push(`suite ${i}: non-testcase child`);
    if (count(xml, `${suite}/testcase[not(@time) or not(@name) or not(@classname)]`) > 0) problems.push(`suite ${i}: attribute missing`);
    if (count(xml, `${suite}/testcase[*[2]]`) > 0) problems.push(`suite ${i}: testcase with more than one child`);
    const firstChild = (name: string): number => count(xml, `${suite}/testcase[*[1][self::${name}]]`);
    for (const [attribute, element] of [['failures', 'failure'], ['errors', 'error'], ['skipped', 'skipped']] as const) {
      if (firstChild(element) !== Number(xpath(xml, `string(${suite}/@${attribute})`) || 0)) problems.push(`suite ${i}: ${attribute} mismatch`);
    }
    if (count(xml, `${suite}/testcase`) !== Number(xpath(xml, `string(${suite}/@tests)`))) problems.push(`suite ${i}: tests mismatch`);
  }
  return problems;
}

describe('renderJunit, ant flavor', () => {
  const report = sampleReport();
  const xml = renderJunit(report, 'ant', { hostname: 'grader-host' });

  it('validates against the project\'s schema (and the Ant schema where ../shared has it)', () => {
    const result = validateJunitText(xml, 'ant');
    expect(result.output).toContain(`xmllint --schema ${JUNIT_SCHEMAS.ant}:\n- validates`);
    expect(result.code, result.output).toBe(0);
  });

  it('is the default flavor', () => {
    expect(renderJunit(report, undefined, { hostname: 'grader-host' })).toBe(xml);
  });

  it('has one testsuite named after the lab, with the right counts', () => {
    expect(count(xml, '/testsuites/testsuite')).toBe(1);
    expect(xpath(xml, 'string(//testsuite/@name)')).toBe('router-lab');
    expect(xpath(xml, 'string(//testsuite/@tests)')).toBe('5');
    expect(xpath(xml, 'string(//testsuite/@failures)')).toBe('1');
    expect(xpath(xml, 'string(//testsuite/@errors)')).toBe('1');
    expect(xpath(xml, 'string(//testsuite/@skipped)')).toBe('0');
    expect(count(xml, '//testcase[failure]')).toBe(1);
    expect(count(xml, '//testcase[error]')).toBe(1);
  });

  it('sets the attributes the schema requires on the testsuite', () => {
    expect(xpath(xml, 'string(//testsuite/@hostname)')).toBe('grader-host');
    expect(xpath(xml, 'string(//testsuite/@timestamp)')).toBe('2025-11-25T11:18:03');
    expect(xpath(xml, 'string(//testsuite/@time)')).toBe('12.345');
    expect(xpath(xml, 'string(//testsuite/@id)')).toBe('0');
    expect(xpath(xml, 'string(//testsuite/@package)')).toBe('router-lab-grader');
    expect(count(xml, '/testsuites/@*')).toBe(0);
  });

  it('names test cases `id host` (just `id` for the lab) under one classname, with a time each', () => {
    const names = xpath(xml, '//testcase/@name').trim().split('\n').map((s) => s.trim());
    expect(names).toEqual(['name="subnets"', 'name="virtio vm1"', 'name="virtio router"', 'name="ping vm1"', 'name="iperf vm1"']);
    expect(count(xml, '//testcase[@classname="router-lab-grader.router-lab"]')).toBe(5);
    expect(count(xml, '//testcase[not(@time)]')).toBe(0);
    expect(xpath(xml, 'string(//testcase[@name="iperf vm1"]/@time)')).toBe('1.5');
  });

  it('puts score and per-check points in suite properties', () => {
    const property = (name: string): string => xpath(xml, `string(//testsuite/properties/property[@name="${name}"]/@value)`);
    expect(property('score')).toBe('4');
    expect(property('max_score')).toBe('7');
    expect(property('started_at')).toBe('2025-11-25T11:18:03.120+01:00');
    expect(property('virtio.router.points')).toBe('0');
    expect(property('ping.vm1.max_points')).toBe('2');
    expect(property('ping.vm1.rttAvgMs')).toBe('0.512');
    expect(property('iperf.vm1.throughputMbps')).toBe('941.234');
    expect(property('subnets.points')).toBe('1');
  });

  it('lists every check with its message and figures in the suite system-out', () => {
    const out = xpath(xml, 'string(//testsuite/system-out)');
    expect(out).toContain('pass 2/2 ping vm1: vm3 answers through the router (ttl=63) [rttAvgMs=0.512, lossPercent=0]');
    expect(out).toContain('fail 0/1 virtio router: enp8s0 uses e1000');
    expect(count(xml, '//testsuite/system-err')).toBe(1);
  });

  it('gives a failure the diagnosis that explains it instead of its hint, and an error only its own hint', () => {
    const result = report.results[2]!;
    const diagnosed = { diagnoses: [{ cause: 'not-virtio' as const, host: 'router' as const, summary: 'The router VM has an e1000 NIC.', fix: ['virsh edit R'], evidence: [], results: ['virtio router'] }] };
    const text = problemText(result, diagnosed);
    expect(text).not.toContain('Hint:');
    expect(text).toMatch(/\n\nWhy, and what to fix:\n\[not-virtio\] the router VM: The router VM has an e1000 NIC\.\n  \$ virsh edit R$/);
    expect(problemText({ ...result, status: 'error' })).not.toContain('Hint:');
    expect(problemText({ ...result, status: 'error', ownHint: true })).toContain('Hint:');
  });

  it('writes a failure with message, type and the full story as text', () => {
    const failure = '//testcase[@name="virtio router"]/failure';
    expect(xpath(xml, `string(${failure}/@type)`)).toBe('fail');
    expect(xpath(xml, `string(${failure}/@message)`)).toBe('enp8s0 uses e1000');
    const text = xpath(xml, `string(${failure})`);
    const result = report.results[2]!;
    expect(text).toBe(problemText(result));
    expect(text).toMatch(/^enp8s0 uses e1000\nExpected: virtio_net on every NIC\nActual: e1000 on enp8s0\nPoints: 0\/1\n\n/);
    expect(text).toContain('$ readlink /sys/class/net/enp8s0/device/driver  (router, exit 0)\n../../../../bus/pci/drivers/e1000\n');
    expect(text).toContain('$ ethtool -i enp8s0  (router, exit 0)\nred hidden-cursor');
    expect(text).toMatch(/\n\nHint: In virt-manager, set the NIC model of enp8s0 to virtio & reboot <router>\.$/);
  });

  it('keeps `]]>`, `<` and `&` from command output intact through CDATA', () => {
    const text = xpath(xml, 'string(//testcase[@name="virtio router"]/failure)');
    expect(text).toContain('cdata]]>twice]]><script/> <tag attr="v"> & amp &amp; </testcase></testsuite>');
    expect(count(xml, '//script')).toBe(0);
    expect(count(xml, '//tag')).toBe(0);
    expect(count(xml, '//testcase')).toBe(5);
  });

  it('writes an error with type error in the same layout', () => {
    const error = '//testcase[@name="iperf vm1"]/error';
    expect(xpath(xml, `string(${error}/@type)`)).toBe('error');
    expect(xpath(xml, `string(${error}/@message)`)).toBe('iperf3 is not installed on vm3');
    expect(xpath(xml, `string(${error})`)).toBe(
      [
        'iperf3 is not installed on vm3',
        'Measured: throughputMbps=941.234',
        'Points: 0/2',
        '',
        '$ iperf3 -s -1  (vm3, exit 127)',
        'sh: 1: iperf3: not found',
        '',
        'Hint: sudo apt install iperf3',
      ].join('\n'),
    );
  });

  it('leaves no escape sequence, forbidden character or `[31m` remnant anywhere', () => {
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]/);
    expect(xml).not.toMatch(/\[\d+(;\d+)*m|\[\?25[lh]|\]0;window/);
  });

  it('sanitizes names and attributes too', () => {
    const dirty = sampleReport({
      lab: 'lab\x1b[1m 2\x00',
      results: [sampleResult({ id: 'ping\x1b[0m', host: 'vm\x071', status: 'fail', message: 'bad\x1b[31m\nline' })],
    });
    const out = renderJunit(dirty, 'ant', { hostname: 'h\x1b[0m' });
    expect(validateJunitText(out).code).toBe(0);
    expect(xpath(out, 'string(//testsuite/@name)')).toBe('lab 2');
    expect(xpath(out, 'string(//testcase/@name)')).toBe('ping vm1');
    expect(xpath(out, 'string(//failure/@message)')).toBe('bad line');
    expect(xpath(out, 'string(//testsuite/@hostname)')).toBe('h');
  });

  it('stays valid with no results, an empty lab name and odd numbers', () => {
    const empty = sampleReport({ lab: '', results: [], durationMs: Number.NaN, score: 0, maxScore: 0 });
    const out = renderJunit(empty);
    expect(validateJunitText(out).code).toBe(0);
    expect(xpath(out, 'string(//testsuite/@tests)')).toBe('0');
    const tiny = sampleReport({ results: [sampleResult({ id: 'a', host: 'vm1', status: 'pass', durationMs: 0.0001 })] });
    const tinyXml = renderJunit(tiny);
    expect(validateJunitText(tinyXml).code).toBe(0);
    expect(xpath(tinyXml, 'string(//testcase/@time)')).toBe('0');
  });

  it('keeps test case names unique even if two results share id and host', () => {
    const twice = sampleReport({
      results: [sampleResult({ id: 'ping', host: 'vm1', status: 'pass' }), sampleResult({ id: 'ping', host: 'vm1', status: 'fail' })],
    });
    const out = renderJunit(twice);
    expect(xpath(out, 'string((//testcase)[2]/@name)')).toBe('ping vm1 (2)');
  });
});

describe('renderJunit, codegrade flavor', () => {
  const report = sampleReport();
  const xml = renderJunit(report, 'codegrade');

  it('follows CodeGrade’s parser rules', () => {
    expect(codegradeProblems(xml)).toEqual([]);
  });

  it('has only testcases in the testsuite, and pass cases without children', () => {
    expect(count(xml, '//testsuite/*')).toBe(5);
    expect(count(xml, '//testsuite/properties | //testsuite/system-out | //testsuite/system-err')).toBe(0);
    expect(count(xml, '//testcase[not(failure) and not(error)][*]')).toBe(0);
  });

  it('weights each testcase with the check’s max points', () => {
    const weights = xpath(xml, '//testcase/@weight').trim().split('\n').map((s) => s.trim());
    expect(weights).toEqual(['weight="1"', 'weight="1"', 'weight="1"', 'weight="2"', 'weight="2"']);
  });

  it('keeps counts, times and failure texts as in the ant flavor', () => {
    expect(xpath(xml, 'string(//testsuite/@failures)')).toBe('1');
    expect(xpath(xml, 'string(//testsuite/@errors)')).toBe('1');
    expect(xpath(xml, 'string(//testsuite/@tests)')).toBe('5');
    expect(count(xml, '//testcase[not(@time)]')).toBe(0);
    expect(xpath(xml, 'string(//testcase[@name="virtio router"]/failure)')).toBe(problemText(report.results[2]!));
  });

  it('stays parseable with no results', () => {
    const out = renderJunit(sampleReport({ results: [] }), 'codegrade');
    expect(codegradeProblems(out)).toEqual([]);
    expect(count(out, '//testsuite')).toBe(1);
  });

  it('detects a broken file (checker self-test)', () => {
    const broken = xml.replace(/(<testsuite [^>]*)failures="1"/, '$1failures="2"').replace('<testcase ', '<properties/><testcase ');
    expect(codegradeProblems(broken)).toEqual(expect.arrayContaining(['suite 1: non-testcase child', 'suite 1: failures mismatch']));
  });
});

describe('renderJunit, jenkins flavor', () => {
  const xml = renderJunit(sampleReport(), 'jenkins');

  it('carries points, host, check and measurements as testcase properties', () => {
    const property = (test: string, name: string): string =>
      xpath(xml, `string(//testcase[@name="${test}"]/properties/property[@name="${name}"]/@value)`);
    expect(property('ping vm1', 'points')).toBe('2');
    expect(property('ping vm1', 'max_points')).toBe('2');
    expect(property('ping vm1', 'host')).toBe('vm1');
    expect(property('ping vm1', 'check')).toBe('ping');
    expect(property('ping vm1', 'rttAvgMs')).toBe('0.512');
    expect(property('iperf vm1', 'throughputMbps')).toBe('941.234');
    expect(xpath(xml, 'string(//testcase[@name="ping vm1"]/system-out)')).toBe('vm3 answers through the router (ttl=63)\nrttAvgMs: 0.512\nlossPercent: 0');
  });

  it('is the Ant layout apart from the testcase children', () => {
    const stripped = xml
      .replace(/\n\s*<properties>\n(?:\s*<property [^\n]*\/>\n)*\s*<\/properties>(?=\n\s*<(?:failure|error|system-out))/g, '')
      .replace(/\n\s*<system-out><!\[CDATA\[[^\]]*\]\]><\/system-out>(?=\n\s*<\/testcase>)/g, '')
      .replace(/<testsuites [^>]*>/, '<testsuites>');
    expect(validateJunitText(stripped, 'ant').code).toBe(0);
  });
});

describe('every flavor', () => {
  it.each(JUNIT_FLAVORS)('%s is well-formed XML and counts right with hostile text everywhere', (flavor) => {
    const hostile: LabReport = sampleReport({
      lab: `lab ${HOSTILE_OUTPUT}`,
      results: [
        sampleResult({ id: 'a', host: 'vm1', status: 'pass', message: HOSTILE_OUTPUT, measurements: { [HOSTILE_OUTPUT]: 1 } }),
        sampleResult({ id: 'b', host: 'vm1', status: 'fail', message: HOSTILE_OUTPUT, expected: HOSTILE_OUTPUT, actual: HOSTILE_OUTPUT, hint: HOSTILE_OUTPUT }),
        sampleResult({ id: 'c', host: 'vm3', status: 'error', message: HOSTILE_OUTPUT, evidence: [{ host: HOSTILE_OUTPUT, command: HOSTILE_OUTPUT, exitCode: null, output: HOSTILE_OUTPUT }] }),
      ],
    });
    const xml = renderJunit(hostile, flavor);
    expect(xmllint(['--noout'], xml).status).toBe(0);
    expect(validateJunitText(xml, flavor).code).toBe(0);
    if (flavor === 'codegrade') expect(codegradeProblems(xml)).toEqual([]);
    expect(count(xml, '//testcase')).toBe(3);
    expect(xpath(xml, 'string(//testsuite/@failures)')).toBe('1');
    expect(xpath(xml, 'string(//testsuite/@errors)')).toBe('1');
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/);
    expect(xml).not.toMatch(/\[31m|\[0m|\[\?25/);
    expect(xpath(xml, 'string(//testcase[@name="c vm3"]/error)')).toContain(', no exit code)');
  });
});

describe("the project's JUnit schemas (grader/report/junit*.xsd)", () => {
  const xmlOf = (flavor: JunitFlavor) => renderJunit(sampleReport(), flavor, { hostname: 'grader-host' });

  it.each(JUNIT_FLAVORS)('%s output validates against its own schema', (flavor) => {
    const result = validateJunitText(xmlOf(flavor), flavor);
    expect(result.output).toContain(`xmllint --schema ${JUNIT_SCHEMAS[flavor]}:\n- validates`);
    expect(result.code, result.output).toBe(0);
  });

  it.each(JUNIT_FLAVORS)('%s output is refused by the other flavors\' schemas', (flavor) => {
    for (const other of JUNIT_FLAVORS.filter((f) => f !== flavor)) {
      expect(xmllint(['--noout', '--schema', JUNIT_SCHEMAS[other]], xmlOf(flavor)).status, `${flavor} against ${other}`).not.toBe(0);
    }
  });

  // Each edit breaks one promise of the ant layout; the schema must notice every one.
  it.each([
    ['a testcase without time', (x: string) => x.replace(/(<testcase [^>]*) time="[^"]*"/, '$1')],
    ['a testcase with both a failure and an error', (x: string) => x.replace('</failure>', '</failure><error message="m" type="error"/>')],
    ['a failure of another type', (x: string) => x.replace('type="fail"', 'type="assertion"')],
    ['a suite without system-err', (x: string) => x.replace('<system-err/>', '')],
    ['a suite without properties', (x: string) => x.replace(/<properties>[\s\S]*?<\/properties>/, '')],
    ['a timestamp with a zone', (x: string) => x.replace('timestamp="2025-11-25T11:18:03"', 'timestamp="2025-11-25T11:18:03Z"')],
    ['a negative count', (x: string) => x.replace('failures="1"', 'failures="-1"')],
    ['a suite without hostname', (x: string) => x.replace(/ hostname="[^"]*"/, '')],
    ['a skipped test case', (x: string) => x.replace(/(<testcase [^>]*name="subnets"[^>]*)\/>/, '$1><skipped/></testcase>')],
  ])('refuses %s', (_, edit) => {
    const xml = xmlOf('ant');
    const broken = edit(xml);
    expect(broken).not.toBe(xml);
    expect(xmllint(['--noout', '--schema', JUNIT_SCHEMAS.ant], broken).status).not.toBe(0);
  });

  it('refuses a codegrade test case without weight, and a jenkins test case without properties', () => {
    expect(xmllint(['--noout', '--schema', JUNIT_SCHEMAS.codegrade], xmlOf('codegrade').replace(/ weight="[^"]*"/, '')).status).not.toBe(0);
    const jenkins = xmlOf('jenkins').replace(/(<testcase [^>]*name="subnets"[^>]*>)\s*<properties>[\s\S]*?<\/properties>/, '$1');
    expect(jenkins).not.toBe(xmlOf('jenkins'));
    expect(xmllint(['--noout', '--schema', JUNIT_SCHEMAS.jenkins], jenkins).status).not.toBe(0);
  });
});

describe('antTimestamp', () => {
  it.each([
    ['2025-11-25T11:18:03.120+01:00', '2025-11-25T11:18:03'],
    ['2025-11-25T11:18:03Z', '2025-11-25T11:18:03'],
    ['Tue, 25 Nov 2025 10:18:03 GMT', '2025-11-25T10:18:03'],
  ])('%s -> %s', (input, expected) => {
    expect(antTimestamp(input)).toBe(expected);
  });

  it('falls back to the current time for garbage', () => {
    expect(antTimestamp('not a date')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });
});

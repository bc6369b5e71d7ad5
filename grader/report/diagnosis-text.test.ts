// The diagnoses wherever a person reads them: console "What to fix, in order", JSON diagnoses[],
// the JUnit failure and the Gradescope test of the results each explains.
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../core/diagnosis.ts';
import { renderConsole } from './console.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { sampleReport } from '../../test/support/sample-report.ts';
import { diagnosesOf } from './diagnosis-text.ts';
import { renderGradescopeResults } from '../class-report/gradescope.ts';
import { commonCausesSection, labCausesList } from '../class-report/class-causes.ts';
import { tallyCauses } from '../class-report/class-stats.ts';
import type { ClassReport } from '../class-report/class-report.ts';

const NO_RETURN: Diagnosis = {
  cause: 'no-return-route',
  host: 'vm3',
  nic: 'enp7s0',
  summary: 'VM3 has no route to 10.0.1.0/24: only its default route via 192.168.122.1.',
  fix: ['sudo ip route add 10.0.1.0/24 via 10.0.3.1'],
  persist: 'add it to /etc/netplan/*.yaml',
  evidence: ['ip route get 10.0.1.2 on VM3: 10.0.1.2 via 192.168.122.1 dev enp1s0'],
  results: ['iperf vm1'],
};
const NOT_VIRTIO: Diagnosis = {
  cause: 'not-virtio',
  host: 'router',
  nic: 'enp8s0',
  summary: "The router VM's NIC enp8s0 is an e1000 \x1b[31m<emulated>\x1b[0m.",
  fix: ['virsh shutdown router', 'virsh edit router', 'virsh start router'],
  evidence: ['enp8s0 e1000'],
  results: ['virtio router'],
};
const report = sampleReport({ diagnoses: [NOT_VIRTIO, NO_RETURN] });

describe('diagnoses in the reports', () => {
  it('console: "What to fix, in order", one numbered block per cause with its commands, persistence and what it explains', () => {
    const text = renderConsole(report, { color: false });
    const after = text.slice(text.indexOf('What to fix, in order'));
    expect(after.split('\n')).toEqual([
      'What to fix, in order',
      "1. [not-virtio] the router VM, enp8s0: The router VM's NIC enp8s0 is an e1000 <emulated>.",
      '     virsh shutdown router',
      '     virsh edit router',
      '     virsh start router',
      '     Explains: virtio router',
      '2. [no-return-route] VM3, enp7s0: VM3 has no route to 10.0.1.0/24: only its default route via 192.168.122.1.',
      '     sudo ip route add 10.0.1.0/24 via 10.0.3.1',
      '     To keep it after a reboot: add it to /etc/netplan/*.yaml',
      '     Explains: iperf vm1',
      '',
    ]);
    expect(text.indexOf('What to fix')).toBeGreaterThan(text.indexOf('→ iperf vm1'));
    expect(renderConsole(sampleReport(), { color: false })).not.toContain('What to fix');
  });

  it('JSON: diagnoses[] with the exact fields, sanitized', () => {
    const json = JSON.parse(renderJson(report)) as { diagnoses: Diagnosis[] };
    expect(json.diagnoses).toHaveLength(2);
    expect(Object.keys(json.diagnoses[1]!)).toEqual(['cause', 'host', 'nic', 'summary', 'fix', 'persist', 'evidence', 'results']);
    expect(json.diagnoses[1]).toEqual(NO_RETURN);
    expect(json.diagnoses[0]!.summary).not.toContain('\x1b');
    expect((JSON.parse(renderJson(sampleReport())) as Record<string, unknown>).diagnoses).toBeUndefined();
  });

  it('JUnit: a result\'s failure or error text carries the diagnoses that explain it, and only those', () => {
    const xml = renderJunit(report, 'ant', { hostname: 'test' });
    const caseOf = (name: string) => {
      const start = xml.indexOf(`<testcase classname="router-lab-grader.router-lab" name="${name}"`);
      const next = xml.indexOf('<testcase ', start + 1);
      return xml.slice(start, next === -1 ? undefined : next);
    };
    expect(caseOf('iperf vm1')).toContain('[no-return-route] VM3, enp7s0');
    expect(caseOf('iperf vm1')).toContain('$ sudo ip route add 10.0.1.0/24 via 10.0.3.1');
    expect(caseOf('iperf vm1')).not.toContain('[not-virtio]');
    expect(caseOf('virtio router')).toContain('[not-virtio]');
  });

  it('Gradescope: the test of an explained result carries its diagnosis', () => {
    const out = JSON.parse(renderGradescopeResults({ lab: 'router-lab', report })) as { tests: { name: string; output: string }[] };
    const test = (name: string) => out.tests.find((t) => t.name === name)!.output;
    expect(test('iperf vm1')).toMatch(/Why, and what to fix:\n\[no-return-route\] VM3, enp7s0: .*\n {2}\$ sudo ip route add 10\.0\.1\.0\/24 via 10\.0\.3\.1/);
    expect(test('ping vm1')).not.toContain('Why');
  });

  it('finds the diagnoses of a result by its name', () => {
    expect(diagnosesOf(report, { id: 'iperf', host: 'vm1' })).toEqual([NO_RETURN]);
    expect(diagnosesOf(report, { id: 'subnets', host: 'lab' })).toEqual([]);
  });
});

describe('causes across the class', () => {
  const lab = (name: string, diagnoses: Diagnosis[]) => ({ lab: name, report: sampleReport({ lab: name, diagnoses }) });
  const klass = { labs: [lab('a', [NOT_VIRTIO, NO_RETURN]), lab('b', [NO_RETURN, { ...NO_RETURN, host: 'vm1' }]), lab('c', [])] } as unknown as ClassReport;

  it('counts each cause once per lab, most frequent first', () => {
    expect(tallyCauses(klass)).toEqual([
      { cause: 'no-return-route', labs: 2 },
      { cause: 'not-virtio', labs: 1 },
    ]);
  });

  it('class.html: a "Most common causes" panel and each lab\'s causes in order, escaped', () => {
    const common = commonCausesSection(klass);
    expect(common).toContain('<h2>Most common causes</h2>');
    expect(common).toMatch(/no-return-route<\/code>[\s\S]*2 of 3 labs[\s\S]*not-virtio<\/code>[\s\S]*1 of 3 labs/);
    const [a, , c] = klass.labs.map((l) => labCausesList(l.report));
    expect(a).toMatch(/<ol class="reasons"><li[^>]*><code>not-virtio<\/code> the router VM, enp8s0: [^<]*(<pre>[^<]*<\/pre>)?<\/li><li[^>]*><code>no-return-route<\/code> VM3, enp7s0/);
    expect(c).toBe('');
    const perLab = klass.labs.map((l) => labCausesList(l.report)).join('');
    expect(perLab).toContain('&#60;emulated&#62;');
    expect(perLab).not.toContain('<emulated>');
    expect(commonCausesSection({ labs: [] } as unknown as ClassReport)).toBe('');
  });
});

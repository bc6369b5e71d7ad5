import { describe, expect, it } from 'vitest';
import { renderConsole, shouldUseColor } from './console.ts';
import { formatPoints, resultLabel } from './result-label.ts';
import { HOSTILE_OUTPUT, sampleReport, sampleResult } from '../../test/support/sample-report.ts';
import { fixture } from '../../test/support/test-files.ts';
import type { LabReport } from '../core/lab-report.ts';
import { diagnose, type DiagnosisInput } from '../diagnose/diagnose.ts';

const ESC = '\x1b';

describe('renderConsole without colour', () => {
  const lines = renderConsole(sampleReport(), { color: false }).split('\n');

  it('prints the heading, one aligned line per check, the score and the hints', () => {
    expect(lines).toEqual([
      'Results for router-lab',
      '✔ 1/1  subnets        internal networks 10.0.1.0/24 and 10.0.3.0/24 do not overlap',
      '✔ 1/1  virtio vm1     enp1s0, enp7s0 use virtio_net',
      '✘ 0/1  virtio router  enp8s0 uses e1000',
      '✔ 2/2  ping vm1       vm3 answers through the router (ttl=63)',
      '! 0/2  iperf vm1      iperf3 is not installed on vm3',
      'Score: 4/7 (3 passed, 1 failed, 1 error)',
      '→ virtio router: In virt-manager, set the NIC model of enp8s0 to virtio & reboot <router>.',
      '→ iperf vm1: sudo apt install iperf3',
      '',
    ]);
  });

  it("wraps long lines at words to the terminal's width, continuing under the message", () => {
    const report = sampleReport();
    report.results[2] = { ...report.results[2]!, message: 'enp8s0 uses e1000, an emulated NIC: the exercise asks for VirtIO on every NIC of every VM' };
    const wrapped = renderConsole(report, { color: false, width: 60 }).split('\n');
    const start = wrapped.findIndex((line) => line.startsWith('✘ 0/1  virtio router  enp8s0 uses e1000,'));
    const block = wrapped.slice(start, wrapped.findIndex((line, i) => i > start && !line.startsWith(' ')));
    expect(block.length).toBeGreaterThan(1);
    expect(block.slice(1).every((line) => /^ {22}\S/.test(line))).toBe(true);
    expect(block.map((line, i) => (i === 0 ? line.slice(22) : line.trim())).join(' ')).toBe(report.results[2]!.message);
    expect(wrapped.every((line) => [...line].length <= 60)).toBe(true);
    const hint = wrapped.findIndex((line) => line.startsWith('→ virtio router:'));
    expect(wrapped[hint + 1]).toMatch(/^ {2}\S/);
    // No width (a log, a pipe): one line per result, as before.
    expect(renderConsole(report, { color: false }).split('\n')[3]).toMatch(/of every VM$/);
  });

  it('contains no escape character at all', () => {
    expect(lines.join('\n')).not.toContain(ESC);
  });

  it('has an ASCII-only variant', () => {
    const text = renderConsole(sampleReport(), { color: false, ascii: true });
    expect(text).toMatch(/^\+ 1\/1  subnets /m);
    expect(text).toMatch(/^x 0\/1  virtio router /m);
    expect(text).toContain('-> iperf vm1: sudo apt install iperf3');
    expect(text).not.toMatch(/[✔✘→]/);
  });

  it('keeps a student’s escape sequences and line breaks out of the terminal', () => {
    const report = sampleReport({
      lab: `lab\x1b]0;pwned\x07`,
      results: [sampleResult({ id: 'ping', host: 'vm1', status: 'fail', message: HOSTILE_OUTPUT, hint: `fix\x1b[2Jit\nnow` })],
    });
    const text = renderConsole(report, { color: false });
    expect(text).not.toContain(ESC);
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(text.split('\n')).toHaveLength(5); // heading, check, score, hint, final newline
    expect(text).toContain('→ ping vm1: fixit now');
  });

  it('counts errors in the singular and plural', () => {
    const twoErrors = sampleReport({
      results: [sampleResult({ id: 'a', host: 'vm1', status: 'error' }), sampleResult({ id: 'b', host: 'vm1', status: 'error' })],
    });
    expect(renderConsole(twoErrors, { color: false })).toContain('(0 passed, 0 failed, 2 errors)');
  });
});

describe('renderConsole with colour', () => {
  const text = renderConsole(sampleReport(), { color: true });

  it('colours marks green, red and yellow and the total bold', () => {
    expect(text).toContain(`${ESC}[32m✔ 1/1${ESC}[39m  subnets`);
    expect(text).toContain(`${ESC}[31m✘ 0/1${ESC}[39m  virtio router`);
    expect(text).toContain(`${ESC}[33m! 0/2${ESC}[39m  iperf vm1`);
    expect(text).toContain(`${ESC}[1mScore: 4/7 (3 passed, 1 failed, 1 error)${ESC}[22m`);
  });

  it('prints the same text once the colour codes are removed', () => {
    expect(text.replace(/\x1b\[\d+m/g, '')).toBe(renderConsole(sampleReport(), { color: false }));
  });
});

describe('shouldUseColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['a TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a stream without isTTY', {}, {}, false],
    ['NO_COLOR=1 on a TTY', tty, { NO_COLOR: '1' }, false],
    ['NO_COLOR empty on a TTY', tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR empty on a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=3 on a pipe', pipe, { FORCE_COLOR: '3' }, true],
    ['FORCE_COLOR=0 on a TTY', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a TTY', tty, { FORCE_COLOR: 'false' }, false],
    ['FORCE_COLOR=1 with NO_COLOR=1', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['TERM=dumb on a TTY', tty, { TERM: 'dumb' }, false],
    ['TERM=xterm-256color on a TTY', tty, { TERM: 'xterm-256color' }, true],
  ] as const)('%s -> %s', (_name, stream, env, expected) => {
    expect(shouldUseColor(stream, env)).toBe(expected);
  });
});

describe('result labels', () => {
  it('names a result `id host`, or `id` for the lab', () => {
    expect(resultLabel({ id: 'ping', host: 'vm1' })).toBe('ping vm1');
    expect(resultLabel({ id: 'subnets', host: 'lab' })).toBe('subnets');
  });

  it('formats points for people', () => {
    expect(formatPoints(1)).toBe('1');
    expect(formatPoints(0.5)).toBe('0.5');
    expect(formatPoints(2 / 3)).toBe('0.67');
  });
});

describe('renderConsole with bidirectional controls from a VM', () => {
  it('strips them, so that a NIC name cannot reverse the line it is printed on', () => {
    const report = sampleReport({ results: [sampleResult({ id: 'virtio', host: 'vm1', status: 'fail', message: 'eth\u202e1 uses e1000', hint: 'use \u2066virtio\u2069' })] });
    const text = renderConsole(report, { color: false });
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(text).toContain('eth1 uses e1000');
  });
});

describe('renderConsole of a lab found from the topology', () => {
  it('says which domain got which role and why, and what does not fit', () => {
    const report = sampleReport({
      discovery: {
        hypervisor: 'local',
        management: 'default',
        internalNetworks: ['net-a'],
        roles: [
          { role: 'vm1', domain: 'bob-vm-a', state: 'running', why: 'vm1 = bob-vm-a: one NIC on net-a' },
          { role: 'router', why: 'no domain fits' },
          { role: 'vm3', domain: 'bob-vm-b', state: 'shut off', why: 'vm3 = bob-vm-b: one NIC on net-b; it is shut off' },
        ],
        problems: ['no router: no domain has NICs on two internal networks'],
      },
    });
    const lines = renderConsole(report, { color: false }).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Results for router-lab',
      'Found on local: vm1 = bob-vm-a: one NIC on net-a; router: no domain fits; vm3 = bob-vm-b: one NIC on net-b; it is shut off',
      "  not the exercise's shape: no router: no domain has NICs on two internal networks",
    ]);
  });
});

describe('one place for the advice', () => {
  // A report of a recorded reference-lab state: its results (with the check file's hints) and
  // the diagnosis of that state.
  function recorded(name: string): LabReport {
    const state = JSON.parse(fixture(`diagnose/${name}.json`)) as DiagnosisInput;
    const results = state.results;
    const score = results.reduce((s, r) => s + r.points, 0);
    const maxScore = results.reduce((s, r) => s + r.maxPoints, 0);
    return sampleReport({ results, score, maxScore, diagnoses: diagnose(state) });
  }

  it('firewall-drop: a result the diagnosis explains gets no hint line; its advice is the diagnosis, and nothing sends the student to forwarding, which passed', () => {
    const text = renderConsole(recorded('firewall-drop'), { color: false });
    expect(text).not.toMatch(/^→/m);
    expect(text).not.toMatch(/forwarding/i);
    expect(text).toMatch(/What to fix, in order\n1\. \[filtered\] the router/);
  });

  it('router-down: results that could not be graded get no exercise hint', () => {
    const text = renderConsole(recorded('router-down'), { color: false });
    expect(text).not.toMatch(/^→/m);
    expect(text).not.toContain('Enable IP forwarding');
  });

  it('a failure no diagnosis explains keeps its hint; an error keeps only its own (install a tool)', () => {
    const report = sampleReport({
      results: [
        sampleResult({ id: 'a', host: 'vm1', status: 'fail', hint: 'the check file says' }),
        sampleResult({ id: 'b', host: 'vm1', status: 'error', hint: 'the check file says too' }),
        sampleResult({ id: 'c', host: 'vm3', status: 'error', hint: 'sudo apt install iperf3', ownHint: true }),
      ],
    });
    const arrows = renderConsole(report, { color: false }).split('\n').filter((l) => l.startsWith('→'));
    expect(arrows).toEqual(['→ a vm1: the check file says', '→ c vm3: sudo apt install iperf3']);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-records.ts';
import { renderGradebookCsv } from './gradebook-csv.ts';
import { CHECK_IDS, sampleClass } from '../../test/support/sample-class.ts';

// graded_at: when the lab's grading started, UTC.
const AT = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

const rowsOf = (csv: string): string[][] => {
  const { records, problems } = parseCsv(csv);
  expect(problems).toEqual([]);
  return records.map((record) => record.fields);
};

describe('renderGradebookCsv', () => {
  const csv = renderGradebookCsv(sampleClass(), CHECK_IDS);
  const rows = rowsOf(csv);
  const row = (lab: string): string[] => rows.find((r) => r[3] === lab) ?? [];

  it('has the header, then one row per lab, CRLF line ends throughout', () => {
    expect(rows[0]).toEqual(['student_id', 'name', 'email', 'lab', 'score', 'max_score', ...CHECK_IDS, 'status', 'points_not_graded', 'not_graded', 'graded_at', 'late', 'possible_copy_of', 'to_review']);
    expect(rows).toHaveLength(13);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('sums the points of each check over its hosts', () => {
    // lab01: all passed but VirtIO on its three hosts.
    expect(row('lab01')).toEqual(['00123', 'Lovelace, Ada', 'ada@example.edu', 'lab01', '12', '15', '2', '0', '2', '2', '2', '2', '2', 'graded', '0', '', AT, '', '', '']);
    expect(row('lab02').slice(4)).toEqual(['15', '15', '2', '3', '2', '2', '2', '2', '2', 'graded', '0', '', AT, '', '', '']);
    // lab04: the route on vm3 failed, the one on vm1 passed.
    expect(row('lab04').slice(4)).toEqual(['12', '15', '2', '3', '2', '1', '0', '2', '2', 'graded', '0', '', AT, '', '', '']);
  });

  it('leaves score and checks empty for a lab that could not be graded, never 0, and says so', () => {
    expect(row('lab05').slice(4)).toEqual(['', '15', '', '', '', '', '', '', '', 'not graded', '15', expect.stringMatching(/^subnets; virtio vm1; virtio router; virtio vm3; ip-forward router; /), AT, '', '', '']);
  });

  it('tells a lab partly graded (the router down) from a wrong one: which points are missing because of errors', () => {
    // lab12: virtio router (1 point) and ip-forward router (2 points) could not be graded.
    expect(row('lab12').slice(13)).toEqual(['partly graded', '3', 'virtio router; ip-forward router', AT, '', '', '']);
  });

  it('puts labs without a student last, after every student', () => {
    expect(rows.at(-1)).toEqual(['', '', '', 'lab11', '13', '15', '2', '3', '2', '2', '2', '2', '0', 'graded', '0', '', AT, '', '', '']);
    expect(rows.slice(1, -1).map((r) => r[3])).toEqual(['lab01', 'lab02', 'lab03', 'lab04', 'lab05', 'lab06', 'lab07', 'lab08', 'lab09', 'lab10', 'lab12']);
  });

  it('quotes commas and quotes per RFC 4180 and disarms formulas', () => {
    expect(csv).toContain('\r\n00123,"Lovelace, Ada",ada@example.edu,lab01,');
    expect(csv).toContain('\r\n00124,"Zoë ""Z"" Łukasiewicz",');
    expect(csv).toContain(`\r\ns-003,"'=HYPERLINK(""http://evil.example"")",'@evil.example,lab03,`);
    expect(row('lab03').slice(0, 3)).toEqual(['s-003', `'=HYPERLINK("http://evil.example")`, "'@evil.example"]);
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('leaves a check the run did not include empty, and keeps numbers unprefixed', () => {
    const report = sampleClass();
    const first = report.labs[0];
    if (!first) throw new Error('no lab');
    report.labs = [{ ...first, report: { ...first.report, results: first.report.results.filter((r) => r.id !== 'iperf') } }];
    expect(rowsOf(renderGradebookCsv(report, ['iperf', 'ping']))[1]?.slice(6, 8)).toEqual(['', '2']);
  });

  it('puts control characters and line breaks of a name on one line', () => {
    const report = sampleClass();
    const first = report.labs[0];
    if (!first) throw new Error('no lab');
    report.labs = [{ ...first, student: { id: '1', name: 'Ada\r\nLovelace\x1b[31m' } }];
    expect(renderGradebookCsv(report, [])).toBe(`student_id,name,email,lab,score,max_score,status,points_not_graded,not_graded,graded_at,late,possible_copy_of,to_review\r\n1,Ada Lovelace,,lab01,12,15,graded,0,,${new Date(first.report.startedAt).toISOString()},,,\r\n`);
  });
});

describe('possible copies in the gradebook', () => {
  it('names, per lab, the labs whose VMs share what a copy keeps, and what; scores unchanged', () => {
    const report = sampleClass();
    const [a, b, c] = report.labs;
    if (!a || !b || !c) throw new Error('no labs');
    const key = 'ssh-ed25519 SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIH8';
    a.report.hosts = a.report.hosts.map((h) => (h.role === 'vm1' ? { ...h, identity: { hostKey: key, machineId: '1'.repeat(32) } } : h));
    b.report.hosts = b.report.hosts.map((h) => (h.role === 'vm1' ? { ...h, identity: { hostKey: key, machineId: '2'.repeat(32) } } : h));
    c.report.hosts = c.report.hosts.map((h) => (h.role === 'vm1' ? { ...h, identity: { hostKey: 'ssh-ed25519 SHA256:other', machineId: '3'.repeat(32) } } : h));
    const rows = rowsOf(renderGradebookCsv(report, CHECK_IDS));
    const cell = (lab: string) => rows.find((r) => r[3] === lab)?.at(-2);
    expect(cell(a.lab)).toBe(`${b.lab} (vm1 host key ${key})`);
    expect(cell(b.lab)).toBe(`${a.lab} (vm1 host key ${key})`);
    expect(cell(c.lab)).toBe('');
    expect(rows.find((r) => r[3] === a.lab)?.[4]).toBe(rowsOf(renderGradebookCsv(sampleClass(), CHECK_IDS)).find((r) => r[3] === a.lab)?.[4]);
  });
});

describe('signs to review in the gradebook (issue 25, item 1)', () => {
  it('names, in the last column, the signs each VM showed, grouped by VM; nothing for a lab without; scores unchanged', () => {
    const report = sampleClass();
    const [a, b] = report.labs;
    if (!a || !b) throw new Error('no labs');
    a.report.review = [
      { host: 'router', sign: 'rc-hook', what: '/root/.bashrc runs before every command' },
      { host: 'router', sign: 'proc-sys-mount', what: 'a mount' },
      { host: 'vm1', sign: 'ld-preload', what: 'a library' },
    ];
    const rows = rowsOf(renderGradebookCsv(report, CHECK_IDS));
    expect(rows[0]?.at(-1)).toBe('to_review');
    expect(rows.find((r) => r[3] === a.lab)?.at(-1)).toBe('router: rc-hook, proc-sys-mount; vm1: ld-preload');
    expect(rows.find((r) => r[3] === b.lab)?.at(-1)).toBe('');
    expect(rows.find((r) => r[3] === a.lab)?.[4]).toBe(rowsOf(renderGradebookCsv(sampleClass(), CHECK_IDS)).find((r) => r[3] === a.lab)?.[4]);
  });
});

describe('renderGradebookCsv with a roster written to attack a spreadsheet', () => {
  const attacked = (student: { id: string; name?: string; email?: string }) => {
    const report = sampleClass();
    const lab = report.labs.find((l) => l.lab === 'lab01')!;
    lab.student = student;
    return renderGradebookCsv(report, CHECK_IDS);
  };

  it('quotes a field holding the separator of another locale (; or tab), so that no split makes a formula', () => {
    const csv = attacked({ id: 'x1', name: 'Bob;=2+5;', email: 'b@example.edu' });
    expect(csv).toContain('\r\nx1,"Bob;=2+5;",b@example.edu,lab01,');
    // What a spreadsheet splitting on ; sees: the quoted field stays one cell.
    for (const line of csv.split('\r\n')) for (const cell of splitOutsideQuotes(line, ';')) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(attacked({ id: 'x2', name: 'Bob\t=1+1' })).toContain('\r\nx2,Bob =1+1,');
    expect(attacked({ id: 'x3;=1+1' })).toContain('\r\n"x3;=1+1",');
  });

  it('strips bidirectional controls from names and e-mail addresses', () => {
    const csv = attacked({ id: 's\u202e-1', name: 'Eve \u202eevE\u2066x\u2069', email: 'e\u200f@example.edu' });
    expect(csv).toContain('\r\ns-1,Eve evEx,e@example.edu,lab01,');
    expect(csv).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
  });
});

// Fields as a spreadsheet splitting on `separator` reads them: double-quoted spans stay whole.
function splitOutsideQuotes(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      cells.push(cell);
      cell = '';
    } else if (c !== '"') cell += c;
  }
  return [...cells, cell];
}

import { describe, expect, it } from 'vitest';
import { renderCanvasCsv } from './canvas-csv.ts';
import { parseCsv } from './csv-records.ts';
import { renderGradebookCsv } from './gradebook-csv.ts';
import { CHECK_IDS, sampleClass } from './sample-class.ts';

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
    expect(rows[0]).toEqual(['student_id', 'name', 'email', 'lab', 'score', 'max_score', ...CHECK_IDS]);
    expect(rows).toHaveLength(13);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('sums the points of each check over its hosts', () => {
    // lab01: all passed but VirtIO on its three hosts.
    expect(row('lab01')).toEqual(['00123', 'Lovelace, Ada', 'ada@example.edu', 'lab01', '12', '15', '2', '0', '2', '2', '2', '2', '2']);
    expect(row('lab02').slice(4)).toEqual(['15', '15', '2', '3', '2', '2', '2', '2', '2']);
    // lab04: the route on vm3 failed, the one on vm1 passed.
    expect(row('lab04').slice(4)).toEqual(['12', '15', '2', '3', '2', '1', '0', '2', '2']);
  });

  it('leaves score and checks empty for a lab that could not be graded, never 0', () => {
    expect(row('lab05').slice(4)).toEqual(['', '15', '', '', '', '', '', '', '']);
  });

  it('puts labs without a student first, so that an LMS import cannot credit them to the previous student', () => {
    expect(rows[1]).toEqual(['', '', '', 'lab11', '13', '15', '2', '3', '2', '2', '2', '2', '0']);
    expect(rows.slice(2).map((r) => r[3])).toEqual(['lab01', 'lab02', 'lab03', 'lab04', 'lab05', 'lab06', 'lab07', 'lab08', 'lab09', 'lab10', 'lab12']);
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
    expect(rowsOf(renderGradebookCsv(report, ['iperf', 'ping']))[1]?.slice(6)).toEqual(['', '2']);
  });

  it('puts control characters and line breaks of a name on one line', () => {
    const report = sampleClass();
    const first = report.labs[0];
    if (!first) throw new Error('no lab');
    report.labs = [{ ...first, student: { id: '1', name: 'Ada\r\nLovelace\x1b[31m' } }];
    expect(renderGradebookCsv(report, [])).toBe('student_id,name,email,lab,score,max_score\r\n1,Ada Lovelace,,lab01,12,15\r\n');
  });
});

describe('renderCanvasCsv', () => {
  const rows = rowsOf(renderCanvasCsv(sampleClass(), 'Lab 8: router (12345)'));

  it("has Canvas's student columns, then the assignment", () => {
    expect(rows[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Lab 8: router (12345)']);
  });

  it('has one row per lab with a student: name, SIS User ID = roster id, SIS Login ID = e-mail, score', () => {
    expect(rows).toHaveLength(12);
    expect(rows[1]).toEqual(['Lovelace, Ada', '', '00123', 'ada@example.edu', '', '12']);
    expect(rows.find((r) => r[2] === 's-005')).toEqual(['Grace Hopper', '', 's-005', 'grace@example.edu', '', '']);
    expect(rows.some((r) => r.includes('lab11'))).toBe(false);
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

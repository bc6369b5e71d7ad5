import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, parseCsv } from './csv-records.ts';

describe('parseCsv', () => {
  it('reads RFC 4180: quoted commas, doubled quotes, line breaks inside quotes, CRLF, LF and CR', () => {
    expect(parseCsv('a,"b,c","d ""e"""\r\n"multi\nline",x\rlast,\n')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b,c', 'd "e"'] },
        { line: 2, fields: ['multi\nline', 'x'] },
        { line: 4, fields: ['last', ''] },
      ],
      problems: [],
    });
  });

  it('drops a byte-order mark and keeps empty lines as one empty field', () => {
    expect(parseCsv('\ufeffa\n\nb').records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['b'] },
    ]);
  });

  it('reports stray and unclosed quotes with the line of their record', () => {
    expect(parseCsv('ok\nO"Brien,x\n"a"b\n"open\nstill').problems).toEqual([
      { line: 2, message: 'a quote inside an unquoted field (quote the whole field and double the quote: "a ""b""")' },
      { line: 3, message: 'text after a closing quote (a quote inside a field must be doubled: "")' },
      { line: 4, message: 'the quote opened on line 4 is never closed' },
    ]);
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+33 1', "'+33 1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', `"'\tx"`],
    ['Bob;=2+5;', '"Bob;=2+5;"'],
    ['a\tb', '"a\tb"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['', ''],
  ])('%j -> %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('round-trips through parseCsv', () => {
    const values = ['a,b', 'say "hi"', 'two\r\nlines', 'Zoë'];
    expect(parseCsv(csvDocument([values.map(csvCell)])).records[0]?.fields).toEqual(values);
  });
});

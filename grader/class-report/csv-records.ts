// RFC 4180 reading and writing, with the line each record starts on (for error messages).

export interface CsvRecord {
  /** 1-based line of the record's first character. */
  line: number;
  fields: string[];
}

export interface CsvParse {
  records: CsvRecord[];
  /** `line: message`, one per malformed record. */
  problems: { line: number; message: string }[];
}

// Fields separated by commas, records by CRLF, LF or CR; a field in double quotes may hold commas,
// line breaks and doubled quotes. A UTF-8 byte-order mark is dropped. A quote inside an unquoted
// field, text after a closing quote and an unclosed quote are problems.
export function parseCsv(text: string): CsvParse {
  const records: CsvRecord[] = [];
  const problems: CsvParse['problems'] = [];
  const s = text.startsWith('\ufeff') ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    let bad: string | undefined;
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        const open = line;
        i++;
        for (;;) {
          if (i >= s.length) {
            bad ??= `the quote opened on line ${open} is never closed`;
            break;
          }
          const c = s[i] as string;
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line++;
          field += c;
          i++;
        }
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          bad ??= 'text after a closing quote (a quote inside a field must be doubled: "")';
          while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') field += s[i++];
        }
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') bad ??= 'a quote inside an unquoted field (quote the whole field and double the quote: "a ""b""")';
          field += s[i++];
        }
      }
      fields.push(field);
      if (s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (s[i] === '\r') i++;
    if (s[i] === '\n') i++;
    line++;
    if (bad !== undefined) problems.push({ line: start, message: bad });
    else records.push({ line: start, fields });
  }
  return { records, problems };
}

// One text cell: quoted when it holds a quote, a line break or the separator of any common locale
// (comma; semicolon where the decimal mark is a comma; tab), quotes doubled: a spreadsheet that
// splits on `;` must not find `=2+5` at the start of a cell. A cell starting with = + - @ (or a
// tab or CR) gets a leading ' so that a spreadsheet shows it instead of running it as a formula:
// names and e-mail addresses come from students. Numbers need neither.
export function csvCell(value: string | undefined): string {
  if (value === undefined) return '';
  const cell = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

// Records joined with CRLF, as RFC 4180 and Excel want, the last one terminated too.
export function csvDocument(rows: string[][]): string {
  return rows.map((row) => `${row.join(',')}\r\n`).join('');
}

import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from '../config/config-error.ts';
import { LAB_NAME_PATTERN } from '../config/inventory-schema.ts';
import { readUtf8File } from '../config/utf8-text.ts';
import type { RosterMismatch, Student } from './class-report.ts';
import { parseCsv } from './csv-records.ts';
import { extensionProblem } from './deadlines.ts';

const COLUMNS = ['lab', 'id', 'name', 'email', 'extension'] as const;
type Column = (typeof COLUMNS)[number];
const isColumn = (name: string): name is Column => (COLUMNS as readonly string[]).includes(name);

// One roster line as written, before it is checked; `at` is `file:line`.
interface Entry {
  at: string;
  values: Partial<Record<Column, string>>;
}

interface Read {
  entries: Entry[];
  problems: string[];
}

const LAB_NAME = new RegExp(LAB_NAME_PATTERN);
const EMAIL = /^[^\s@]+@[^\s@]+$/;

// Which student owns which lab, from a CSV file (header row with the columns lab, id, name,
// email in any order and case) or a YAML file (`students:` as a list of {lab, id, name, email}
// or as a map lab -> {id, name, email}). Every problem is reported at once, with file:line.
export async function loadRoster(file: string): Promise<Map<string, Student>> {
  const extension = path.extname(file).toLowerCase();
  const read =
    extension === '.csv' ? csvEntries : ['.yaml', '.yml', '.json'].includes(extension) ? yamlEntries : undefined;
  if (!read) throw new ConfigError([`roster ${file}: unknown file type '${extension}': use .csv, .yaml or .yml`]);
  const text = await readUtf8File(file, 'roster', `save it as UTF-8 (in a spreadsheet: CSV UTF-8), or convert it: iconv -f latin1 -t utf-8 ${file} > roster-utf8${extension}`);
  const { entries, problems } = read(file, text);
  const roster = new Map<string, Student>();
  const firstAt = new Map<string, string>();
  const lines = new Map<string, string>();
  rosterLines.set(roster, lines);
  for (const { at, values } of entries) {
    const { lab, id, name, email, extension } = values;
    if (lab === undefined) problems.push(`${at}: no lab`);
    else if (!LAB_NAME.test(lab)) problems.push(`${at}: '${lab}' is not a lab name (letters, digits, '.', '_' and '-', at most 64)`);
    if (id === undefined) problems.push(`${at}: ${lab === undefined ? 'no' : `lab ${lab} has no`} student id`);
    if (email !== undefined && !EMAIL.test(email)) problems.push(`${at}: '${email}' is not an e-mail address`);
    const late = extension === undefined ? undefined : extensionProblem(extension);
    if (late) problems.push(`${at}: ${late}`);
    if (lab === undefined || id === undefined) continue;
    const first = firstAt.get(lab);
    if (first !== undefined) {
      problems.push(`${at}: lab ${lab} is listed twice (first at ${first})`);
      continue;
    }
    firstAt.set(lab, at);
    lines.set(lab, at);
    roster.set(lab, { id, ...(name !== undefined ? { name } : {}), ...(email !== undefined ? { email } : {}), ...(extension !== undefined ? { extension } : {}) });
  }
  if (problems.length === 0 && roster.size === 0) problems.push(`${file}: the roster lists no student`);
  if (problems.length > 0) throw new ConfigError(problems);
  return roster;
}

const rosterLines = new WeakMap<ReadonlyMap<string, Student>, ReadonlyMap<string, string>>();

// Where the roster and the inventory disagree: roster lines naming a lab the inventory does not
// have (a typo: `nc6`), and labs of the class that no roster line names. Labs in lab-name order.
export function rosterMismatch(roster: ReadonlyMap<string, Student>, inventoryLabs: readonly string[], classLabs: readonly string[]): RosterMismatch {
  const known = new Set(inventoryLabs);
  const order = new Intl.Collator('en', { numeric: true }).compare;
  return {
    unknownLabs: [...roster.keys()].filter((lab) => !known.has(lab)).sort(order).map((lab) => {
      const at = rosterLines.get(roster)?.get(lab);
      return at === undefined ? { lab } : { lab, at };
    }),
    withoutStudent: classLabs.filter((lab) => !roster.has(lab)).sort(order),
    ...twoLabsOf(roster, order),
  };
}

function twoLabsOf(roster: ReadonlyMap<string, Student>, order: (a: string, b: string) => number): Pick<RosterMismatch, 'twoLabs'> {
  const labsOf = new Map<string, string[]>();
  for (const [lab, student] of roster) labsOf.set(student.id, [...(labsOf.get(student.id) ?? []), lab]);
  const twoLabs = [...labsOf].filter(([, labs]) => labs.length > 1).map(([id, labs]) => ({ id, labs: labs.sort(order) }));
  return twoLabs.length > 0 ? { twoLabs } : {};
}

/** A roster as the course record keeps it: one entry per lab, with the line it came from. */
export interface RosterLine extends Student {
  lab: string;
  /** `file:line`. */
  at?: string;
}

export function rosterLinesOf(roster: ReadonlyMap<string, Student>): RosterLine[] {
  const lines = rosterLines.get(roster);
  return [...roster].map(([lab, student]) => {
    const at = lines?.get(lab);
    return { lab, ...student, ...(at !== undefined ? { at } : {}) };
  });
}

// The roster of stored lines (the course record's), with their `file:line` for the warnings.
export function rosterFromLines(entries: readonly RosterLine[]): Map<string, Student> {
  const roster = new Map<string, Student>();
  const lines = new Map<string, string>();
  for (const { lab, at, ...student } of entries) {
    roster.set(lab, student);
    if (at !== undefined) lines.set(lab, at);
  }
  rosterLines.set(roster, lines);
  return roster;
}

// One line per disagreement, for stderr.
export function rosterWarnings(mismatch: RosterMismatch): string[] {
  const unknown = mismatch.unknownLabs.map(({ lab, at }) => `warning: ${at ?? 'the roster'}: lab ${lab} is not in the inventory (a typo?): no report will carry this student`);
  const shown = mismatch.withoutStudent.slice(0, 10).join(', ') + (mismatch.withoutStudent.length > 10 ? `, ... (${mismatch.withoutStudent.length} in all)` : '');
  const without = mismatch.withoutStudent.length > 0 ? [`warning: no roster line for ${shown}: their gradebook rows have no student (last rows)`] : [];
  const twice = (mismatch.twoLabs ?? []).map(({ id, labs }) => `warning: student ${id} has ${labs.length} labs in the roster (${labs.join(', ')}): a typo in an id?`);
  return [...unknown, ...without, ...twice];
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function csvEntries(file: string, text: string): Read {
  const { records, problems: malformed } = parseCsv(text);
  const problems = malformed.map((p) => `${file}:${p.line}: ${p.message}`);
  const rows = records.filter((record) => record.fields.some((field) => field.trim() !== ''));
  const header = rows.shift();
  if (!header) return { entries: [], problems: problems.length > 0 ? problems : [`${file}: empty: expected a header row lab,id,name,email`] };
  // A malformed header was dropped: the next record is no header.
  if (malformed.some((p) => p.line < header.line)) return { entries: [], problems };

  const beforeHeader = problems.length;
  const columns: (Column | undefined)[] = [];
  for (const raw of header.fields) {
    const name = raw.trim().toLowerCase();
    const at = `${file}:${header.line}`;
    if (!isColumn(name)) {
      const hint = header.fields.length === 1 && /[;\t]/.test(raw) ? ': separate the columns with commas, not semicolons or tabs' : ` (the columns are ${COLUMNS.join(', ')})`;
      problems.push(`${at}: unknown column '${raw.trim()}'${hint}`);
      columns.push(undefined);
    } else if (columns.includes(name)) {
      problems.push(`${at}: column '${name}' appears twice`);
      columns.push(undefined);
    } else columns.push(name);
  }
  const missing = (['lab', 'id'] as const).filter((name) => !columns.includes(name));
  if (missing.length > 0) problems.push(`${file}:${header.line}: no ${missing.map((m) => `'${m}'`).join(' or ')} column`);
  if (problems.length > beforeHeader) return { entries: [], problems };

  const entries: Entry[] = [];
  for (const row of rows) {
    const at = `${file}:${row.line}`;
    if (row.fields.length !== columns.length) {
      problems.push(`${at}: ${row.fields.length} fields where the header has ${columns.length}`);
      continue;
    }
    const values: Entry['values'] = {};
    columns.forEach((column, index) => {
      const value = present(row.fields[index]);
      if (column !== undefined && value !== undefined) values[column] = value;
    });
    entries.push({ at, values });
  }
  return { entries, problems };
}

function yamlEntries(file: string, text: string): Read {
  const lineCounter = new LineCounter();
  // failsafe: every scalar stays the text written, so a student id 00123 keeps its zeros.
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { entries: [], problems: doc.errors.map((e) => `${file}${e.linePos ? `:${e.linePos[0].line}` : ''}: ${e.message.split('\n')[0]}`) };
  }
  const at = (node: unknown): string => {
    const offset = (node as Node | null)?.range?.[0];
    return offset === undefined ? file : `${file}:${lineCounter.linePos(offset).line}`;
  };
  const problems: string[] = [];
  const entries: Entry[] = [];
  const root = doc.contents;
  const expected = `expected 'students:' with a list of {lab, id, name, email} or a map lab -> {id, name, email}`;
  if (!isMap(root)) return { entries, problems: [`${at(root)}: ${expected}`] };

  let students: unknown;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'students') students = pair.value;
    else problems.push(`${at(pair.key)}: unknown key '${key}': ${expected}`);
  }
  // The fields of one student: a map of scalars with known keys.
  const fields = (node: unknown, allowed: readonly Column[], values: Entry['values']): void => {
    if (!isMap(node)) {
      problems.push(`${at(node)}: expected {${allowed.join(', ')}}`);
      return;
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value).trim().toLowerCase() : '';
      if (!isColumn(key) || !allowed.includes(key)) {
        problems.push(`${at(pair.key)}: unknown key '${key}' (the keys are ${allowed.join(', ')})`);
        continue;
      }
      const value = scalarText(pair.value);
      if (value === null) problems.push(`${at(pair.value)}: ${key} must be text`);
      else if (value !== undefined) values[key] = value;
    }
  };
  if (isSeq(students)) {
    for (const item of students.items) {
      const values: Entry['values'] = {};
      fields(item, COLUMNS, values);
      entries.push({ at: at(item), values });
    }
  } else if (isMap(students)) {
    for (const pair of students.items) {
      const values: Entry['values'] = {};
      const lab = scalarText(pair.key);
      if (lab) values.lab = lab;
      fields(pair.value, ['id', 'name', 'email', 'extension'], values);
      entries.push({ at: at(pair.key), values });
    }
  } else if (students !== undefined || problems.length === 0) {
    problems.push(`${at(students ?? root)}: ${expected}`);
  }
  return { entries, problems };
}

// A scalar's text, undefined when empty or null (`~`, `null`), null when not a scalar.
function scalarText(node: unknown): string | undefined | null {
  if (node === null || node === undefined) return undefined;
  if (!isScalar(node)) return null;
  const text = present(String(node.value ?? ''));
  const plainNull = node.type === 'PLAIN' && text !== undefined && /^(~|null|Null|NULL)$/.test(text);
  return plainNull ? undefined : text;
}

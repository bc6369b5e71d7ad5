import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, tempDir } from '../../test/support/test-files.ts';
import { ConfigError } from '../config/config-error.ts';
import { loadRoster, rosterFromLines, rosterMismatch, rosterWarnings } from './roster.ts';

const fixture = (name: string): string => fixturePath(`rosters/${name}`);

async function problemsOf(file: string): Promise<string[]> {
  const error: unknown = await loadRoster(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError from ${file}, got ${String(error)}`);
  return error.problems;
}

const firstThree = [
  ['lab01', { id: '00123', name: 'Lovelace, Ada', email: 'ada@example.edu' }],
  ['lab02', { id: '00124', name: 'Zoë "Z" Łukasiewicz', email: 'zoe@example.edu' }],
  ['lab03', { id: 's-003', name: '=HYPERLINK("http://evil.example")' }],
] as const;

describe('loadRoster, CSV', () => {
  it('reads a BOM, CRLF, columns in any order and case, quoted commas, quotes and line breaks', async () => {
    const roster = await loadRoster(fixture('class.csv'));
    expect([...roster]).toEqual([
      ...firstThree,
      ['lab10', { id: 's-010', name: '<script>alert(1)</script> & Co\r\nsecond line', email: 'mallory@example.edu' }],
    ]);
  });

  it('reports unknown columns and the missing id column on the header line', async () => {
    const file = fixture('bad-header.csv');
    expect(await problemsOf(file)).toEqual([
      `${file}:1: unknown column 'student' (the columns are lab, id, name, email, extension)`,
      `${file}:1: unknown column 'mail' (the columns are lab, id, name, email, extension)`,
      `${file}:1: no 'id' column`,
    ]);
  });

  it('reports every bad row with its line', async () => {
    const file = fixture('bad-rows.csv');
    expect(await problemsOf(file)).toEqual([
      `${file}:8: the quote opened on line 8 is never closed`,
      `${file}:6: 5 fields where the header has 4`,
      `${file}:3: lab lab02 has no student id`,
      `${file}:4: lab lab01 is listed twice (first at ${file}:2)`,
      `${file}:5: 'not-an-email' is not an e-mail address`,
      `${file}:7: '../etc' is not a lab name (letters, digits, '.', '_' and '-', at most 64)`,
    ]);
  });

  it('says so when the file is separated by semicolons', async () => {
    const file = fixture('semicolons.csv');
    expect(await problemsOf(file)).toEqual([
      `${file}:1: unknown column 'lab;id;name;email': separate the columns with commas, not semicolons or tabs`,
      `${file}:1: no 'lab' or 'id' column`,
    ]);
  });
});

describe('loadRoster, YAML', () => {
  it('reads a list of students, keeping an id with leading zeros as written', async () => {
    expect([...(await loadRoster(fixture('class.yaml')))]).toEqual(firstThree);
  });

  it('reads a map lab -> student', async () => {
    expect([...(await loadRoster(fixture('class-map.yaml')))]).toEqual([...firstThree.slice(0, 2), ['lab03', { id: 's-003' }]]);
  });

  it('reports every problem with its line', async () => {
    const file = fixture('bad.yaml');
    expect(await problemsOf(file)).toEqual([
      `${file}:7: unknown key 'teachers': expected 'students:' with a list of {lab, id, name, email} or a map lab -> {id, name, email}`,
      `${file}:5: unknown key 'phone' (the keys are lab, id, name, email, extension)`,
      `${file}:6: id must be text`,
      `${file}:3: lab lab01 is listed twice (first at ${file}:2)`,
      `${file}:4: lab lab02 has no student id`,
      `${file}:6: lab lab04 has no student id`,
    ]);
  });
});

describe('loadRoster, files', () => {
  const dir = tempDir('roster-', { shared: true });

  it('refuses a file type it does not know, a missing file, an empty file, a broken header and a roster without students', async () => {
    const empty = path.join(dir(), 'empty.csv');
    const headerOnly = path.join(dir(), 'header.csv');
    const notYaml = path.join(dir(), 'bad.yml');
    const badHeader = path.join(dir(), 'bad-header.csv');
    await writeFile(badHeader, 'lab,"i"d\nlab01,00123\n');
    await writeFile(empty, '');
    await writeFile(headerOnly, 'lab,id\n');
    await writeFile(notYaml, 'students: [ { lab: lab01\n');
    expect(await problemsOf(path.join(dir(), 'roster.xlsx'))).toEqual([`roster ${dir()}/roster.xlsx: unknown file type '.xlsx': use .csv, .yaml or .yml`]);
    expect(await problemsOf(path.join(dir(), 'missing.csv'))).toEqual([`roster ${dir()}/missing.csv cannot be read: no such file`]);
    expect(await problemsOf(empty)).toEqual([`${empty}: empty: expected a header row lab,id,name,email`]);
    expect(await problemsOf(headerOnly)).toEqual([`${headerOnly}: the roster lists no student`]);
    expect(await problemsOf(badHeader)).toEqual([`${badHeader}:1: text after a closing quote (a quote inside a field must be doubled: "")`]);
    const yamlProblems = await problemsOf(notYaml);
    expect(yamlProblems.length).toBeGreaterThan(0);
    expect(yamlProblems[0]).toMatch(new RegExp(`^${notYaml}:\\d+: `));
  });

  it('reads JSON as YAML', async () => {
    const file = path.join(dir(), 'roster.json');
    await writeFile(file, JSON.stringify({ students: [{ lab: 'lab01', id: 123 }] }));
    expect([...(await loadRoster(file))]).toEqual([['lab01', { id: '123' }]]);
  });
});

describe('loadRoster, encodings', () => {
  it('refuses a Latin-1 roster, naming the file, the line and the offset of the first byte that is not UTF-8', async () => {
    const file = fixture('latin1.csv');
    expect(await problemsOf(file)).toEqual([
      `roster ${file}:3: not UTF-8 (byte 0xeb at offset 75): save it as UTF-8 (in a spreadsheet: CSV UTF-8), or convert it: iconv -f latin1 -t utf-8 ${file} > roster-utf8.csv`,
    ]);
  });

  it('refuses UTF-16 and says which it is', async () => {
    const file = fixture('utf16.csv');
    expect(await problemsOf(file)).toEqual([expect.stringMatching(new RegExp(`^roster ${file}: UTF-16 \\(byte-order mark FF FE\\), not UTF-8: save it as UTF-8`))]);
  });
});

describe('roster extensions and students with two labs', () => {
  it('reads an extension column (a zoned time or extra time) and refuses one that is neither', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rlg-roster-ext-'));
    try {
      const good = path.join(dir, 'good.csv');
      writeFileSync(good, 'lab,id,extension\nnc1,s1,2d\nnc2,s2,2026-03-12T23:59+01:00\nnc3,s3,\n');
      const roster = await loadRoster(good);
      expect([...roster.values()].map((s) => s.extension)).toEqual(['2d', '2026-03-12T23:59+01:00', undefined]);
      const bad = path.join(dir, 'bad.csv');
      writeFileSync(bad, 'lab,id,extension\nnc1,s1,next friday\n');
      expect(await problemsOf(bad)).toEqual([expect.stringMatching(/bad\.csv:2: extension 'next friday' is not a time with its zone .*, nor extra time such as 2d or 36h$/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a student id the roster gives two labs', () => {
    const roster = rosterFromLines([{ lab: 'nc1', id: 's1' }, { lab: 'nc2', id: 's1' }, { lab: 'nc3', id: 's3' }]);
    const mismatch = rosterMismatch(roster, ['nc1', 'nc2', 'nc3'], ['nc1', 'nc2', 'nc3']);
    expect(mismatch.twoLabs).toEqual([{ id: 's1', labs: ['nc1', 'nc2'] }]);
    expect(rosterWarnings(mismatch)).toEqual(['warning: student s1 has 2 labs in the roster (nc1, nc2): a typo in an id?']);
  });
});

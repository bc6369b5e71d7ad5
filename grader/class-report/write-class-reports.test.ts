import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/test-files.ts';
import { classLabReport, CHECK_IDS, sampleClass } from '../../test/support/sample-class.ts';
import { writeClassReports } from './write-class-reports.ts';
import { validateJunitFile } from '../../test/support/junit-xml.ts';

describe('writeClassReports', () => {
  const dir = tempDir('class-reports-');

  it('writes class.xml, gradebook.csv and class.html, nothing else unless asked', async () => {
    const outDir = path.join(dir(), 'reports');
    const paths = await writeClassReports(sampleClass(), outDir, { checkIds: CHECK_IDS, junitFlavor: 'ant', gradescope: false });
    expect(paths).toEqual({ junit: path.join(outDir, 'class.xml'), gradebook: path.join(outDir, 'gradebook.csv'), html: path.join(outDir, 'class.html') });
    expect((await readdir(outDir)).sort()).toEqual(['class.html', 'class.xml', 'gradebook.csv']);
    const validation = await validateJunitFile(paths.junit, 'ant');
    expect(validation.code, validation.output).toBe(0);
    expect(await readFile(paths.gradebook, 'utf8')).toMatch(/^student_id,name,email,lab,score,max_score,subnets,/);
    expect(await readFile(paths.html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('starts gradebook.csv with a UTF-8 byte-order mark with excel, so that Excel reads Zoë as Zoë', async () => {
    const plain = await writeClassReports(sampleClass(), path.join(dir(), 'plain'), { checkIds: CHECK_IDS });
    const excel = await writeClassReports(sampleClass(), path.join(dir(), 'excel'), { checkIds: CHECK_IDS, excel: true });
    const bytes = await readFile(excel.gradebook);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).equals(await readFile(plain.gradebook))).toBe(true);
    expect(bytes.toString('utf8')).toContain('Zoë');
    expect((await readFile(plain.gradebook))[0]).toBe('s'.charCodeAt(0));
  });

  it('writes gradescope/<lab>/results.json per lab on request', async () => {
    const paths = await writeClassReports(sampleClass(), dir(), { checkIds: CHECK_IDS, junitFlavor: 'codegrade', gradescope: true });
    expect(paths.gradescope).toHaveLength(12);
    expect(paths.gradescope?.[0]).toBe(path.join(dir(), 'gradescope', 'lab01', 'results.json'));
    expect(JSON.parse(await readFile(path.join(dir(), 'gradescope', 'lab05', 'results.json'), 'utf8'))).toMatchObject({ score: 0 });
    expect((await readdir(dir())).sort()).toEqual(['class.html', 'class.xml', 'gradebook.csv', 'gradescope']);
    expect(await readFile(paths.junit, 'utf8')).toContain('weight="2"');
    const validation = await validateJunitFile(paths.junit, 'codegrade');
    expect(validation.code, validation.output).toBe(0);
  });

  it('sorts the labs by name, digits as numbers, whatever order they came in', async () => {
    const report = { startedAt: '2025-11-25T10:00:00Z', durationMs: 1, labs: ['lab10', 'lab9', 'lab2'].map((lab) => ({ lab, report: classLabReport(lab) })) };
    const { gradebook } = await writeClassReports(report, dir(), { checkIds: [] });
    expect((await readFile(gradebook, 'utf8')).split('\r\n').map((line) => line.split(',')[3])).toEqual(['lab', 'lab2', 'lab9', 'lab10', undefined]);
  });

  it('keeps hostile lab names inside the output directory, one directory each', async () => {
    const report = { startedAt: '2025-11-25T10:00:00Z', durationMs: 1, labs: ['../../etc', 'lab 1', 'lab-1'].map((lab) => ({ lab, report: classLabReport(lab) })) };
    const { gradescope = [] } = await writeClassReports(report, dir(), { checkIds: [], gradescope: true });
    expect(gradescope.map((file) => path.relative(dir(), file))).toEqual(['gradescope/etc/results.json', 'gradescope/lab-1/results.json', 'gradescope/lab-1-2/results.json']);
  });

  it('never writes through a symbolic link planted in the output folder, for any file it writes', async () => {
    const out = path.join(dir(), 'out');
    const elsewhere = path.join(dir(), 'elsewhere');
    await mkdir(path.join(out, 'gradescope'), { recursive: true });
    await mkdir(elsewhere);
    const names = ['class.xml', 'gradebook.csv', 'class.html', 'results.json'];
    for (const name of names) await writeFile(path.join(elsewhere, name), 'theirs');
    for (const name of names.slice(0, 3)) await symlink(path.join(elsewhere, name), path.join(out, name));
    await symlink(elsewhere, path.join(out, 'gradescope', 'lab03'));
    await expect(writeClassReports(sampleClass(), out, { checkIds: CHECK_IDS, gradescope: true })).rejects.toMatchObject({ code: 'ELOOP' });
    for (const name of names.slice(0, 3)) expect((await lstat(path.join(out, name))).isFile()).toBe(true);
    // and with the whole gradescope folder a link
    const out2 = path.join(dir(), 'out2');
    await mkdir(out2);
    await symlink(elsewhere, path.join(out2, 'gradescope'));
    await expect(writeClassReports(sampleClass(), out2, { checkIds: CHECK_IDS, gradescope: true })).rejects.toMatchObject({ code: 'ELOOP' });
    expect((await readdir(elsewhere)).sort()).toEqual([...names].sort());
    for (const name of names) expect(await readFile(path.join(elsewhere, name), 'utf8')).toBe('theirs');
  });
});

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/test-files.ts';
import { reportFileStem, writeReports } from './write-reports.ts';
import { sampleReport } from '../../test/support/sample-report.ts';
import { validateJunitFile } from '../../test/support/junit-xml.ts';

describe('writeReports', () => {
  const dir = tempDir('write-reports-');

  it('writes <lab>.xml and <lab>.json into a new directory, nothing else', async () => {
    const outDir = path.join(dir(), 'reports');
    const paths = await writeReports(sampleReport(), outDir, { junitFlavor: 'ant' });
    expect(paths).toEqual({ junitPath: path.join(outDir, 'router-lab.xml'), jsonPath: path.join(outDir, 'router-lab.json') });
    expect((await readdir(outDir)).sort()).toEqual(['router-lab.json', 'router-lab.xml']);
    const xml = await readFile(paths.junitPath, 'utf8');
    const validation = await validateJunitFile(paths.junitPath, 'ant');
    expect(validation.code, validation.output).toBe(0);
    expect(xml).toContain('<testsuite name="router-lab"');
    expect(JSON.parse(await readFile(paths.jsonPath, 'utf8'))).toMatchObject({ schemaVersion: 1, lab: 'router-lab' });
  });

  it('uses the requested JUnit flavor', async () => {
    const { junitPath } = await writeReports(sampleReport(), dir(), { junitFlavor: 'codegrade' });
    expect(await readFile(junitPath, 'utf8')).toContain('weight="2"');
    const validation = await validateJunitFile(junitPath, 'codegrade');
    expect(validation.code, validation.output).toBe(0);
  });

  it('keeps a hostile lab name inside the output directory', async () => {
    const { junitPath, jsonPath } = await writeReports(sampleReport({ lab: '../../etc/passwd' }), dir());
    expect(path.dirname(junitPath)).toBe(dir());
    expect(path.basename(jsonPath)).toBe('etc-passwd.json');
  });
});

describe('reportFileStem', () => {
  it.each([
    ['router-lab', 'router-lab'],
    ['lab 2 (Monday)', 'lab-2-Monday'],
    ['../x', 'x'],
    ['.hidden', 'hidden'],
    ['', 'lab'],
    ['///', 'lab'],
    ['réseau_1.a', 'réseau_1.a'],
  ])('%j -> %j', (lab, stem) => {
    expect(reportFileStem(lab)).toBe(stem);
  });
});

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { CLASS_FILES, reportFileStem } from '../core/report-files.ts';
import type { JunitFlavor, JunitOptions } from '../report/junit.ts';
import { writeFileAtomic } from '../report/write-file-atomic.ts';
import { renderClassHtml } from './class-html.ts';
import { renderClassJunit } from './class-junit.ts';
import { sortLabs, type ClassReport } from './class-report.ts';
import { renderGradebookCsv } from './gradebook-csv.ts';
import { renderGradescopeResults } from './gradescope.ts';

export interface ClassReportOptions {
  /** The check file's ids, in its order: the gradebook's columns and the page's rows. */
  checkIds: string[];
  /** @default 'ant' */
  junitFlavor?: JunitFlavor;
  /** Also write `gradescope/<lab>/results.json`. @default false */
  gradescope?: boolean;
  /** Start gradebook.csv with a UTF-8 byte-order mark, which Excel needs to read UTF-8. @default false */
  excel?: boolean;
  /** The JUnit suites' `hostname`. @default os.hostname() */
  hostname?: string;
}

export interface ClassReportPaths {
  junit: string;
  gradebook: string;
  html: string;
  gradescope?: string[];
}

// Writes `class.xml`, `gradebook.csv`, `class.html` (and on request
// `gradescope/<lab>/results.json`) into outDir, each atomically, labs in lab-name order.
export async function writeClassReports(report: ClassReport, outDir: string, options: ClassReportOptions): Promise<ClassReportPaths> {
  const sorted: ClassReport = { ...report, labs: sortLabs(report.labs) };
  const junitOptions: JunitOptions = options.hostname === undefined ? {} : { hostname: options.hostname };
  const paths: ClassReportPaths = {
    junit: path.join(outDir, CLASS_FILES.junit),
    gradebook: path.join(outDir, CLASS_FILES.gradebook),
    html: path.join(outDir, CLASS_FILES.html),
  };
  const within = { root: outDir }; // never through a link planted in outDir
  await writeFileAtomic(paths.junit, renderClassJunit(sorted, options.junitFlavor ?? 'ant', junitOptions), within);
  await writeFileAtomic(paths.gradebook, `${options.excel ? '\uFEFF' : ''}${renderGradebookCsv(sorted, options.checkIds)}`, within);
  await writeFileAtomic(paths.html, renderClassHtml(sorted, options.checkIds), within);
  if (options.gradescope) {
    paths.gradescope = [];
    const stems = new Set<string>();
    for (const lab of sorted.labs) {
      const stem = uniqueStem(reportFileStem(lab.lab), stems);
      const file = path.join(outDir, CLASS_FILES.gradescope, stem, 'results.json');
      await writeFileAtomic(file, renderGradescopeResults(lab), within);
      paths.gradescope.push(file);
    }
  }
  return paths;
}

// Two lab names that make the same file name (`lab 1`, `lab-1`) must not overwrite each other.
function uniqueStem(stem: string, seen: Set<string>): string {
  let candidate = stem;
  for (let n = 2; seen.has(candidate); n++) candidate = `${stem}-${n}`;
  seen.add(candidate);
  return candidate;
}

// Removes the class files of an earlier run from outDir, so that none is left looking current
// when this run's cannot be written (or before a run replaces them: an interrupted class then
// leaves its per-lab reports and no class files, and --resume rebuilds them).
export async function removeClassFiles(outDir: string): Promise<void> {
  await Promise.all(Object.values(CLASS_FILES).map((name) => rm(path.join(outDir, name), { recursive: true, force: true })));
}

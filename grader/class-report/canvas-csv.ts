import { formatPoints } from '../report/result-label.ts';
import { sanitizeLine } from '../report/sanitize.ts';
import { couldNotBeGraded, type ClassReport } from './class-report.ts';
import { csvCell, csvDocument } from './csv-records.ts';

/**
 * A Canvas gradebook import: `Student,ID,SIS User ID,SIS Login ID,Section,<assignment>`, one row
 * per lab with a known student (a lab without one cannot be matched to anybody and is left out).
 * Canvas finds the student by `ID` (its own user id, left empty here), then `SIS User ID` (the
 * roster's id), then `SIS Login ID` (the roster's e-mail), then by name.
 *
 * `assignment` is the column title: `Lab 8 (12345)`, with the assignment's Canvas id in
 * parentheses (in its URL: /courses/1/assignments/12345), updates that assignment; a title alone
 * matches an assignment of exactly that name, else Canvas creates a new one. Set the assignment's
 * points to the lab's max_score, or its scores will read as out of another total.
 *
 * Canvas: Grades > Import > choose canvas.csv; check the preview (unknown students and new
 * assignments are listed there) before "Upload Data". An empty score (the lab could not be
 * graded) is shown as a change when the student had a score. If your institution's SIS ids are
 * not the roster's ids, export the gradebook instead (Grades > Export > CSV), keep its first five
 * columns and paste the score column in by `SIS User ID`.
 */
export function renderCanvasCsv(report: ClassReport, assignment: string): string {
  const header = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', sanitizeLine(assignment)].map(csvCell);
  const rows = report.labs.flatMap(({ student, report: lab }) => {
    if (!student) return [];
    const text = (value: string | undefined): string => csvCell(value === undefined ? undefined : sanitizeLine(value));
    return [[text(student.name ?? student.id), '', text(student.id), text(student.email), '', couldNotBeGraded(lab) ? '' : formatPoints(lab.score)]];
  });
  return csvDocument([header, ...rows]);
}

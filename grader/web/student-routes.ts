import type { IncomingMessage, ServerResponse } from 'node:http';
import { studentDeadline } from '../class-report/deadlines.ts';
import { rosterFromLines } from '../class-report/roster.ts';
import { isLabPlan } from '../plan/lab-plan.ts';
import { courseSettings } from './board-model.ts';
import { attemptStream } from './event-stream.ts';
import { HTML, redirect, send } from './http-io.ts';
import { studentBody, studentPage, type StudentPageData } from './student-page.ts';
import { viewerOf, type Viewer } from './web-access.ts';
import { errorPage, type WebState } from './web-state.ts';

// A student's page holds their own lab's attempts only: the lab and the student come from their
// token, never from the address.
async function pageData(viewer: Extract<Viewer, { kind: 'student' }>, state: WebState): Promise<StudentPageData> {
  const { lab, studentId } = viewer.token;
  const [attempts, settings, plans] = await Promise.all([state.context.store.attempts({ labs: [lab] }), courseSettings(state.context.store), state.context.store.plans()]);
  const plan = plans.map((row) => row.plan).filter(isLabPlan).find((p) => p.studentId === studentId);
  const rosterStudent = rosterFromLines(settings.rosters.at(-1)?.entries ?? []).get(lab);
  const student = rosterStudent && rosterStudent.id === studentId ? rosterStudent : { id: studentId };
  const deadline = studentDeadline(settings.deadline, settings.extensions.get(studentId) ?? student.extension);
  const latest = attempts.filter((a) => a.report).at(-1);
  return {
    lab,
    student,
    attempts,
    ...(latest ? { latest } : {}),
    ...(deadline ? { deadline } : {}),
    now: state.context.now(),
    coursePublicKey: state.context.coursePublicKey,
    baseUrl: state.context.baseUrl,
    ...(plan ? { plan } : {}),
  };
}

// /student (the viewer's own page), /student/live, /student/events, /student/ID (only one's own).
export async function studentRoutes(req: IncomingMessage, res: ServerResponse, url: URL, viewer: Viewer, state: WebState): Promise<void> {
  const path = url.pathname;
  if (viewer.kind === 'instructor') {
    // The course team sees a student's work on the lab's board page.
    return errorPage(res, 403, 'Student pages open with the student\'s own token; the lab pages of the board show the same.');
  }
  if (path === '/student') return send(res, 200, HTML, studentPage(await pageData(viewer, state)));
  if (path === '/student/live') return send(res, 200, HTML, studentBody(await pageData(viewer, state)));
  if (path === '/student/events') {
    const { lab } = viewer.token;
    return attemptStream(req, res, state.context.events, (a) => a.lab === lab, async () => {
      const now = await viewerOf(state.context.store, viewer.session);
      return now?.kind === 'student' && now.token.id === viewer.token.id;
    });
  }
  const other = /^\/student\/([^/]+)$/.exec(path);
  if (other && decodeURIComponent(other[1]!) === viewer.token.studentId) return redirect(res, '/student');
  return errorPage(res, 403, 'This page is not yours: your token opens your own page only (/student).');
}

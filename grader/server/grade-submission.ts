import { hostname } from 'node:os';
import { formatLateness, lateByMs, studentDeadline } from '../class-report/deadlines.ts';
import { rosterFromLines } from '../class-report/roster.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { checksForLab } from '../plan/plan-checks.ts';
import { storedPlans } from '../store/stored-plans.ts';
import type { GradingProvenance } from '../core/lab-report.ts';
import { ROLES } from '../core/roles.ts';
import { renderConsole } from '../report/console.ts';
import type { ConnectOptions } from '../run/connect-lab.ts';
import { gradeLab } from '../run/grade-lab.ts';
import type { Attempt, CourseStore, TokenRecord } from '../store/course-store.ts';
import type { Hypervisor } from '../hypervisor/hypervisor.ts';
import type { JumpHost } from '../transport/ssh-host.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CourseEvents } from './course-events.ts';
import type { RunningJournal } from './running-journal.ts';
import { asStudentHost } from './student-host-evidence.ts';
import type { SubmitRequest } from './submit-request.ts';

export interface GradingContext {
  store: CourseStore;
  events: CourseEvents;
  checks: CheckSpec[];
  provenance: GradingProvenance;
  /** The course's key; host keys of students' VMs are recorded, not checked (the VMs are theirs). */
  connectOptions: ConnectOptions;
  journal: RunningJournal;
  now: () => Date;
  baseUrl: string;
}

export interface Submission {
  token: string;
  owner: TokenRecord;
  request: SubmitRequest;
  sourceAddress: string;
  /** When the request arrived (before any queue): the server's clock decides on time or late. */
  submittedAt: string;
  via: JumpHost;
  /** The student's machine as the lab's hypervisor, answering the relayed read-only virsh queries. */
  hypervisor?: Hypervisor;
  /** Whether the student's connection dropped. */
  dropped: () => boolean;
}

export interface SubmissionResult {
  attempt: Attempt;
  /** What the student's console shows. */
  text: string;
  exitCode: number;
}

export const DROPPED_MESSAGE = "the connection from your machine dropped during grading: this attempt is not a grade; run submit again";

// The student's deadline as the course record has it: the course's, moved by their extension.
async function deadlineOf(store: CourseStore, studentId: string): Promise<string | undefined> {
  const [course, extensions, roster] = await Promise.all([store.setting('deadline'), store.extensions(), store.roster()]);
  const extension = extensions.get(studentId) ?? roster?.entries.find((e) => e.id === studentId)?.extension;
  return studentDeadline(course, extension);
}

export function latenessText(lateMs: number): string {
  return lateMs > 0 ? `late by ${formatLateness(lateMs)}` : 'on time';
}

// Grades a student's lab through their tunnel, records the attempt (as interrupted when the
// tunnel dropped), and says what their console shows.
export async function gradeSubmission(context: GradingContext, submission: Submission): Promise<SubmissionResult> {
  const { store, owner, request } = { store: context.store, ...submission };
  const journalId = await context.journal.begin({ lab: owner.lab, studentId: owner.studentId, startedAt: submission.submittedAt, sourceAddress: submission.sourceAddress });
  context.events.emitAttempt({ id: journalId, lab: owner.lab, state: 'started' });
  const lab: LabTarget = {
    name: owner.lab,
    vms: Object.fromEntries(ROLES.map((role) => [role, { ...request.vms[role], domain: request.domains?.[role] ?? '' }])) as LabTarget['vms'],
  };
  const { connectThroughTunnel } = await import('./tunnel-lab.ts');
  // The lab is graded against its student's own addressing plan, when the course gives plans.
  const stored = await store.roster();
  const roster = new Map(stored ? rosterFromLines(stored.entries) : []).set(owner.lab, { id: owner.studentId });
  const checks = checksForLab(context.checks, (await storedPlans(store, roster)).of(owner.lab));
  const graded = await gradeLab(lab, checks, { connect: connectThroughTunnel(submission.via, context.connectOptions, submission.hypervisor), provenance: context.provenance });
  // What the student's machine said as hypervisor is their word: student-host, never hypervisor.
  const report = submission.hypervisor ? asStudentHost(graded) : graded;
  const dropped = submission.dropped();
  const { attempt } = await store.record({
    lab: owner.lab,
    studentId: owner.studentId,
    startedAt: submission.submittedAt,
    endedAt: context.now().toISOString(),
    command: 'submit',
    machine: hostname(),
    sourceAddress: submission.sourceAddress,
    status: dropped ? 'interrupted' : 'complete',
    report,
  });
  await context.journal.end(journalId);
  context.events.emitAttempt({ id: attempt.id, lab: attempt.lab, state: 'recorded' });
  const number = (await store.attempts({ labs: [owner.lab], reports: false })).filter((a) => a.id <= attempt.id).length;
  const lateMs = lateByMs(attempt.startedAt, await deadlineOf(store, owner.studentId));
  const page = `${context.baseUrl}/login?token=${encodeURIComponent(submission.token)}`;
  const console = renderConsole(report, { color: request.color, ...(request.width ? { width: request.width } : {}) });
  const footer = dropped ? DROPPED_MESSAGE : `recorded at ${attempt.recordedAt} (${latenessText(lateMs)}), attempt ${number}, your page: ${page}`;
  return { attempt, text: `${console}\n${footer}\n`, exitCode: dropped || report.summary.pass !== report.summary.total ? 1 : 0 };
}

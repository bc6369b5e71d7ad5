import type { CourseStore } from '../store/course-store.ts';

/** Where the course's public key is published (no login needed), for `submit --course-key URL`. */
export const COURSE_KEY_PATH = '/course-key';

/** What the board hears of a new attempt: enough to know which lab to draw again. */
export interface AttemptNotice {
  id: string | number;
  lab: string;
}

/** The course server's news of recorded attempts (grader/server/course-events.ts implements it). */
export interface AttemptEvents {
  /** Calls `listener` after each attempt is recorded; returns the function that stops it. */
  onAttempt(listener: (attempt: AttemptNotice) => void): () => void;
}

/** What the web pages need from the course server that serves them. */
export interface WebContext {
  store: CourseStore;
  events: AttemptEvents;
  /** The course's public key (OpenSSH one line), served at /course-key and on the student's page. */
  coursePublicKey: string;
  /** The server's clock: time left, late or on time, stuck for how long. */
  now: () => Date;
  /** The server's public address (`https://grader.example.edu`), for the lines a student copies. */
  baseUrl: string;
  /** Where a page that could not be made is told (the server's log: its stderr). */
  log?: (line: string) => void;
}

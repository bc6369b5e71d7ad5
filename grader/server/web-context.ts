import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CourseStore } from '../store/course-store.ts';
import type { CourseEvents } from './course-events.ts';

/** What the course server gives its web pages (grader/web/web-app.ts's createWebApp). */
export interface WebContext {
  store: CourseStore;
  events: CourseEvents;
  /** The course's public key (OpenSSH one-line format) that students install in their VMs. */
  coursePublicKey: string;
  /** The server's clock: it decides on time or late. */
  now: () => Date;
  /** The URL the server is reached at, no trailing slash (`https://grader.example.edu`). */
  baseUrl: string;
}

export type WebHandler = (request: IncomingMessage, response: ServerResponse) => void;

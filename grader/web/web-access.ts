import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CourseStore, TokenRecord } from '../store/course-store.ts';

// Who is asking: the cookie set at /login carries the instructor's board secret or a student's
// token, and every request is checked against the course record again (a revoked token, a new
// board secret stop working at once). Nothing else opens a page.

export const SESSION_COOKIE = 'rlg_session';

export type Viewer = { kind: 'instructor'; session: string } | { kind: 'student'; session: string; token: TokenRecord };

const INSTRUCTOR = 'b.';
const STUDENT = 's.';
// Secrets and tokens are base64url (grader/store/secrets.ts): anything else is refused unread.
const SECRET_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

export function instructorSession(secret: string): string {
  return `${INSTRUCTOR}${secret}`;
}

export function studentSession(token: string): string {
  return `${STUDENT}${token}`;
}

/** Whether a secret or token has the shape the store makes (checked before any look-up). */
export function wellFormedSecret(text: string | null | undefined): text is string {
  return typeof text === 'string' && SECRET_SHAPE.test(text);
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure behind https. */
export function sessionCookie(session: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The viewer a session cookie stands for, undefined when it opens nothing (absent, malformed, revoked, replaced). */
export async function viewerOf(store: CourseStore, session: string | undefined): Promise<Viewer | undefined> {
  if (!session) return undefined;
  const secret = session.slice(2);
  if (!wellFormedSecret(secret)) return undefined;
  if (session.startsWith(INSTRUCTOR)) return (await store.checkBoardSecret(secret)) ? { kind: 'instructor', session } : undefined;
  if (session.startsWith(STUDENT)) {
    const token = await store.checkToken(secret);
    return token ? { kind: 'student', session, token } : undefined;
  }
  return undefined;
}

// CSRF: a form's hidden field carries an HMAC of the session under a key the server made at start;
// a page of another site can neither read it nor compute it (and SameSite=Strict keeps the cookie
// off its requests anyway).
export function csrfToken(key: Buffer, session: string): string {
  return createHmac('sha256', key).update(session, 'utf8').digest('base64url');
}

export function csrfValid(key: Buffer, session: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfToken(key, session), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

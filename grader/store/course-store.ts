import type { LabReport } from '../core/lab-report.ts';

// The course record: every grading of every lab (an attempt), and the course's settings that the
// commands, the course server and its board share. One interface, two backends: SQLite in a folder
// (open-store.ts: `DIR/grades.sqlite`, the default) and PostgreSQL (`--store postgres://...`).
//
// Contract, for every backend:
// - Attempts are append-only: `record` inserts, nothing updates or deletes one. An attempt's `id`
//   grows with recording order; `recordedAt` is the recording machine's clock, UTC.
// - A report recorded twice (the same attempt imported again, a merge of a store into itself) is
//   one attempt: `record` returns the attempt already there (`fresh: false`). Two attempts are the
//   same when their reports are identical (`attemptFingerprint`).
// - The roster, the deadline, extensions, secrets, tokens and plans are kept with their history:
//   a new value is a new row; the latest one counts; nothing is rewritten.
// - Secrets are never stored in clear: the board secret and the tokens as SHA-256 hashes (they are
//   random, 32 bytes), compared in constant time. The course secret (the seed of per-student plans)
//   is stored as is: whoever can read the store can read the grades too.
// - Every method may throw StoreError (store-error.ts) with one line that says what is wrong and
//   what to do; never a half-done write: each method is one transaction.
// - Safe for concurrent writers: two class runs into one folder (SQLite WAL, busy timeout), shards
//   and a course server into one PostgreSQL database.

/** Which command recorded an attempt. */
export const ATTEMPT_COMMANDS = ['grade', 'class', 'shard', 'resume', 'rescore', 'merge', 'submit', 'import'] as const;
export type AttemptCommand = (typeof ATTEMPT_COMMANDS)[number];

/** `interrupted`: the grading did not finish (a server restarted mid-grading, Ctrl-C); its score is no grade. */
export type AttemptStatus = 'complete' | 'interrupted';

export interface NewAttempt {
  lab: string;
  /** The roster's student id for the lab when it was recorded; absent when the roster names none. */
  studentId?: string;
  /** UTC ISO 8601 (`...Z`). */
  startedAt: string;
  endedAt: string;
  command: AttemptCommand;
  /** The host name of the machine that graded (or recorded) it. */
  machine: string;
  /** For `submit`: the student's address as the server saw it. */
  sourceAddress?: string;
  status: AttemptStatus;
  /** The full report; score, maximum, check-file digest, grader version and --only come from it. */
  report: LabReport;
}

export interface Attempt extends Omit<NewAttempt, 'report'> {
  id: number;
  /** UTC ISO 8601: when it entered the store. */
  recordedAt: string;
  score: number;
  maxScore: number;
  /** `sha256:...` of the check file, from the report's provenance. */
  checksDigest?: string;
  graderVersion?: string;
  only?: string[];
  /** Absent when read with `{ reports: false }`. */
  report?: LabReport;
}

export interface AttemptQuery {
  /** Only these labs. */
  labs?: readonly string[];
  /** Only attempts that ended at or before this UTC ISO time (the class as it stood then). */
  endedBy?: string;
  /** Only attempts with a greater id (a board polling for new ones). */
  afterId?: number;
  /** Leave the reports out (lists, boards). @default true */
  reports?: boolean;
}

/** One roster line as stored. `extension`: the student's own deadline (ISO) or extra time (`2d`, `36h`). */
export interface RosterEntry {
  lab: string;
  id: string;
  name?: string;
  email?: string;
  extension?: string;
  /** `file:line` it came from. */
  at?: string;
}

export interface StoredRoster {
  /** 1, 2, ...: each roster given that differs from the one before is a new version. */
  version: number;
  givenAt: string;
  /** Where it came from (a file name), for messages. */
  source: string;
  entries: RosterEntry[];
}

/** Course settings kept with their history (latest wins). */
export const SETTING_NAMES = ['deadline', 'late-policy'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export interface TokenRecord {
  id: number;
  studentId: string;
  lab: string;
  createdAt: string;
  revokedAt?: string;
}

export interface StoredPlan {
  studentId: string;
  /** The plan as the plans command made it (JSON). */
  plan: unknown;
  createdAt: string;
}

export interface CourseStore {
  /** Where it is, for messages: a file path, or a PostgreSQL URL without its password. */
  readonly location: string;

  /** Records one attempt (one transaction). */
  record(attempt: NewAttempt): Promise<{ attempt: Attempt; fresh: boolean }>;
  /** Records several at once, all or none (import, merge). */
  recordAll(attempts: readonly NewAttempt[]): Promise<Array<{ attempt: Attempt; fresh: boolean }>>;
  /** Attempts in recording order (id). */
  attempts(query?: AttemptQuery): Promise<Attempt[]>;
  /** How many attempts the store holds. */
  countAttempts(): Promise<number>;

  /** Stores a roster as a new version unless it equals the latest one; returns the latest. */
  putRoster(entries: readonly RosterEntry[], source: string): Promise<StoredRoster>;
  /** The latest roster, undefined when none was ever given. */
  roster(): Promise<StoredRoster | undefined>;
  /** Every version, oldest first. */
  rosters(): Promise<StoredRoster[]>;

  setSetting(name: SettingName, value: string): Promise<void>;
  setting(name: SettingName): Promise<string | undefined>;
  /** Sets (or with `undefined` clears) a student's extension, over the roster's column. */
  setExtension(studentId: string, extension: string | undefined): Promise<void>;
  /** Extensions set with setExtension, latest per student (the roster's column is in `roster()`). */
  extensions(): Promise<Map<string, string>>;

  /** The course secret (random, made on first use, then always the same). */
  courseSecret(): Promise<string>;
  /** Makes a new instructor board secret (the previous one stops working); returns it in clear, once. */
  newBoardSecret(): Promise<string>;
  /** Whether a secret is the current board secret (constant-time). */
  checkBoardSecret(secret: string): Promise<boolean>;

  /** A new token for a roster entry (the student's other tokens stay valid); returns it in clear, once. */
  issueToken(studentId: string, lab: string): Promise<{ token: string; record: TokenRecord }>;
  /** The token's owner, undefined when unknown or revoked (constant-time on the hash). */
  checkToken(token: string): Promise<TokenRecord | undefined>;
  /** Revokes every token of a student; returns how many were live. */
  revokeTokens(studentId: string): Promise<number>;
  tokens(): Promise<TokenRecord[]>;

  /** Stores a student's plan (a new row; the latest counts). */
  putPlan(studentId: string, plan: unknown): Promise<void>;
  /** The latest plan of every student. */
  plans(): Promise<StoredPlan[]>;

  close(): Promise<void>;
}

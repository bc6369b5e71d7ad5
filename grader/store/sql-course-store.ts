import type { LabReport } from '../core/lab-report.ts';
import { attemptFingerprint } from './attempt-fingerprint.ts';
import type { Attempt, AttemptQuery, CourseStore, NewAttempt, RosterEntry, SettingName, StoredPlan, StoredRoster, TokenRecord } from './course-store.ts';
import { migrate } from './migrations.ts';
import { hashSecret, newSecret, sameHash } from './secrets.ts';
import type { SqlDriver, SqlQuerier, SqlRow, SqlValue } from './sql-driver.ts';

const now = () => new Date().toISOString();
const utc = (iso: string) => new Date(iso).toISOString();
const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));

const ATTEMPT_COLUMNS = 'id, lab, student_id, started_at, ended_at, recorded_at, command, machine, source_address, checks_digest, grader_version, only_checks, status, score, max_score';

function attemptOf(row: SqlRow, withReport: boolean): Attempt {
  const optional = <K extends string>(key: K, value: unknown) => (value === null || value === undefined ? {} : ({ [key]: String(value) } as Record<K, string>));
  return {
    id: Number(row.id),
    lab: String(row.lab),
    ...optional('studentId', row.student_id),
    startedAt: String(row.started_at),
    endedAt: String(row.ended_at),
    recordedAt: String(row.recorded_at),
    command: String(row.command) as Attempt['command'],
    machine: String(row.machine),
    ...optional('sourceAddress', row.source_address),
    ...optional('checksDigest', row.checks_digest),
    ...optional('graderVersion', row.grader_version),
    ...(row.only_checks ? { only: JSON.parse(String(row.only_checks)) as string[] } : {}),
    status: String(row.status) as Attempt['status'],
    score: Number(row.score),
    maxScore: Number(row.max_score),
    ...(withReport && row.report ? { report: JSON.parse(String(row.report)) as LabReport } : {}),
  };
}

function rosterOf(row: SqlRow): StoredRoster {
  return { version: Number(row.version), givenAt: String(row.given_at), source: String(row.source), entries: JSON.parse(String(row.entries)) as RosterEntry[] };
}

function tokenOf(row: SqlRow): TokenRecord {
  const revokedAt = text(row.revoked_at);
  return { id: Number(row.id), studentId: String(row.student_id), lab: String(row.lab), createdAt: String(row.created_at), ...(revokedAt ? { revokedAt } : {}) };
}

async function insertAttempt(q: SqlQuerier, attempt: NewAttempt): Promise<{ attempt: Attempt; fresh: boolean }> {
  const { report } = attempt;
  const fingerprint = attemptFingerprint(report);
  const p = report.provenance;
  const values: SqlValue[] = [
    fingerprint, attempt.lab, attempt.studentId ?? null, utc(attempt.startedAt), utc(attempt.endedAt), now(), attempt.command, attempt.machine,
    attempt.sourceAddress ?? null, p?.checksDigest ?? null, p?.graderVersion ?? null, p?.only ? JSON.stringify(p.only) : null, attempt.status, report.score, report.maxScore, JSON.stringify(report),
  ];
  const inserted = await q.all(
    `INSERT INTO attempts (fingerprint, lab, student_id, started_at, ended_at, recorded_at, command, machine, source_address, checks_digest, grader_version, only_checks, status, score, max_score, report)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING RETURNING ${ATTEMPT_COLUMNS}`,
    values,
  );
  if (inserted[0]) return { attempt: { ...attemptOf(inserted[0], false), report }, fresh: true };
  const [existing] = await q.all(`SELECT ${ATTEMPT_COLUMNS}, report FROM attempts WHERE fingerprint = ?`, [fingerprint]);
  return { attempt: attemptOf(existing!, true), fresh: false };
}

const sameEntries = (a: readonly RosterEntry[], b: readonly RosterEntry[]) => JSON.stringify(a) === JSON.stringify(b);

// The course store on any SqlDriver (SQLite, PostgreSQL): the same SQL for both.
export async function sqlCourseStore(driver: SqlDriver): Promise<CourseStore> {
  await migrate(driver);
  const latestSecret = async (q: SqlQuerier, name: string) => text((await q.all('SELECT value FROM secrets WHERE name = ? ORDER BY id DESC LIMIT 1', [name]))[0]?.value);
  const store: CourseStore = {
    location: driver.location,

    record: (attempt) => driver.transaction((q) => insertAttempt(q, attempt)),
    recordAll: (attempts) =>
      driver.transaction(async (q) => {
        const recorded = [];
        for (const attempt of attempts) recorded.push(await insertAttempt(q, attempt));
        return recorded;
      }),
    async attempts(query: AttemptQuery = {}) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (query.labs) {
        if (query.labs.length === 0) return [];
        where.push(`lab IN (${query.labs.map(() => '?').join(', ')})`);
        params.push(...query.labs);
      }
      if (query.endedBy !== undefined) {
        where.push('ended_at <= ?');
        params.push(utc(query.endedBy));
      }
      if (query.afterId !== undefined) {
        where.push('id > ?');
        params.push(query.afterId);
      }
      const withReport = query.reports ?? true;
      const rows = await driver.all(`SELECT ${ATTEMPT_COLUMNS}${withReport ? ', report' : ''} FROM attempts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, params);
      return rows.map((row) => attemptOf(row, withReport));
    },
    async countAttempts() {
      return Number((await driver.all('SELECT COUNT(*) AS n FROM attempts'))[0]?.n ?? 0);
    },

    putRoster: (entries, source) =>
      driver.transaction(async (q) => {
        const [latest] = await q.all('SELECT * FROM rosters ORDER BY version DESC LIMIT 1');
        if (latest && sameEntries(rosterOf(latest).entries, entries)) return rosterOf(latest);
        const version = latest ? Number(latest.version) + 1 : 1;
        const givenAt = now();
        await q.run('INSERT INTO rosters (version, given_at, source, entries) VALUES (?, ?, ?, ?)', [version, givenAt, source, JSON.stringify(entries)]);
        return { version, givenAt, source, entries: [...entries] };
      }),
    async roster() {
      const [row] = await driver.all('SELECT * FROM rosters ORDER BY version DESC LIMIT 1');
      return row ? rosterOf(row) : undefined;
    },
    async rosters() {
      return (await driver.all('SELECT * FROM rosters ORDER BY version')).map(rosterOf);
    },

    setSetting: (name: SettingName, value: string) => driver.transaction((q) => q.run('INSERT INTO settings (name, value, set_at) VALUES (?, ?, ?)', [name, value, now()])),
    async setting(name: SettingName) {
      return text((await driver.all('SELECT value FROM settings WHERE name = ? ORDER BY id DESC LIMIT 1', [name]))[0]?.value);
    },
    setExtension: (studentId, extension) =>
      driver.transaction((q) => q.run('INSERT INTO extensions (student_id, extension, set_at) VALUES (?, ?, ?)', [studentId, extension ?? null, now()])),
    async extensions() {
      const latest = new Map<string, string | undefined>();
      for (const row of await driver.all('SELECT student_id, extension FROM extensions ORDER BY id')) latest.set(String(row.student_id), text(row.extension));
      return new Map([...latest].filter((e): e is [string, string] => e[1] !== undefined));
    },

    courseSecret: () =>
      driver.transaction(async (q) => {
        const kept = await latestSecret(q, 'course');
        if (kept) return kept;
        const secret = newSecret();
        await q.run('INSERT INTO secrets (name, value, set_at) VALUES (?, ?, ?)', ['course', secret, now()]);
        return secret;
      }),
    newBoardSecret: () =>
      driver.transaction(async (q) => {
        const secret = newSecret();
        await q.run('INSERT INTO secrets (name, value, set_at) VALUES (?, ?, ?)', ['board', hashSecret(secret), now()]);
        return secret;
      }),
    async checkBoardSecret(secret) {
      const kept = await latestSecret(driver, 'board');
      return kept !== undefined && sameHash(kept, hashSecret(secret));
    },

    issueToken: (studentId, lab) =>
      driver.transaction(async (q) => {
        const token = newSecret();
        const [row] = await q.all('INSERT INTO tokens (token_hash, student_id, lab, created_at) VALUES (?, ?, ?, ?) RETURNING id, student_id, lab, created_at', [hashSecret(token), studentId, lab, now()]);
        return { token, record: tokenOf(row!) };
      }),
    async checkToken(token) {
      const hash = hashSecret(token);
      const [row] = await driver.all(
        'SELECT t.id, t.token_hash, t.student_id, t.lab, t.created_at, r.revoked_at FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id WHERE t.token_hash = ?',
        [hash],
      );
      if (!row || !sameHash(String(row.token_hash), hash) || row.revoked_at) return undefined;
      return tokenOf(row);
    },
    revokeTokens: (studentId) =>
      driver.transaction(async (q) => {
        const live = await q.all('SELECT t.id FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id WHERE t.student_id = ? AND r.token_id IS NULL', [studentId]);
        const at = now();
        for (const row of live) await q.run('INSERT INTO token_revocations (token_id, revoked_at) VALUES (?, ?)', [Number(row.id), at]);
        return live.length;
      }),
    async tokens() {
      return (await driver.all('SELECT t.id, t.student_id, t.lab, t.created_at, r.revoked_at FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id ORDER BY t.id')).map(tokenOf);
    },

    putPlan: (studentId, plan) => driver.transaction((q) => q.run('INSERT INTO plans (student_id, plan, created_at) VALUES (?, ?, ?)', [studentId, JSON.stringify(plan), now()])),
    async plans() {
      const latest = new Map<string, StoredPlan>();
      for (const row of await driver.all('SELECT student_id, plan, created_at FROM plans ORDER BY id')) {
        latest.set(String(row.student_id), { studentId: String(row.student_id), plan: JSON.parse(String(row.plan)), createdAt: String(row.created_at) });
      }
      return [...latest.values()];
    },

    close: () => driver.close(),
  };
  return store;
}

// What the course store needs from a SQL database: the SQLite and PostgreSQL backends each
// implement it. SQL is written with `?` placeholders; a driver translates them.
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlQuerier {
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
}

export interface SqlDriver extends SqlQuerier {
  readonly dialect: 'sqlite' | 'postgres';
  readonly location: string;
  /** Runs `work` in one transaction that holds the write lock from its start; rolled back on error. */
  transaction<T>(work: (q: SqlQuerier) => Promise<T>): Promise<T>;
  /** Turns a driver's error into a StoreError (or returns it unchanged when it is none of its own). */
  explain(error: unknown): unknown;
  close(): Promise<void>;
}

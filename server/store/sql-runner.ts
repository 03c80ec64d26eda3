/**
 * A small SQL interface both stores offer for the bookkeeping tables that are not part of the change
 * feed (enrolment codes, device tokens, staff sessions, sign-ins, lockouts, audit anchors): one
 * statement text for SQLite and PostgreSQL, written with `?` placeholders, plain TEXT and INTEGER
 * columns (ISO times as text, flags as 0/1) and standard `ON CONFLICT`/`RETURNING`.
 */
export interface SqlRunner {
  /** The rows of a query. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A statement; how many rows it changed (PostgreSQL inside a transaction: -1, the statement is pipelined). */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** `?` → `$1`, `$2`… for PostgreSQL. The statements never hold a literal question mark. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

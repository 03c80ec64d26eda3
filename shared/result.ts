/**
 * Errors a user can act on travel as values, never as exceptions (docs/architecture.md).
 * `code` is stable and machine-readable; `message` is plain words for the agent on the screen.
 */
export type Failure<C extends string = string> = { ok: false; code: C; message: string };
export type Success<T> = { ok: true; value: T };
export type Result<T, C extends string = string> = Success<T> | Failure<C>;

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail<C extends string>(code: C, message: string): Failure<C> {
  return { ok: false, code, message };
}

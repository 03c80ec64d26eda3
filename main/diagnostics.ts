/**
 * What main keeps for the service desk: the last crash of any Backstop process (in userData, so it
 * survives the restart that usually follows) and the recent errors of the main process. The page
 * reads both through `app:diagnostics` and scrubs them into the diagnostics bundle
 * (shared/diagnostics/bundle.ts): they may hold words from error messages, never sent as they are.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../shared/clock';
import { CrashRecord, type LoggedError } from '../shared/ipc/contract';

export const CRASH_FILE = 'last-crash.json';

export class CrashLog {
  private readonly file: string;

  constructor(
    userData: string,
    private readonly clock: Clock,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.file = path.join(userData, CRASH_FILE);
  }

  /** Written synchronously: the process may be on its way out. Never throws. */
  record(crash: Omit<CrashRecord, 'at'>): void {
    try {
      const parsed = CrashRecord.parse({
        ...crash,
        at: this.clock().toISOString(),
        reason: crash.reason.slice(0, 100),
        detail: crash.detail?.slice(0, 2000) ?? null,
      });
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(parsed));
      renameSync(tmp, this.file);
    } catch (error) {
      this.log(`could not record the crash: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The last crash recorded on this machine, or null (none, or an unreadable file). */
  last(): CrashRecord | null {
    try {
      const parsed = CrashRecord.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}

/** The most recent errors, newest last, in memory only. */
export class ErrorRing {
  private readonly items: LoggedError[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly max = 20,
  ) {}

  add(source: string, message: string): void {
    this.items.push({ at: this.clock().toISOString(), source: source.slice(0, 40), message: message.slice(0, 2000) });
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }

  list(): LoggedError[] {
    return [...this.items];
  }
}

/** The crash record for a process that went away, or null when it exited cleanly. */
export function crashOf(
  kind: CrashRecord['kind'],
  details: { reason: string; exitCode: number; type?: string },
  detail: string | null = null,
): Omit<CrashRecord, 'at'> | null {
  if (details.reason === 'clean-exit') return null;
  return { kind, reason: details.type ? `${details.type}: ${details.reason}` : details.reason, exitCode: details.exitCode, detail };
}

/** Plain text of whatever an error handler or log call got. */
export function textOf(values: readonly unknown[]): string {
  return values
    .map((v) => (v instanceof Error ? (v.stack ?? v.message) : typeof v === 'string' ? v : safeJson(v)))
    .join(' ')
    .slice(0, 2000);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * The page's recent errors, kept in memory for the diagnostics screen and bundle (which scrub them:
 * shared/diagnostics/scrub.ts). Uncaught errors and unhandled rejections are captured once
 * installed; features may add their own with recordError.
 */
import type { Clock } from '../../../shared/clock';

export interface RecentError {
  at: string;
  source: string;
  message: string;
}

const MAX = 30;
const recent: RecentError[] = [];

export function recordError(source: string, message: string, clock: Clock): void {
  const last = recent[recent.length - 1];
  // The same error again and again (a failing timer) is one entry, not thirty.
  if (last && last.source === source && last.message === message) {
    last.at = clock().toISOString();
    return;
  }
  recent.push({ at: clock().toISOString(), source, message: message.slice(0, 2000) });
  if (recent.length > MAX) recent.splice(0, recent.length - MAX);
}

export function recentErrors(): RecentError[] {
  return recent.map((e) => ({ ...e }));
}

/** Test helper. */
export function clearRecentErrors(): void {
  recent.length = 0;
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return typeof reason === 'string' ? reason : 'non-error value';
}

/** Captures uncaught errors and unhandled rejections of the page; returns the uninstaller. */
export function installErrorCapture(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, clock: Clock): () => void {
  const onError = (event: ErrorEvent) => recordError('window', describe(event.error ?? event.message), clock);
  const onRejection = (event: PromiseRejectionEvent) => recordError('promise', describe(event.reason), clock);
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}

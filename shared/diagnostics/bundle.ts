/**
 * The diagnostics bundle a workstation hands the service desk: versions, which workstation and
 * backend, how fresh its data is, what waits to be sent, cache and storage, update state, recent
 * errors and the last crash. Built from plain inputs by a pure function, so what the screen shows
 * is exactly what is exported, and it is tested against real demo data.
 *
 * No personal data: no passenger, booking, ticket or staff field is an input, and every free text
 * that is (error messages, crash details) goes through scrubText, which keeps only known technical
 * words. Counts, times, versions and codes are what the desk needs to help.
 */
import type { MainDiagnostics } from '../ipc/contract';
import { scrubCode, scrubText, scrubUrl } from './scrub';

export const BUNDLE_FORMAT = 'backstop-diagnostics/1';
export const MAX_ERRORS = 50;

export interface DiagnosticsInput {
  generatedAt: string;
  app: { version: string; host: 'electron' | 'browser'; userAgent: string | null };
  /** What main knows (the Electron host only). */
  main: MainDiagnostics | null;
  workstation: { name: string; station: string; deviceId: string | null };
  /** The sync backend(s) this workstation talks to. */
  backends: readonly string[];
  sync: {
    link: string;
    dcs: string;
    /** The outage banner is on. */
    fallback: boolean;
    fallbackDeclared: boolean;
    drill: boolean;
    phase: string | null;
    lastCompleteSyncAt: string | null;
    lastAttemptAt: string | null;
    nextAttemptAt: string | null;
    /** The sync engine's last failure as it reported it (a structured failure or a text). */
    lastFailure: unknown;
  };
  pending: {
    actions: number;
    oldestAt: string | null;
    /** Refused and conflicting actions not yet marked handled, by code. */
    unresolvedByCode: Readonly<Record<string, number>>;
  };
  cache: {
    /** Records per local table. */
    tables: Readonly<Record<string, number>>;
    flights: number;
    passengers: number;
    oldestFlightDataAt: string | null;
  };
  storage: { persisted: boolean | null; usage: number | null; quota: number | null };
  settings: Readonly<Record<string, number>>;
  /** Recent errors of the page and the sync worker. */
  errors: readonly { at: string; source: string; message: string }[];
}

export interface DiagnosticsBundle {
  format: typeof BUNDLE_FORMAT;
  generatedAt: string;
  privacy: string;
  app: {
    version: string;
    host: 'electron' | 'browser';
    electron: string | null;
    chrome: string | null;
    node: string | null;
    platform: string | null;
    arch: string | null;
    osRelease: string | null;
    userAgent: string | null;
    packaged: boolean | null;
    startedAt: string | null;
    tray: boolean | null;
    launchAtLogin: boolean | null;
  };
  workstation: { name: string; station: string; deviceId: string | null };
  backends: string[];
  sync: {
    link: string;
    dcs: string;
    fallback: boolean;
    fallbackDeclared: boolean;
    drill: boolean;
    phase: string | null;
    lastCompleteSyncAt: string | null;
    dataAgeMinutes: number | null;
    lastAttemptAt: string | null;
    nextAttemptAt: string | null;
    lastFailure: Record<string, string> | string | null;
  };
  pending: { actions: number; oldestAt: string | null; unresolvedByCode: Record<string, number> };
  cache: { tables: Record<string, number>; flights: number; passengers: number; oldestFlightDataAt: string | null };
  storage: { persisted: boolean | null; usageBytes: number | null; quotaBytes: number | null; usedPercent: number | null };
  settings: Record<string, number>;
  update: {
    phase: string;
    version: string | null;
    action: string;
    reason: string;
    lastCheckAt: string | null;
    feed: string | null;
    lastError: string | null;
  } | null;
  lastCrash: { at: string; kind: string; reason: string; exitCode: number | null; detail: string | null } | null;
  errors: { at: string; source: string; message: string }[];
}

export const PRIVACY_NOTE =
  'No passenger, booking, ticket or staff data: counts, times, versions and codes only; error messages keep known technical words, everything else is replaced by "…".';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/;

function minutesBetween(fromIso: string | null, toIso: string): number | null {
  if (!fromIso) return null;
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 60_000)) : null;
}

function scrubFailure(failure: unknown): Record<string, string> | string | null {
  if (failure === null || failure === undefined) return null;
  if (typeof failure === 'string') return scrubText(failure);
  if (typeof failure !== 'object') return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(failure as Record<string, unknown>)) {
    if (!/^[a-zA-Z]{1,30}$/.test(key)) continue;
    const code = scrubCode(value);
    if (code !== null) out[key] = code;
    else if (typeof value === 'string') out[key] = scrubText(value, 200);
  }
  return out;
}

/** Counts under keys the app itself chose (table and setting names): identifiers only. */
function counts(record: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(record)) if (/^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key) && Number.isFinite(n)) out[key] = n;
  return out;
}

/** Counts under codes that came from elsewhere (the backend): kept only if they look like codes. */
function countsByCode(record: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(record)) {
    const code = scrubCode(key);
    if (code !== null && Number.isFinite(n)) out[code] = (out[code] ?? 0) + n;
  }
  return out;
}

/** Error sources are set by Backstop's own code ('window', 'worker', 'main:main'…). */
const source = (s: string) => (/^[a-z][a-z:_-]{0,39}$/.test(s) ? s : 'other');

export function buildDiagnosticsBundle(input: DiagnosticsInput): DiagnosticsBundle {
  const m = input.main;
  const errors = [
    ...input.errors.map((e) => ({ ...e })),
    ...(m?.recentErrors ?? []).map((e) => ({ at: e.at, source: e.source === 'main' ? 'main' : `main:${e.source}`, message: e.message })),
  ]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-MAX_ERRORS)
    .map((e) => ({ at: e.at, source: source(e.source), message: scrubText(e.message) }));
  const { usage, quota } = input.storage;
  return {
    format: BUNDLE_FORMAT,
    generatedAt: input.generatedAt,
    privacy: PRIVACY_NOTE,
    app: {
      version: input.app.version,
      host: input.app.host,
      electron: m?.versions.electron ?? null,
      chrome: m?.versions.chrome ?? null,
      node: m?.versions.node ?? null,
      platform: m?.platform ?? null,
      arch: m?.arch ?? null,
      osRelease: m?.osRelease ?? null,
      userAgent: input.app.userAgent,
      packaged: m?.packaged ?? null,
      startedAt: m?.startedAt ?? null,
      tray: m?.tray ?? null,
      launchAtLogin: m?.launchAtLogin ?? null,
    },
    workstation: {
      name: SAFE_NAME.test(input.workstation.name) ? input.workstation.name : '…',
      station: input.workstation.station,
      deviceId: input.workstation.deviceId,
    },
    backends: input.backends.map(scrubUrl),
    sync: {
      link: input.sync.link,
      dcs: input.sync.dcs,
      fallback: input.sync.fallback,
      fallbackDeclared: input.sync.fallbackDeclared,
      drill: input.sync.drill,
      phase: input.sync.phase,
      lastCompleteSyncAt: input.sync.lastCompleteSyncAt,
      dataAgeMinutes: minutesBetween(input.sync.lastCompleteSyncAt, input.generatedAt),
      lastAttemptAt: input.sync.lastAttemptAt,
      nextAttemptAt: input.sync.nextAttemptAt,
      lastFailure: scrubFailure(input.sync.lastFailure),
    },
    pending: {
      actions: input.pending.actions,
      oldestAt: input.pending.oldestAt,
      unresolvedByCode: countsByCode(input.pending.unresolvedByCode),
    },
    cache: {
      tables: counts(input.cache.tables),
      flights: input.cache.flights,
      passengers: input.cache.passengers,
      oldestFlightDataAt: input.cache.oldestFlightDataAt,
    },
    storage: {
      persisted: input.storage.persisted,
      usageBytes: usage,
      quotaBytes: quota,
      usedPercent: usage !== null && quota ? Math.round((usage / quota) * 1000) / 10 : null,
    },
    settings: counts(input.settings),
    update: m
      ? {
          phase: m.update.phase,
          version: m.update.version,
          action: m.update.action,
          reason: m.update.reason,
          lastCheckAt: m.update.lastCheckAt,
          feed: m.update.feedUrl ? scrubUrl(m.update.feedUrl) : null,
          lastError: m.update.lastError ? scrubText(m.update.lastError) : null,
        }
      : null,
    lastCrash: m?.lastCrash
      ? {
          at: m.lastCrash.at,
          kind: m.lastCrash.kind,
          reason: scrubText(m.lastCrash.reason, 100),
          exitCode: m.lastCrash.exitCode,
          detail: m.lastCrash.detail ? scrubText(m.lastCrash.detail) : null,
        }
      : null,
    errors,
  };
}

/** The bundle's file name: station, workstation and time, safe on every file system. */
export function bundleFileName(bundle: Pick<DiagnosticsBundle, 'generatedAt' | 'workstation'>): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-|-$/g, '') || 'x';
  const at = bundle.generatedAt.replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  return `backstop-diagnostics-${clean(bundle.workstation.station)}-${clean(bundle.workstation.name)}-${at}.json`;
}

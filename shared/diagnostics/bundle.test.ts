import { describe, expect, it } from 'vitest';
import type { MainDiagnostics } from '../ipc/contract';
import { buildDiagnosticsBundle, bundleFileName, PRIVACY_NOTE, type DiagnosticsInput } from './bundle';
import { scrubCode, scrubText, scrubUrl } from './scrub';

describe('scrubText', () => {
  it('keeps technical words, codes, statuses and error classes', () => {
    expect(scrubText('TypeError: Failed to fetch')).toBe('TypeError: Failed to fetch');
    expect(scrubText('HTTP 503 from /v1/sync/push after 1500ms (PAYLOAD_TOO_LARGE)')).toBe(
      'HTTP 503 from /v1/sync/push after 1500ms (PAYLOAD_TOO_LARGE)',
    );
    expect(scrubText('QuotaExceededError: storage quota exceeded at 2026-11-26T10:00:00.000Z')).toBe(
      'QuotaExceededError: storage quota exceeded at 2026-11-26T10:00:00.000Z',
    );
    expect(scrubText('net::ERR_CONNECTION_REFUSED')).toBe('net::ERR_CONNECTION_REFUSED');
  });

  it('replaces names, booking references, ticket numbers, seats and anything unknown by "…"', () => {
    expect(scrubText('SMITH/JOHN MR is not checked in (seat 14C, PNR X7K2QP)')).toBe('… is not checked in (seat …');
    expect(scrubText('Cannot board Jane Smith: e-ticket 1252412345678 was refunded')).toBe('Cannot board … e-ticket … was …');
    expect(scrubText("O'BRIEN/SIOBHAN MS")).toBe('…');
    expect(scrubText('Printing failed for Brown Green White')).toBe('Printing failed for …');
  });

  it('never keeps a vocabulary word written in capitals, the way reservations write names', () => {
    expect(scrubText('CHECK failed')).toBe('… failed');
    expect(scrubText('Check failed')).toBe('Check failed');
  });

  it('caps the length', () => {
    expect(scrubText('error '.repeat(200), 50)).toHaveLength(50);
  });
});

describe('scrubUrl and scrubCode', () => {
  it('keeps where a backend is, not who logged in or what was asked', () => {
    expect(scrubUrl('https://agent:secret@ops.example.net:8443/backstop/?token=abc#x')).toBe('https://ops.example.net:8443/backstop/');
    expect(scrubUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(scrubUrl('not a url')).toBe('…');
  });

  it('keeps codes and kinds, drops anything that is not one', () => {
    expect(['UNAUTHORIZED', 'CURSOR_EXPIRED', 'network', 'not-due', 503, 'SMITH', 'X7K2QP', 1252412345678].map(scrubCode)).toEqual([
      'UNAUTHORIZED',
      'CURSOR_EXPIRED',
      'network',
      'not-due',
      '503',
      null,
      null,
      null,
    ]);
  });
});

const main: MainDiagnostics = {
  versions: { app: '1.4.0', electron: '45.5.0', chrome: '140.0.0.0', node: '22.20.0' },
  platform: 'linux',
  arch: 'x64',
  osRelease: '6.8.0',
  startedAt: '2026-11-26T06:00:00.000Z',
  packaged: true,
  tray: true,
  launchAtLogin: true,
  update: {
    phase: 'downloaded',
    version: '1.5.0',
    action: 'hold',
    reason: 'unsent-actions',
    lastCheckAt: '2026-11-26T09:00:00.000Z',
    progressPercent: 100,
    feedUrl: 'https://user:pw@updates.example.net/backstop/?k=1',
    lastError: null,
  },
  lastCrash: { at: '2026-11-25T17:12:00.000Z', kind: 'renderer', reason: 'oom', exitCode: -1, detail: 'while printing PATEL/AARAV MSTR' },
  recentErrors: [{ at: '2026-11-26T09:30:00.000Z', source: 'main', message: 'print job failed: printer GATE A12 is offline' }],
};

const input: DiagnosticsInput = {
  generatedAt: '2026-11-26T10:00:00.000Z',
  app: { version: '1.4.0', host: 'electron', userAgent: null },
  main,
  workstation: { name: 'GATE-A12', station: 'LHR', deviceId: '4f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f' },
  backends: ['https://ops.example.net/backstop'],
  sync: {
    link: 'offline',
    dcs: 'unknown',
    fallback: true,
    fallbackDeclared: false,
    drill: false,
    phase: 'waiting',
    lastCompleteSyncAt: '2026-11-26T09:17:30.000Z',
    lastAttemptAt: '2026-11-26T09:59:00.000Z',
    nextAttemptAt: '2026-11-26T10:00:30.000Z',
    lastFailure: { kind: 'network', status: null, code: null, detail: 'Failed to fetch' },
  },
  pending: { actions: 7, oldestAt: '2026-11-26T09:20:00.000Z', unresolvedByCode: { SEAT_TAKEN: 1, 'SMITH/JOHN': 1 } },
  cache: {
    tables: { flights: 40, manifests: 40, outbox: 7 },
    flights: 40,
    passengers: 6120,
    oldestFlightDataAt: '2026-11-26T09:17:30.000Z',
  },
  storage: { persisted: true, usage: 52_428_800, quota: 1_073_741_824 },
  settings: { syncIntervalMinutes: 5, stalenessMinutes: 30, retentionHours: 24 },
  errors: [{ at: '2026-11-26T09:59:00.000Z', source: 'worker', message: 'push rejected: ALREADY_BOARDED for JONES/EMMA MS' }],
};

describe('diagnostics bundle', () => {
  it('holds versions, workstation, backend, sync, pending, cache, storage, update and crash', () => {
    const b = buildDiagnosticsBundle(input);
    expect(b).toMatchObject({
      format: 'backstop-diagnostics/1',
      privacy: PRIVACY_NOTE,
      app: { version: '1.4.0', electron: '45.5.0', platform: 'linux', packaged: true, tray: true },
      workstation: { name: 'GATE-A12', station: 'LHR' },
      backends: ['https://ops.example.net/backstop'],
      sync: { link: 'offline', fallback: true, dataAgeMinutes: 42, lastFailure: { kind: 'network', detail: 'Failed to fetch' } },
      pending: { actions: 7, unresolvedByCode: { SEAT_TAKEN: 1 } },
      cache: { flights: 40, passengers: 6120, tables: { outbox: 7 } },
      storage: { persisted: true, usedPercent: 4.9 },
      update: { phase: 'downloaded', version: '1.5.0', reason: 'unsent-actions', feed: 'https://updates.example.net/backstop/' },
      lastCrash: { kind: 'renderer', reason: 'oom', detail: 'while printing …' },
    });
  });

  it('merges the errors of page and main, oldest first, scrubbed', () => {
    expect(buildDiagnosticsBundle(input).errors).toEqual([
      { at: '2026-11-26T09:30:00.000Z', source: 'main', message: 'print job failed: printer … is offline' },
      { at: '2026-11-26T09:59:00.000Z', source: 'worker', message: 'push rejected: ALREADY_BOARDED for …' },
    ]);
  });

  it('works for the browser host, which has no main process', () => {
    const b = buildDiagnosticsBundle({ ...input, main: null, app: { version: 'browser', host: 'browser', userAgent: 'Mozilla/5.0' } });
    expect(b.update).toBeNull();
    expect(b.lastCrash).toBeNull();
    expect(b.app).toMatchObject({ host: 'browser', electron: null, userAgent: 'Mozilla/5.0' });
  });

  it('names its file after station, workstation and time', () => {
    expect(bundleFileName(buildDiagnosticsBundle(input))).toBe('backstop-diagnostics-LHR-GATE-A12-2026-11-26T10-00-00Z.json');
  });
});

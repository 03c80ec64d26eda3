/**
 * The diagnostics bundle leaves the workstation (mailed to a service desk, attached to a ticket),
 * so it must hold no personal data even when every error it carries was about a passenger. Built
 * here from the demo data's real passengers: the domain's own refusal messages (which name them),
 * boarding-pass barcodes, and messages in every shape a name, a booking reference or an e-ticket
 * could take; none of them may come out in the bundle.
 */
import { describe, expect, it } from 'vitest';
import { collectDiagnostics } from '../../renderer/features/diagnostics/collect';
import { clearRecentErrors, recordError } from '../../renderer/features/diagnostics/error-log';
import { memoryDatabase, seedFlight } from '../support/memory-db';
import type { Host } from '../../renderer/host';
import { DEFAULT_SETTINGS } from '../../renderer/settings';
import { INITIAL_CONNECTIVITY } from '../../renderer/sync/connectivity';
import { createDemoData, type DemoData } from '../../server/demo/generate';
import { encodeBoardingPass } from '../../shared/bcbp/encode';
import { buildDiagnosticsBundle, type DiagnosticsInput } from '../../shared/diagnostics/bundle';
import { applyMutation } from '../../shared/domain/apply';
import type { Mutation } from '../../shared/domain/mutations';
import { displayName } from '../../shared/domain/rules';
import type { Passenger } from '../../shared/domain/schemas';
import type { AppInfo, MainDiagnostics } from '../../shared/ipc/contract';

const NOW = new Date('2026-11-26T10:00:00.000Z');

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

/** Everything the domain says when refusing actions on these passengers (its messages name them). */
function domainRefusals(d: DemoData): string[] {
  const messages: string[] = [];
  let seq = 0;
  for (const { flight, passengers } of d.flights) {
    const seatMap = d.seatMaps.find((m) => m.id === flight.seatMapId)!;
    for (const p of passengers.slice(0, 6)) {
      const tries: Pick<Mutation, 'type' | 'args'>[] = [
        { type: 'passenger.board', args: { flightId: flight.id, passengerId: p.id, via: 'scan' } },
        { type: 'passenger.offload', args: { flightId: flight.id, passengerId: p.id, reason: 'test' } },
        {
          type: 'passenger.checkIn',
          args: {
            flightId: flight.id,
            passengerId: p.id,
            seat: p.seat ?? '1A',
            seqNo: 1,
            infantSeqNo: null,
            bags: { count: 0, weightKg: 0 },
            docsChecked: true,
            standby: false,
          },
        },
      ] as never;
      for (const t of tries) {
        const m = { id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, seq, at: NOW.toISOString(), staffId: 'AG1001', ...t };
        const outcome = applyMutation({ flight, seatMap, passengers }, m as Mutation, {
          staffId: 'AG1001',
          role: 'agent',
          leases: [{ from: 1, to: 9 }],
        });
        if (outcome.kind !== 'applied') messages.push(`${outcome.code}: ${outcome.message}`);
      }
    }
  }
  return messages;
}

/** A name, booking reference or ticket number in every way an error might quote it. */
function quotes(p: Passenger, flight: DemoData['flights'][number]['flight']): string[] {
  const bcbp = encodeBoardingPass({ flight, passenger: p, issuedOn: flight.date });
  return [
    `Boarding refused for ${displayName(p)} (PNR ${p.pnr})`,
    `Passenger ${titleCase(p.firstName)} ${titleCase(p.lastName)} not found`,
    `cannot print pass: ${p.lastName.toLowerCase()}, ${p.firstName.toLowerCase()}`,
    `ticket ${p.eticket} does not match booking ${p.pnr}: "${p.lastName}"`,
    `Scanned ${bcbp}`,
    `TypeError: Cannot read properties of undefined (reading '${p.lastName}')`,
    `{"lastName":"${p.lastName}","firstName":"${p.firstName}","pnr":"${p.pnr}","eticket":"${p.eticket}"}`,
  ];
}

describe('diagnostics bundle privacy (demo passengers)', () => {
  it('carries none of the names, booking references or e-tickets its errors mentioned', async () => {
    const d = await createDemoData({ flights: 40, seed: 11, now: NOW, pbkdf2Iterations: 10_000 });
    const all = d.flights.flatMap((f) => f.passengers.map((p) => ({ p, f: f.flight })));
    expect(all.length).toBeGreaterThan(3000);

    const refusals = domainRefusals(d);
    // The domain's messages do name passengers: that is what makes this test mean something.
    expect(refusals.some((m) => all.some(({ p }) => m.includes(displayName(p))))).toBe(true);
    const sample = all.filter((_x, i) => i % 7 === 0);
    const messages = [...refusals, ...sample.flatMap(({ p, f }) => quotes(p, f))];
    const errors = messages.map((message, i) => ({ at: new Date(NOW.getTime() - i * 1000).toISOString(), source: 'worker', message }));

    const input: DiagnosticsInput = {
      generatedAt: NOW.toISOString(),
      app: { version: '1.4.0', host: 'browser', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
      main: null,
      workstation: { name: 'GATE-A12', station: 'LHR', deviceId: null },
      backends: ['http://127.0.0.1:8787'],
      sync: {
        link: 'online',
        dcs: 'up',
        fallback: false,
        fallbackDeclared: false,
        drill: false,
        phase: 'idle',
        lastCompleteSyncAt: NOW.toISOString(),
        lastAttemptAt: NOW.toISOString(),
        nextAttemptAt: null,
        lastFailure: { kind: 'client', status: 409, code: 'SEAT_TAKEN', detail: messages[0] },
      },
      pending: { actions: 2, oldestAt: NOW.toISOString(), unresolvedByCode: { NOT_CHECKED_IN: 3, [all[0]!.p.lastName]: 1 } },
      cache: { tables: { flights: 40 }, flights: 40, passengers: all.length, oldestFlightDataAt: NOW.toISOString() },
      storage: { persisted: true, usage: 1, quota: 2 },
      settings: { stalenessMinutes: 30 },
      errors: [],
    };
    // Every message gets its turn: the bundle keeps the latest 50 errors.
    const texts: string[] = [];
    for (let i = 0; i < errors.length; i += 50) {
      const bundle = buildDiagnosticsBundle({ ...input, errors: errors.slice(i, i + 50) });
      expect(bundle.errors).toHaveLength(Math.min(50, errors.length - i));
      texts.push(JSON.stringify(bundle));
    }
    const text = texts.join('\n');

    const word = (s: string) => new RegExp(`(^|[^A-Za-z0-9])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`, 'i');
    const leaks = new Set<string>();
    for (const { p } of all) {
      for (const secret of [p.lastName, p.firstName, p.pnr, p.eticket]) if (word(secret).test(text)) leaks.add(secret);
    }
    expect([...leaks]).toEqual([]);
    // …while what the desk needs is still there.
    expect(text).toContain('NOT_CHECKED_IN');
    expect(text).toContain('TypeError: Cannot read properties of undefined');
  });

  it('collects counts from a workstation database full of demo passengers without taking any of them along', async () => {
    const d = await createDemoData({ flights: 6, seed: 5, now: NOW, pbkdf2Iterations: 10_000 });
    const db = memoryDatabase();
    for (const { flight, passengers } of d.flights) {
      await seedFlight(db, { flight, seatMap: d.seatMaps.find((m) => m.id === flight.seatMapId)!, passengers }, '2026-11-26T09:40:00.000Z');
    }
    const people = d.flights.flatMap((f) => f.passengers);
    const victims = people.slice(0, 5);
    await db.outbox.bulkPut(
      victims.map((p, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        seq: i + 1,
        at: `2026-11-26T09:5${i}:00.000Z`,
        staffId: 'AG1001',
        type: 'passenger.board',
        args: { flightId: p.flightId, passengerId: p.id, via: 'scan' },
        flightId: p.flightId,
        state: 'pending',
        attempts: 2,
        lastError: `NOT_CHECKED_IN: ${displayName(p)} is not checked in (PNR ${p.pnr})`,
      })) as never,
    );
    clearRecentErrors();
    recordError('window', `TypeError: Cannot read properties of undefined (reading '${victims[0]!.lastName}')`, () => NOW);
    const main: MainDiagnostics = {
      versions: { app: '1.4.0', electron: '45.5.0', chrome: '140.0.0.0', node: '22.20.0' },
      platform: 'linux',
      arch: 'x64',
      osRelease: '6.8.0',
      startedAt: '2026-11-26T06:00:00.000Z',
      packaged: true,
      tray: true,
      launchAtLogin: null,
      update: {
        phase: 'idle',
        version: null,
        action: 'hold',
        reason: 'not-due',
        lastCheckAt: null,
        progressPercent: null,
        feedUrl: null,
        lastError: null,
      },
      lastCrash: {
        at: '2026-11-26T08:00:00.000Z',
        kind: 'renderer',
        reason: 'crashed',
        exitCode: 139,
        detail: `printing ${displayName(victims[1]!)}`,
      },
      recentErrors: [
        {
          at: '2026-11-26T09:00:00.000Z',
          source: 'main',
          message: `print failed: boarding pass ${displayName(victims[2]!)} ${victims[2]!.eticket}`,
        },
      ],
    };
    const info: AppInfo = {
      version: '1.4.0',
      platform: 'linux',
      workstation: 'GATE-A12',
      backendUrl: 'http://127.0.0.1:8787',
      station: 'LHR',
      demoEnrolment: false,
      notice: null,
      clockOffsetMs: 0,
    };
    const host = { kind: 'electron', mainDiagnostics: async () => ({ ok: true, value: main }) } as unknown as Host;
    const { input, mainError } = await collectDiagnostics(
      { host, db, info, settings: DEFAULT_SETTINGS, clock: () => NOW },
      { connectivity: { ...INITIAL_CONNECTIVITY, link: 'offline' }, status: null, workerError: `sync stopped on ${victims[3]!.lastName}` },
    );
    expect(mainError).toBeNull();
    const bundle = buildDiagnosticsBundle(input);
    expect(bundle).toMatchObject({
      app: { version: '1.4.0', host: 'electron', electron: '45.5.0' },
      workstation: { name: 'GATE-A12', station: 'LHR' },
      sync: { link: 'offline', fallback: true },
      pending: { actions: 5, oldestAt: '2026-11-26T09:50:00.000Z' },
      cache: { flights: 6, passengers: people.length, oldestFlightDataAt: '2026-11-26T09:40:00.000Z' },
      lastCrash: { kind: 'renderer', reason: 'crashed', exitCode: 139, detail: 'printing …' },
    });
    expect(bundle.cache.tables).toMatchObject({ flights: 6, manifests: 6, outbox: 5 });
    expect(bundle.errors.map((e) => e.source).sort()).toEqual([
      'main',
      'outbox',
      'outbox',
      'outbox',
      'outbox',
      'outbox',
      'window',
      'worker',
    ]);
    const text = JSON.stringify(bundle);
    expect(text).toContain('NOT_CHECKED_IN');
    for (const p of people) {
      for (const secret of [displayName(p), p.pnr, p.eticket, `"${p.lastName}"`, ` ${p.lastName} `]) expect(text).not.toContain(secret);
    }
  });
});

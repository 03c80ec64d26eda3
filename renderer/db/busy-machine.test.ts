/**
 * Encryption at rest on a busy machine: staff actions, pulled pages, push answers and audit entries,
 * all on one sealed database at once, while other work hogs the event loop between their steps. No
 * transaction may commit before its work is done ("Transaction committed too early"), nothing may be
 * lost, and the audit chain must still verify.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/crypto/sha256';
import type { Passenger } from '../../shared/domain/schemas';
import type { PullResponse, PushResponse } from '../../shared/protocol/v1';
import { A320, checkedIn, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import { lease, seedFlight } from '../../tests/support/memory-db';
import { applyPullPage } from '../sync/apply-pull';
import { applyPushResults } from '../sync/apply-push';
import { aesGcmSealer, type Sealer } from './at-rest';
import { appendAudit, installAuditKey, verifyAuditChain } from './audit';
import { browserKeys } from './keys';
import { openDatabase, type BackstopDB } from './schema';
import { checkIn, perform } from './write-path';

const F = flight();
const agent = { staffId: 'AG1001', role: 'agent' as const };
const opened: BackstopDB[] = [];
afterEach(() => {
  installAuditKey(null);
  for (const db of opened.splice(0)) db.close();
});

/**
 * A busy machine until stopped: timer tasks that burn CPU on this thread, so every asynchronous step
 * lands a task or more later than on an idle machine; and key derivations (as an offline sign-in
 * runs) that keep the platform's crypto threads busy, so anything waiting on WebCrypto waits longer.
 */
function busyMachine(): () => Promise<unknown> {
  let running = true;
  const burn = () => {
    if (!running) return;
    let text = 'busy';
    for (let i = 0; i < 10; i++) text = sha256Hex(text);
    setTimeout(burn, 0);
  };
  const derive = async () => {
    const pin = await crypto.subtle.importKey('raw', new TextEncoder().encode('483920'), 'PBKDF2', false, ['deriveBits']);
    while (running) {
      await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 10_000 }, pin, 256);
    }
  };
  burn();
  const derivations = Array.from({ length: 4 }, derive);
  return () => {
    running = false;
    return Promise.all(derivations);
  };
}

const ids = Array.from({ length: 12 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);

/** Spends `ms` of this thread's time, as a loaded machine makes each record's sealing take longer. */
function spend(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) sha256Hex('spend');
}

/** The sealer on a machine where sealing or opening a record costs `ms` more. */
function laboured(inner: Sealer, ms: number): Sealer {
  return {
    seal: (plain) => (spend(ms), inner.seal(plain)),
    open: (sealed) => (spend(ms), inner.open(sealed)),
  };
}

async function sealedWorkstation(): Promise<BackstopDB> {
  const factory = new IDBFactory();
  const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
  installAuditKey(keys.audit);
  const db = openDatabase('backstop-busy', { indexedDB: factory, IDBKeyRange, sealer: laboured(aesGcmSealer(keys.data), 2) });
  opened.push(db);
  const passengers = ids.map((id, i) =>
    i < 6 ? passenger({ id, lastName: `OKAFOR${i}` }) : checkedIn({ id, seat: `10${'ABCDEF'[i - 6]}`, seqNo: i }),
  );
  await seedFlight(db, { flight: F, seatMap: A320, passengers, leases: [lease(F.id, 100, 199)] });
  return db;
}

function page(changes: PullResponse['changes'], cursor: string): PullResponse {
  return { protocol: 1, changes, cursor, hasMore: false, serverTime: '2026-11-26T13:00:00.000Z', dcs: 'up' };
}
const paxChange = (p: Passenger, version: number) => ({ op: 'put' as const, kind: 'passenger' as const, id: p.id, version, data: p });

async function settledAll(work: readonly Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(work);
  return settled.flatMap((r, i) => {
    if (r.status === 'rejected') return [`#${i}: ${String(r.reason)}`];
    const v = r.value;
    return v && typeof v === 'object' && 'ok' in v && !v.ok ? [`#${i}: ${JSON.stringify(v)}`] : [];
  });
}

const retention = (n: number) => ({
  at: '2026-11-26T12:00:00.000Z',
  staffId: 'SV2001',
  action: 'settings.retention',
  flightId: null,
  passengerId: null,
  mutationId: null,
  summary: `Retention changed ${n}`,
});

describe('sealed database on a busy machine', () => {
  it('keeps every staff action, pulled page, push answer and audit entry in its own transaction', async () => {
    const db = await sealedWorkstation();
    const stop = busyMachine();
    try {
      // The page: agents act on every passenger at once while a supervisor's changes are audited.
      const round1 = await settledAll([
        ...ids.slice(0, 6).map((id, i) =>
          checkIn(
            db,
            agent,
            {
              flightId: F.id,
              passengerId: id,
              seat: `11${'ABCDEF'[i]}`,
              bags: { count: 1, weightKg: 20 },
              docsChecked: true,
              standby: false,
            },
            fixtureClock,
          ),
        ),
        ...ids
          .slice(6)
          .map((id) =>
            perform(db, agent, { type: 'passenger.board', args: { flightId: F.id, passengerId: id, via: 'scan' } }, fixtureClock),
          ),
        ...[1, 2, 3].map((n) => db.transaction('rw', db.audit, () => appendAudit(db, retention(n)))),
      ]);
      expect(round1).toEqual([]);

      // The sync worker (its own thread in the app, so one step at a time here): pages arrive under the
      // pending actions, then the backend answers every action, some applied and some refused.
      for (const n of [1, 2, 3]) {
        const moved = checkedIn({ id: ids[6 + n]!, seat: `10${'ABCDEF'[n]}`, seqNo: 6 + n, bags: { count: n, weightKg: 10 * n } });
        await applyPullPage(db, page([paxChange(moved, 10 + n)], `c${n}`), '2026-11-26T13:00:05.000Z');
      }
      const pending = await db.outbox.orderBy('seq').toArray();
      expect(pending).toHaveLength(12);
      const refusedBoarding = ids.slice(9);
      for (const [from, to] of [
        [0, 4],
        [4, 8],
        [8, 12],
      ] as const) {
        const answer: PushResponse = {
          protocol: 1,
          lastSeq: to,
          results: pending
            .slice(from, to)
            .map((e) =>
              e.type === 'passenger.board' && refusedBoarding.includes(String((e.args as { passengerId?: string }).passengerId))
                ? { id: e.id, seq: e.seq, status: 'rejected' as const, code: 'FLIGHT_CLOSED', message: `${F.id} is closed.` }
                : { id: e.id, seq: e.seq, status: 'applied' as const },
            ),
        };
        await applyPushResults(db, answer, '2026-11-26T13:01:00.000Z');
      }

      // The page again: the checked-in passengers board at once.
      const round2 = await settledAll(
        ids
          .slice(0, 6)
          .map((id) =>
            perform(db, agent, { type: 'passenger.board', args: { flightId: F.id, passengerId: id, via: 'scan' } }, fixtureClock),
          ),
      );
      expect(round2).toEqual([]);
    } finally {
      await stop();
    }

    // Nothing lost: 6 boardings unsent, 3 refusals kept for reconciliation, every action audited, the chain whole.
    expect(await db.outbox.count()).toBe(6);
    expect(await db.outcomes.count()).toBe(3);
    expect(await db.audit.count()).toBe(3 + 12 + 6);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 21 });
    const boarded = (await db.manifests.get(F.id))!.passengers.filter((p) => p.status === 'boarded').map((p) => p.id);
    expect(boarded).toEqual(expect.arrayContaining(ids.slice(0, 6)));
    expect((await db.syncState.get('cursor'))?.value).toBe('c3');
  }, 120_000);
});

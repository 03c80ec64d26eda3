/**
 * A workstation that signs in, acts and syncs, end to end against the real backend: its database
 * sealed at rest, its audit chain keyed and anchored, its sign-in checked online and tied to every
 * action it pushes.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../shared/clock';
import { aesGcmSealer } from '../../renderer/db/at-rest';
import { AUDIT_ANCHOR_KEY, readAuditBreak, installAuditKey } from '../../renderer/db/audit';
import { browserKeys } from '../../renderer/db/keys';
import { openDatabase, type BackstopDB } from '../../renderer/db/schema';
import { signIn } from '../../renderer/features/signin/session-actions';
import { perform } from '../../renderer/db/write-path';
import { useSession, signedOut } from '../../renderer/state/session';
import { DEFAULT_ENGINE_CONFIG, SyncEngine } from '../../renderer/sync/engine';
import { SyncHttpClient } from '../../renderer/sync/http';
import { platformTimers } from '../../renderer/sync/timers';
import { DEMO_AGENT_PIN } from '../../server/demo/staff';
import { inspectDatabase, openFlights, startTestServer, Synced, TEST_NOW, type TestServer } from '../support/server-harness';

const clock = clockStartingAt(TEST_NOW);
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ flights: 6, seed: 11, pbkdf2Iterations: 150_000 });
});
afterAll(() => server.cleanup());
afterEach(() => {
  signedOut();
  installAuditKey(null);
});

async function workstation(): Promise<{ db: BackstopDB; raw: BackstopDB; engine: SyncEngine }> {
  const factory = new IDBFactory();
  const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
  installAuditKey(keys.audit);
  const db = openDatabase('backstop', { indexedDB: factory, IDBKeyRange, sealer: aesGcmSealer(keys.data) });
  const raw = openDatabase('backstop', { indexedDB: factory, IDBKeyRange, sealer: null });
  const engine = new SyncEngine({
    db,
    transport: new SyncHttpClient({ baseUrl: server.url, timeoutMs: 10_000 }),
    config: { ...DEFAULT_ENGINE_CONFIG, station: 'LHR', workstation: 'TRUST-WS', enrolmentKey: 'backstop-demo', autoSchedule: false },
    emit: (e) => {
      if (e.type === 'status' && e.status.lastError) console.warn('engine error', JSON.stringify(e.status.lastError));
    },
    clock,
    random: () => 0,
    timers: platformTimers,
  });
  return { db, raw, engine };
}

describe('a workstation that signs in, acts and syncs', () => {
  it('signs in online, ties its actions to that sign-in, anchors its audit chain, and keeps it all sealed', async () => {
    const { db, raw, engine } = await workstation();
    expect(await engine.syncNow()).toBe('ok');
    const signedIn = await signIn({ db, clock, station: 'LHR', backendUrl: server.url }, 'AG1001', DEMO_AGENT_PIN);
    expect(signedIn).toEqual({ ok: true, method: 'online' });
    const staff = useSession.getState().staff!;
    expect(staff.signInId).toBeDefined();

    const observer = await Synced.enrol(server.url, 'OBS');
    const flight = openFlights(observer.replica)[0]!;
    const pax = observer.replica.passengers(flight.id).find((p) => p.status === 'checked-in')!;
    const board = await perform(
      db,
      { staffId: staff.id, role: staff.role, signInId: staff.signInId! },
      { type: 'passenger.board', args: { flightId: flight.id, passengerId: pax.id, via: 'manual' } },
      clock,
    );
    expect(board.ok).toBe(true);
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.outbox.count()).toBe(0);

    const probe = await inspectDatabase(server);
    const signIns = await probe.all<{ method: string; verified: number }>('SELECT method, verified FROM staff_sign_in');
    const flags = await probe.all<{ mutation_id: string }>('SELECT mutation_id FROM identity_flag');
    const anchors = await probe.all<{ n: number }>('SELECT n FROM audit_anchor');
    await probe.close();
    expect(signIns).toEqual([{ method: 'online', verified: 1 }]);
    expect(flags.map((f) => f.mutation_id)).not.toContain(board.ok ? board.mutation.id : '');
    expect(anchors[0]?.n).toBeGreaterThanOrEqual(2);
    expect((await db.settings.get(AUDIT_ANCHOR_KEY))?.value).toMatchObject({ n: anchors[0]!.n });
    expect(await readAuditBreak(db)).toBeNull();

    // Everything on disk is sealed: no passenger's name from the pulled manifests, no token.
    const onDisk = JSON.stringify(
      await Promise.all(['manifests', 'searchIndex', 'syncState', 'audit', 'staff'].map((t) => raw.table(t).toArray())),
    );
    expect(onDisk).not.toContain(pax.lastName);
    expect(onDisk).not.toContain('Priya Shah');
    expect(onDisk).not.toContain('PBKDF2');
  });
});

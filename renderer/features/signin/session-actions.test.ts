/**
 * Signing in: online first (the backend checks the PIN), else offline against the cached hash; a
 * sign-in is an action of its own that later actions name; wrong PINs are counted in the database;
 * an unknown staff ID costs one PBKDF2 run like a known one; weak hashes are not trusted.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../../shared/clock';
import type { Staff } from '../../../shared/domain/schemas';
import { memoryDatabase } from '../../../tests/support/memory-db';
import type { BackstopDB } from '../../db/schema';
import { perform } from '../../db/write-path';
import { signedOut, useSession } from '../../state/session';
import { lockAfterMs, LOCK_AFTER_MS } from '../navigation/use-inactivity-lock';
import { lockForMachine, signIn } from './session-actions';
import { THROTTLE_KEY } from './signin-throttle';
import * as pins from './verify-pin';

const clock = fixedClock('2027-03-27T22:30:00.000Z');

/** A credential as the backend makes it (server/credentials.ts), with WebCrypto. */
async function hashPin(pin: string, iterations = 150_000): Promise<Staff['credential']> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
  const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  return { algorithm: 'PBKDF2-SHA256', iterations, salt: b64(salt), hash: b64(bits) };
}
let agent: Staff;
let weak: Staff;
let db: BackstopDB;

beforeAll(async () => {
  agent = { id: 'AG1001', name: 'Priya Shah', role: 'agent', station: 'LHR', active: true, credential: await hashPin('135790') };
  weak = { id: 'AG1002', name: 'Tom Okafor', role: 'agent', station: 'LHR', active: true, credential: await hashPin('135790', 10_000) };
});
afterEach(() => {
  signedOut();
  db?.close();
  vi.restoreAllMocks();
});

async function desk() {
  db = memoryDatabase();
  await db.staff.bulkPut([agent, weak]);
  return { db, clock, station: 'LHR', backendUrl: null };
}

describe('signing in', () => {
  it('offline: checks the cached hash and records the sign-in as an action that later actions name', async () => {
    const deps = await desk();
    expect(await signIn(deps, 'ag1001', '135790')).toEqual({ ok: true, method: 'offline' });
    const staff = useSession.getState().staff!;
    const [signInAction] = await db.outbox.toArray();
    expect(signInAction).toMatchObject({ type: 'staff.signIn', staffId: 'AG1001', args: { method: 'offline' } });
    expect(staff.signInId).toBe(signInAction!.id);
    // The next action names it, for the backend to tie it to the sign-in.
    await perform(
      db,
      { staffId: staff.id, role: staff.role, signInId: staff.signInId! },
      { type: 'fallback.declared', args: { flightId: null, on: true } },
      clock,
    );
    expect((await db.outbox.toArray())[1]).toMatchObject({ signIn: signInAction!.id });
  });

  it('online first: the backend’s check wins, and its session goes with the sign-in action', async () => {
    const deps = await desk();
    const online = vi.fn(async () => ({
      kind: 'signed-in' as const,
      session: {
        token: 's'.repeat(43),
        staff: { id: 'AG1001', name: 'Priya Shah', role: 'agent' as const },
        issuedAt: '2027-03-27T22:30:00.000Z',
        expiresAt: '2027-03-28T02:30:00.000Z',
      },
    }));
    expect(await signIn({ ...deps, backendUrl: 'http://127.0.0.1:9', online }, 'AG1001', '135790')).toEqual({ ok: true, method: 'online' });
    expect((await db.outbox.toArray())[0]).toMatchObject({ type: 'staff.signIn', args: { method: 'online', session: 's'.repeat(43) } });
  });

  it('counts wrong PINs in the database, so a reload does not reset the wait', async () => {
    const deps = await desk();
    for (let i = 0; i < 5; i++) expect(await signIn(deps, 'AG1001', '000000')).toMatchObject({ ok: false, code: 'WRONG' });
    expect(await db.settings.get(THROTTLE_KEY)).toBeDefined();
    // A fresh page (nothing in memory) on the same database: still waiting, even with the right PIN.
    expect(await signIn({ ...deps }, 'AG1001', '135790')).toMatchObject({ ok: false, code: 'TOO_MANY_TRIES' });
  });

  it('checks one PBKDF2 hash for an unknown staff ID, as for a known one', async () => {
    const deps = await desk();
    const spy = vi.spyOn(pins, 'verifyPin');
    expect(await signIn(deps, 'NOBODY9', '135790')).toMatchObject({ ok: false, code: 'WRONG' });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![1]).toBe(pins.DECOY_CREDENTIAL);
  });

  it('does not trust a cached hash with fewer PBKDF2 iterations than the floor, even with the right PIN', async () => {
    const deps = await desk();
    expect(weak.credential?.iterations).toBeLessThan(150_000);
    expect(await signIn(deps, 'AG1002', '135790')).toMatchObject({ ok: false, code: 'WRONG' });
  });

  it('asks nothing of a cached entry without a hash (someone no longer active): the decoy is checked, and the answer is WRONG', async () => {
    const deps = await desk();
    await deps.db.staff.put({ id: 'AG1098', name: 'Former Agent', role: 'agent', station: 'LHR', active: false, credential: null });
    const spy = vi.spyOn(pins, 'verifyPin');
    expect(await signIn(deps, 'AG1098', '135790')).toMatchObject({ ok: false, code: 'WRONG' });
    expect(spy.mock.calls.at(-1)![1]).toBe(pins.DECOY_CREDENTIAL);
  });
});

describe('locking', () => {
  it('locks at once when the machine locks or sleeps', async () => {
    const deps = await desk();
    await signIn(deps, 'AG1001', '135790');
    lockForMachine();
    expect(useSession.getState().locked).toBe(true);
  });

  it('locks after the station’s inactivity policy, 5 minutes by default', () => {
    expect(LOCK_AFTER_MS).toBe(5 * 60_000);
    expect(lockAfterMs(undefined)).toBe(5 * 60_000);
    expect(lockAfterMs({ security: { lockAfterMinutes: 2 } })).toBe(120_000);
  });
});

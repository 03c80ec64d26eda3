/** Signing in and out against the staff records synced from the backend, audited like any action. */
import type { Clock } from '../../../shared/clock';
import { Staff } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { recordEvent } from '../../db/write-path';
import { signedIn, signedOut, unlocked, useSession } from '../../state/session';
import { verifyPin } from './verify-pin';

export type SignInResult = { ok: true } | { ok: false; code: 'NO_STAFF_DATA' | 'WRONG' | 'INACTIVE' | 'TOO_MANY_TRIES' };

/** After this many wrong PINs in a row the workstation waits before it checks another. */
const MAX_TRIES = 5;
const WAIT_AFTER_TRIES_MS = 30_000;
let wrongInARow = 0;
let waitUntil = 0;

function throttled(clock: Clock): boolean {
  return clock().getTime() < waitUntil;
}

function wrongPin(clock: Clock): void {
  wrongInARow += 1;
  if (wrongInARow >= MAX_TRIES) {
    waitUntil = clock().getTime() + WAIT_AFTER_TRIES_MS;
    wrongInARow = 0;
  }
}

export async function signIn(db: BackstopDB, station: string, staffId: string, pin: string, clock: Clock): Promise<SignInResult> {
  if ((await db.staff.count()) === 0) return { ok: false, code: 'NO_STAFF_DATA' };
  if (throttled(clock)) return { ok: false, code: 'TOO_MANY_TRIES' };
  const parsed = Staff.safeParse(await db.staff.get(staffId.trim().toUpperCase()));
  // Unknown ID and wrong PIN look the same to whoever is trying.
  if (!parsed.success || !(await verifyPin(pin, parsed.data.credential))) {
    wrongPin(clock);
    return { ok: false, code: 'WRONG' };
  }
  wrongInARow = 0;
  const staff = parsed.data;
  if (!staff.active || staff.station !== station) return { ok: false, code: 'INACTIVE' };
  const now = clock();
  signedIn({ id: staff.id, name: staff.name, role: staff.role, at: now.toISOString() }, now.getTime());
  await recordEvent(db, staff.id, 'session.signIn', `${staff.name} (${staff.role}) signed in`, clock);
  return { ok: true };
}

export async function signOut(db: BackstopDB, clock: Clock): Promise<void> {
  const staff = useSession.getState().staff;
  signedOut();
  if (staff) await recordEvent(db, staff.id, 'session.signOut', `${staff.name} signed out`, clock);
}

export async function unlock(db: BackstopDB, pin: string, clock: Clock): Promise<SignInResult> {
  const current = useSession.getState().staff;
  if (!current) return { ok: false, code: 'WRONG' };
  if (throttled(clock)) return { ok: false, code: 'TOO_MANY_TRIES' };
  const staff = Staff.safeParse(await db.staff.get(current.id));
  if (!staff.success || !(await verifyPin(pin, staff.data.credential))) {
    wrongPin(clock);
    return { ok: false, code: 'WRONG' };
  }
  // Deactivated while the screen was locked (the last sync said so): no way back in.
  if (!staff.data.active) return { ok: false, code: 'INACTIVE' };
  wrongInARow = 0;
  unlocked(clock().getTime());
  return { ok: true };
}

/** Signing in and out against the staff records synced from the backend, audited like any action. */
import { Staff } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { recordEvent } from '../../db/write-path';
import { useSession } from '../../state/session';
import { verifyPin } from './verify-pin';

export type SignInResult = { ok: true } | { ok: false; code: 'NO_STAFF_DATA' | 'WRONG' | 'INACTIVE' | 'TOO_MANY_TRIES' };

/** After this many wrong PINs in a row the workstation waits before it checks another. */
const MAX_TRIES = 5;
const WAIT_AFTER_TRIES_MS = 30_000;
let wrongInARow = 0;
let waitUntil = 0;

function throttled(): boolean {
  return Date.now() < waitUntil;
}

function wrongPin(): void {
  wrongInARow += 1;
  if (wrongInARow >= MAX_TRIES) {
    waitUntil = Date.now() + WAIT_AFTER_TRIES_MS;
    wrongInARow = 0;
  }
}

export async function signIn(db: BackstopDB, station: string, staffId: string, pin: string): Promise<SignInResult> {
  if ((await db.staff.count()) === 0) return { ok: false, code: 'NO_STAFF_DATA' };
  if (throttled()) return { ok: false, code: 'TOO_MANY_TRIES' };
  const parsed = Staff.safeParse(await db.staff.get(staffId.trim().toUpperCase()));
  // Unknown ID and wrong PIN look the same to whoever is trying.
  if (!parsed.success || !(await verifyPin(pin, parsed.data.credential))) {
    wrongPin();
    return { ok: false, code: 'WRONG' };
  }
  wrongInARow = 0;
  const staff = parsed.data;
  if (!staff.active || staff.station !== station) return { ok: false, code: 'INACTIVE' };
  useSession.setState({ staff: { id: staff.id, name: staff.name, role: staff.role, at: new Date().toISOString() }, locked: false, lastActivity: Date.now() });
  await recordEvent(db, staff.id, 'session.signIn', `${staff.name} (${staff.role}) signed in`);
  return { ok: true };
}

export async function signOut(db: BackstopDB): Promise<void> {
  const staff = useSession.getState().staff;
  useSession.setState({ staff: null, locked: false });
  if (staff) await recordEvent(db, staff.id, 'session.signOut', `${staff.name} signed out`);
}

export async function unlock(db: BackstopDB, pin: string): Promise<SignInResult> {
  const current = useSession.getState().staff;
  if (!current) return { ok: false, code: 'WRONG' };
  if (throttled()) return { ok: false, code: 'TOO_MANY_TRIES' };
  const staff = Staff.safeParse(await db.staff.get(current.id));
  if (!staff.success || !(await verifyPin(pin, staff.data.credential))) {
    wrongPin();
    return { ok: false, code: 'WRONG' };
  }
  // Deactivated while the screen was locked (the last sync said so): no way back in.
  if (!staff.data.active) return { ok: false, code: 'INACTIVE' };
  wrongInARow = 0;
  useSession.setState({ locked: false, lastActivity: Date.now() });
  return { ok: true };
}
